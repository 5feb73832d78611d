-- Live updates by push (README "Live updates"). Every transaction that changes
-- something a staff view shows sends ONE notification on the channel
-- `desk_live`, at commit, carrying ids only:
--   {"m": ["<message id>", …] | "*", "i": [<inbound id>, …] | "*", "c": 1, "r": 1}
-- m: messages whose message, recipients or timelines changed ("*": more than
-- 100, refetch every message view); i: inbound messages stored; c: the
-- callback log changed; r: the refused-callback views changed; u: users whose
-- sessions were ended (sign out everywhere, password set, disabled) — the api
-- closes their open event streams and never forwards `u` to browsers.
--
-- How a transaction sends one notification however many rows it touches:
-- row triggers (desk_live_collect_*) add the ids to transaction-local settings
-- (set_config(…, true): rolled back with the transaction or savepoint), and a
-- deferred constraint trigger (desk_live_flush) runs at COMMIT, where the first
-- of them sends the notification and marks it sent. A group commit of 64
-- callbacks is one transaction, hence one notification; pg_notify is delivered
-- only if the transaction commits.

CREATE OR REPLACE FUNCTION desk_live_add(setting text, id text, max_ids int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ids text := coalesce(current_setting(setting, true), '');
BEGIN
  IF ids = '*' THEN
    RETURN;
  END IF;
  IF ids = '' THEN
    ids := ',';
  ELSIF position(',' || id || ',' IN ids) > 0 THEN
    RETURN;
  END IF;
  -- ids is ",a,b,": one comma per id.
  IF length(ids) - length(replace(ids, ',', '')) > max_ids THEN
    PERFORM set_config(setting, '*', true);
  ELSE
    PERFORM set_config(setting, ids || id || ',', true);
  END IF;
END;
$$;

CREATE OR REPLACE FUNCTION desk_live_ids(setting text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT CASE
    WHEN coalesce(current_setting(setting, true), '') = '' THEN NULL
    WHEN current_setting(setting, true) = '*' THEN to_jsonb('*'::text)
    ELSE to_jsonb(string_to_array(trim(BOTH ',' FROM current_setting(setting, true)), ','))
  END
$$;

CREATE OR REPLACE FUNCTION desk_live_flush() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload jsonb;
BEGIN
  IF coalesce(current_setting('desk_live.sent', true), '') = '1' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('desk_live.sent', '1', true);
  payload := jsonb_strip_nulls(jsonb_build_object(
    'm', desk_live_ids('desk_live.m'),
    'i', desk_live_ids('desk_live.i'),
    'c', CASE WHEN current_setting('desk_live.c', true) = '1' THEN 1 END,
    'r', CASE WHEN current_setting('desk_live.r', true) = '1' THEN 1 END,
    'u', desk_live_ids('desk_live.u')
  ));
  IF payload <> '{}'::jsonb THEN
    PERFORM pg_notify('desk_live', payload::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION desk_live_collect_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_live_add('desk_live.m', NEW.id, 100);
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION desk_live_collect_recipient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_live_add('desk_live.m', NEW."messageId", 100);
  RETURN NULL;
END;
$$;

-- A report that does not move its recipient (an older status, one Sinch does
-- not document) still adds a timeline row; unmatched reports change the
-- callback log only.
CREATE OR REPLACE FUNCTION desk_live_collect_report() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  message_id text;
BEGIN
  IF NEW."recipientId" IS NOT NULL THEN
    SELECT "messageId" INTO message_id FROM "MessageRecipient" WHERE id = NEW."recipientId";
    IF message_id IS NOT NULL THEN
      PERFORM desk_live_add('desk_live.m', message_id, 100);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION desk_live_collect_inbound() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_live_add('desk_live.i', NEW.id::text, 200);
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION desk_live_collect_flag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config(TG_ARGV[0], '1', true);
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION desk_live_collect_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_live_add('desk_live.u', NEW.id::text, 100);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Message_live_collect" AFTER INSERT OR UPDATE ON "Message"
  FOR EACH ROW EXECUTE FUNCTION desk_live_collect_message();
CREATE CONSTRAINT TRIGGER "Message_live_flush" AFTER INSERT OR UPDATE ON "Message"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION desk_live_flush();

CREATE TRIGGER "MessageRecipient_live_collect" AFTER INSERT OR UPDATE ON "MessageRecipient"
  FOR EACH ROW EXECUTE FUNCTION desk_live_collect_recipient();
CREATE CONSTRAINT TRIGGER "MessageRecipient_live_flush" AFTER INSERT OR UPDATE ON "MessageRecipient"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION desk_live_flush();

CREATE TRIGGER "SmsStatusUpdate_live_collect" AFTER INSERT OR UPDATE ON "SmsStatusUpdate"
  FOR EACH ROW EXECUTE FUNCTION desk_live_collect_report();
CREATE CONSTRAINT TRIGGER "SmsStatusUpdate_live_flush" AFTER INSERT OR UPDATE ON "SmsStatusUpdate"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION desk_live_flush();

CREATE TRIGGER "InboundMessage_live_collect" AFTER INSERT OR UPDATE ON "InboundMessage"
  FOR EACH ROW EXECUTE FUNCTION desk_live_collect_inbound();
CREATE CONSTRAINT TRIGGER "InboundMessage_live_flush" AFTER INSERT OR UPDATE ON "InboundMessage"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION desk_live_flush();

CREATE TRIGGER "CallbackEvent_live_collect" AFTER INSERT OR UPDATE ON "CallbackEvent"
  FOR EACH ROW EXECUTE FUNCTION desk_live_collect_flag('desk_live.c');
CREATE CONSTRAINT TRIGGER "CallbackEvent_live_flush" AFTER INSERT OR UPDATE ON "CallbackEvent"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION desk_live_flush();

CREATE TRIGGER "CallbackRejection_live_collect" AFTER INSERT ON "CallbackRejection"
  FOR EACH ROW EXECUTE FUNCTION desk_live_collect_flag('desk_live.r');
CREATE CONSTRAINT TRIGGER "CallbackRejection_live_flush" AFTER INSERT ON "CallbackRejection"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION desk_live_flush();

CREATE TRIGGER "CallbackRejectionBudget_live_collect" AFTER INSERT OR UPDATE ON "CallbackRejectionBudget"
  FOR EACH ROW EXECUTE FUNCTION desk_live_collect_flag('desk_live.r');
CREATE CONSTRAINT TRIGGER "CallbackRejectionBudget_live_flush" AFTER INSERT OR UPDATE ON "CallbackRejectionBudget"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION desk_live_flush();

CREATE TRIGGER "User_live_collect" AFTER UPDATE OF "sessionVersion", "disabledAt" ON "User"
  FOR EACH ROW WHEN (OLD."sessionVersion" IS DISTINCT FROM NEW."sessionVersion" OR OLD."disabledAt" IS DISTINCT FROM NEW."disabledAt")
  EXECUTE FUNCTION desk_live_collect_user();
CREATE CONSTRAINT TRIGGER "User_live_flush" AFTER UPDATE OF "sessionVersion", "disabledAt" ON "User"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD."sessionVersion" IS DISTINCT FROM NEW."sessionVersion" OR OLD."disabledAt" IS DISTINCT FROM NEW."disabledAt")
  EXECUTE FUNCTION desk_live_flush();
