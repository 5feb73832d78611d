-- Live updates without row triggers on the tables callbacks write (README
-- "Live updates"). The triggers of 20261202110000_live_notify on Message,
-- MessageRecipient, SmsStatusUpdate, CallbackEvent and InboundMessage cost
-- every row written there a trigger evaluation, even when their WHEN clause
-- (20261202180000_live_direct_ingest) skipped them during
-- delivery_ingest_batch. Now every writer of those tables announces what it
-- changed itself, with one call to desk_live_notify inside its transaction
-- (api/src/lib/live/notifyLive.ts from TypeScript): pg_notify is delivered
-- only at COMMIT (nothing for a rolled-back transaction), and Postgres folds
-- identical notifications of one transaction into one. The payload is the one
-- desk_live_flush sends (api/src/lib/live/liveChange.ts reads both).
--
-- The tables written rarely and never by an accepted callback keep their
-- triggers: MediaFile (20261202180100_live_media), CallbackRejection,
-- CallbackRejectionBudget (a refused callback) and User (sessions ended).

-- What changed, by ids: messages (p_messages, and the messages of the
-- recipients p_recipients), inbound messages, the callback log, the refused
-- callbacks, the staff users whose read state changed ("rd", forwarded to
-- their own streams only), opt-outs ("o"). Sends nothing when nothing is named. More than 100 messages or
-- 200 inbound messages are "*" (every view refetches), as desk_live_flush
-- does, so the payload stays far below pg_notify's 8000 bytes.
CREATE FUNCTION desk_live_notify(p_messages text[] DEFAULT NULL, p_inbound integer[] DEFAULT NULL,
                                 p_callbacks boolean DEFAULT false, p_refused boolean DEFAULT false,
                                 p_recipients integer[] DEFAULT NULL, p_read_by integer[] DEFAULT NULL,
                                 p_opt_outs boolean DEFAULT false)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_messages text[] := p_messages;
  v_inbound integer[] := p_inbound;
  v_payload jsonb;
BEGIN
  IF cardinality(p_recipients) > 0 THEN
    SELECT array_agg(DISTINCT m) INTO v_messages
      FROM (SELECT "messageId" FROM "MessageRecipient" WHERE id = ANY (p_recipients)
            UNION ALL SELECT unnest(p_messages)) ids(m)
     WHERE m IS NOT NULL;
  ELSIF cardinality(v_messages) > 1 THEN
    SELECT array_agg(DISTINCT m) INTO v_messages FROM unnest(v_messages) m WHERE m IS NOT NULL;
  END IF;
  IF cardinality(v_inbound) > 1 THEN
    SELECT array_agg(DISTINCT i) INTO v_inbound FROM unnest(v_inbound) i WHERE i IS NOT NULL;
  END IF;
  v_messages := array_remove(v_messages, NULL);
  v_inbound := array_remove(v_inbound, NULL);
  v_payload := jsonb_strip_nulls(jsonb_build_object(
    'm', CASE WHEN cardinality(v_messages) > 100 THEN to_jsonb('*'::text)
              WHEN cardinality(v_messages) > 0 THEN to_jsonb(v_messages) END,
    'i', CASE WHEN cardinality(v_inbound) > 200 THEN to_jsonb('*'::text)
              WHEN cardinality(v_inbound) > 0 THEN to_jsonb(v_inbound) END,
    'c', CASE WHEN p_callbacks THEN 1 END,
    'r', CASE WHEN p_refused THEN 1 END,
    'rd', CASE WHEN cardinality(p_read_by) > 0 THEN to_jsonb(p_read_by) END,
    'o', CASE WHEN p_opt_outs THEN 1 END));
  IF v_payload <> '{}'::jsonb THEN
    PERFORM pg_notify('desk_live', v_payload::text);
  END IF;
END $$;

