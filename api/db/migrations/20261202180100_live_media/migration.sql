-- Live updates for media (README "Live updates"): a media file's row changes
-- when its copy is fetched, stored, retried or given up, and when an upload is
-- attached to a message; the views that show it (the contact thread, the
-- message page) learn of it through the same one notification per
-- transaction as the rest (20261202110000_live_notify): the inbound message
-- it belongs to under "i", the sent message under "m".
CREATE OR REPLACE FUNCTION desk_live_collect_media() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."inboundMessageId" IS NOT NULL THEN
    PERFORM desk_live_add('desk_live.i', NEW."inboundMessageId"::text, 200);
  END IF;
  IF NEW."messageId" IS NOT NULL THEN
    PERFORM desk_live_add('desk_live.m', NEW."messageId", 100);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "MediaFile_live_collect" AFTER INSERT OR UPDATE ON "MediaFile"
  FOR EACH ROW EXECUTE FUNCTION desk_live_collect_media();
CREATE CONSTRAINT TRIGGER "MediaFile_live_flush" AFTER INSERT OR UPDATE ON "MediaFile"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION desk_live_flush();