-- As in 20261202180000_live_direct_ingest, with no trigger left to skip (no
-- setting to set), announcing through desk_live_notify.
CREATE OR REPLACE FUNCTION delivery_ingest_batch(p_callbacks jsonb)
RETURNS TABLE (idx integer, callback_event_id integer, stored integer, duplicates integer, unmatched integer,
               skipped integer, replay boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_cb jsonb;
  v_report jsonb;
  v_result record;
  v_event integer;
  -- The log row of each callback by its idx; null for a replay.
  v_events integer[] := '{}';
  v_stored integer;
  v_duplicates integer;
  v_unmatched integer;
  v_skipped integer;
  v_max_unmatched integer;
  -- What the live notification names: the messages whose recipients got a
  -- report, and whether a callback-log row was written.
  v_live_messages text[] := '{}';
  v_live_callbacks boolean := false;
BEGIN
  -- The log rows first, as "accepted, every report stored" (updated below
  -- only when some report was not): the insert consumes the nonce.
  FOR v_cb IN
    SELECT value FROM jsonb_array_elements(p_callbacks) ORDER BY value->>'nonce', (value->>'idx')::integer
  LOOP
    INSERT INTO "CallbackEvent"
      ("receivedAt", "requestId", kind, verdict, "processingState", "rawBody", headers, "secretId", nonce, "batchId",
       "reportsStored", error)
    VALUES (now(), v_cb->>'requestId', v_cb->>'kind', 'ACCEPTED', 'PROCESSED', v_cb->>'rawBody', v_cb->'headers',
            v_cb->>'secretId', v_cb->>'nonce', v_cb->>'batchId', jsonb_array_length(v_cb->'reports'), v_cb->>'note')
    ON CONFLICT (nonce) WHERE nonce IS NOT NULL DO NOTHING
    RETURNING id INTO v_event;
    IF v_event IS NULL THEN
      idx := (v_cb->>'idx')::integer; callback_event_id := NULL; stored := 0; duplicates := 0; unmatched := 0;
      skipped := 0; replay := true;
      RETURN NEXT;
    ELSE
      v_events[(v_cb->>'idx')::integer] := v_event;
      v_live_callbacks := true;
    END IF;
  END LOOP;

  FOR v_cb IN
    SELECT value FROM jsonb_array_elements(p_callbacks)
     WHERE v_events[(value->>'idx')::integer] IS NOT NULL
     ORDER BY hashtext('batch:' || coalesce(value->>'batchId', '')), (value->>'idx')::integer
  LOOP
    v_event := v_events[(v_cb->>'idx')::integer];
    v_stored := 0; v_duplicates := 0; v_unmatched := 0; v_skipped := 0;
    v_max_unmatched := coalesce((v_cb->>'maxUnmatched')::integer, 2147483647);
    FOR v_report IN SELECT value FROM jsonb_array_elements(v_cb->'reports') LOOP
      -- An assignment, not SELECT … FROM: a plain expression, with no query
      -- to run (delivery_record_report returns one row since 20261202100100).
      v_result := delivery_record_report(v_report, v_event, v_unmatched < v_max_unmatched);
      IF v_result.message_id IS NOT NULL AND cardinality(v_live_messages) <= 100
         AND NOT v_result.message_id = ANY (v_live_messages) THEN
        v_live_messages := v_live_messages || v_result.message_id;
      END IF;
      IF v_result.skipped THEN
        v_skipped := v_skipped + 1;
      ELSIF v_result.inserted THEN
        v_stored := v_stored + 1;
        IF NOT v_result.matched THEN v_unmatched := v_unmatched + 1; END IF;
      ELSE
        v_duplicates := v_duplicates + 1;
      END IF;
    END LOOP;

    IF v_duplicates > 0 OR v_unmatched > 0 OR v_skipped > 0 THEN
      UPDATE "CallbackEvent"
         SET verdict = CASE WHEN v_stored = 0 AND v_skipped = 0 THEN 'DUPLICATE' ELSE 'ACCEPTED' END::"CallbackVerdict",
             "processingState" = CASE WHEN v_unmatched > 0 OR v_skipped > 0 THEN 'UNMATCHED' ELSE 'PROCESSED' END::"ProcessingState",
             "reportsStored" = v_stored,
             "reportsNotStored" = v_skipped,
             error = CASE WHEN v_skipped > 0 THEN concat_ws(' ', error,
               format('%s reports for recipients we do not know were not stored: one callback stores at most %s such reports (SINCH_CALLBACK_MAX_UNMATCHED_REPORTS). Re-process this callback once their message exists.',
                      v_skipped, v_max_unmatched)) ELSE error END
       WHERE id = v_event;
    END IF;

    idx := (v_cb->>'idx')::integer; callback_event_id := v_event; stored := v_stored;
    duplicates := v_duplicates; unmatched := v_unmatched; skipped := v_skipped; replay := false;
    RETURN NEXT;
  END LOOP;

  -- Delivered only if the transaction commits; a batch of replays announces nothing.
  IF v_live_callbacks THEN
    PERFORM desk_live_notify(p_messages => v_live_messages, p_callbacks => true);
  END IF;
END $$;

DROP TRIGGER "Message_live_collect" ON "Message";
DROP TRIGGER "Message_live_flush" ON "Message";
DROP TRIGGER "MessageRecipient_live_collect" ON "MessageRecipient";
DROP TRIGGER "MessageRecipient_live_flush" ON "MessageRecipient";
DROP TRIGGER "SmsStatusUpdate_live_collect" ON "SmsStatusUpdate";
DROP TRIGGER "SmsStatusUpdate_live_flush" ON "SmsStatusUpdate";
DROP TRIGGER "CallbackEvent_live_collect" ON "CallbackEvent";
DROP TRIGGER "CallbackEvent_live_flush" ON "CallbackEvent";
DROP TRIGGER "InboundMessage_live_collect" ON "InboundMessage";
DROP TRIGGER "InboundMessage_live_flush" ON "InboundMessage";
DROP FUNCTION desk_live_collect_message();
DROP FUNCTION desk_live_collect_recipient();
DROP FUNCTION desk_live_collect_report();
DROP FUNCTION desk_live_collect_inbound();
