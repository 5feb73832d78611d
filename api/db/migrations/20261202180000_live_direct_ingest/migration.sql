-- Live notification on the callback path, without a trigger per row (README
-- "Live updates", "Performance"). The live triggers of 20261202110000_live_notify
-- cost delivery_ingest_batch two plpgsql trigger calls per written row (a
-- collect trigger and a deferred flush trigger) on CallbackEvent,
-- SmsStatusUpdate and MessageRecipient: 17-25 % more database CPU per callback
-- (bench/results/live-sql.md). Now delivery_ingest_batch collects the message
-- ids itself (delivery_record_report returns the message a stored report
-- changed) and sends the same one notification; while it runs the setting
-- desk_live.direct is '1' and the live triggers of those tables (and Message)
-- do not fire: their WHEN clause is a plain expression, and for the deferred
-- flush triggers it is evaluated when the row is written, so no trigger
-- event is queued for COMMIT either. Every other writer (Prisma, re-processing,
-- reconciliation) is announced by the triggers as before.

-- As in 20261202150000_chunked_sends (three branches), returning the
-- recipient's message too (free: the row is read anyway).
DROP FUNCTION delivery_report_recipient(text, text, text, text);
CREATE FUNCTION delivery_report_recipient(p_batch text, p_phone text, p_client_ref text, p_message_id text)
RETURNS TABLE (recipient_id integer, batch_report_in_history boolean, message_id text) LANGUAGE sql STABLE AS $$
  (SELECT rc.id, rc."batchReportInHistory", rc."messageId"
     FROM "MessageRecipient" rc
    WHERE p_message_id IS NOT NULL AND rc."sinchMessageId" = p_message_id
    LIMIT 1)
  UNION ALL
  (SELECT rc.id, rc."batchReportInHistory", rc."messageId"
     FROM "MessageRecipient" rc JOIN "Message" m ON m.id = rc."messageId"
    WHERE p_message_id IS NULL AND rc."phoneNumber" = p_phone
      AND (m."sinchBatchId" = p_batch OR (m."sinchBatchId" IS NULL AND m.id = p_client_ref))
    LIMIT 1)
  UNION ALL
  (SELECT rc.id, rc."batchReportInHistory", rc."messageId"
     FROM "MessageChunk" c JOIN "MessageRecipient" rc ON rc."messageId" = c."messageId"
    WHERE p_message_id IS NULL AND rc."phoneNumber" = p_phone
      AND (c."sinchBatchId" = p_batch OR (c."sinchBatchId" IS NULL AND c."clientReference" = p_client_ref))
    LIMIT 1)
  LIMIT 1
$$;

-- As in 20261202100100_one_report_match, and says which message a stored,
-- matched report changed (message_id; null otherwise).
DROP FUNCTION delivery_record_report(jsonb, integer, boolean);
CREATE FUNCTION delivery_record_report(p_report jsonb, p_callback_event_id integer, p_store_unmatched boolean,
                                       OUT inserted boolean, OUT matched boolean, OUT skipped boolean,
                                       OUT message_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v_batch text := p_report->>'batchId';
  v_phone text := p_report->>'phoneNumber';
  v_client_ref text := p_report->>'clientReference';
  v_message_id text := p_report->>'sinchMessageId';
  v_status text := p_report->>'status';
  v_rank integer := (p_report->>'rank')::integer;
  v_time_source "ReportTimeSource" := coalesce(p_report->>'timeSource', 'REPORTED')::"ReportTimeSource";
  v_at timestamp(3) := (p_report->>'at')::timestamptz AT TIME ZONE 'UTC';
  v_operator_at timestamp(3) := (p_report->>'operatorStatusAt')::timestamptz AT TIME ZONE 'UTC';
  v_code integer := (p_report->>'code')::integer;
  v_recipient integer;
  v_batch_in_history boolean;
  v_message text;
  v_update integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('batch:' || v_batch));

  SELECT r.recipient_id, r.batch_report_in_history, r.message_id INTO v_recipient, v_batch_in_history, v_message
    FROM delivery_report_recipient(v_batch, v_phone, v_client_ref, v_message_id) r;

  -- Nested IFs: a condition with a subquery runs through the full executor
  -- every time it is evaluated, so the subqueries sit where only the rare
  -- cases reach them (the common report costs no extra statement).
  -- (A report stored already, e.g. on re-processing, is a duplicate, not skipped.)
  IF v_recipient IS NULL AND NOT p_store_unmatched THEN
    IF NOT EXISTS (SELECT 1 FROM "SmsStatusUpdate" WHERE "dedupeKey" = p_report->>'dedupeKey') THEN
      inserted := false; matched := false; skipped := true;
      RETURN;
    END IF;
  END IF;

  -- A batch report that tells nothing new: this status is in the history.
  IF v_time_source = 'BATCH_ARRIVAL' AND v_recipient IS NOT NULL THEN
    IF EXISTS (SELECT 1 FROM "SmsStatusUpdate" WHERE "recipientId" = v_recipient AND status = v_status) THEN
      inserted := false; matched := true; skipped := false;
      RETURN;
    END IF;
  END IF;

  INSERT INTO "SmsStatusUpdate"
    ("dedupeKey", "recipientId", "batchId", "phoneNumber", "clientReference", status, code, reason,
     at, "operatorStatusAt", "timeSource", source, "rawPayload", "callbackEventId", "receivedAt")
  VALUES (p_report->>'dedupeKey', v_recipient, v_batch, v_phone, v_client_ref,
          v_status, v_code, p_report->>'reason', v_at, v_operator_at, v_time_source,
          (p_report->>'source')::"ReportSource", p_report->'rawPayload', p_callback_event_id, now())
  ON CONFLICT ("dedupeKey") DO NOTHING
  RETURNING id INTO v_update;

  IF v_update IS NOT NULL AND v_recipient IS NOT NULL THEN
    IF v_time_source = 'BATCH_ARRIVAL' THEN
      IF NOT v_batch_in_history THEN
        UPDATE "MessageRecipient" SET "batchReportInHistory" = true WHERE id = v_recipient;
      END IF;
    ELSIF v_batch_in_history THEN
      -- This report may say what a batch report said, with a better time.
      DELETE FROM "SmsStatusUpdate"
       WHERE "recipientId" = v_recipient AND status = v_status AND "timeSource" = 'BATCH_ARRIVAL';
    END IF;
    IF v_rank IS NOT NULL THEN
      PERFORM delivery_advance_recipient(v_recipient, v_status, v_rank, v_code, v_at, v_operator_at,
                                         v_time_source <> 'REPORTED');
    END IF;
  END IF;
  inserted := v_update IS NOT NULL; matched := v_recipient IS NOT NULL; skipped := false;
  -- The message this report changed (the live notification names it).
  IF v_update IS NOT NULL THEN
    message_id := v_message;
  END IF;
END $$;

-- As in 20261202100000_nonce_in_callback_log, sending the live notification itself.
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
  v_live_direct text := current_setting('desk_live.direct', true);
BEGIN
  -- The live row triggers of the tables written here skip their work while
  -- this is set (their WHEN clause, evaluated without entering plpgsql); this
  -- function sends the transaction's notification itself, below.
  PERFORM set_config('desk_live.direct', '1', true);
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

  PERFORM set_config('desk_live.direct', coalesce(v_live_direct, ''), true);
  -- The payload desk_live_flush would have sent for these rows ("*" above 100
  -- messages); pg_notify is delivered only if the transaction commits.
  IF v_live_callbacks THEN
    PERFORM pg_notify('desk_live', jsonb_strip_nulls(jsonb_build_object(
      'm', CASE WHEN cardinality(v_live_messages) > 100 THEN to_jsonb('*'::text)
                WHEN cardinality(v_live_messages) > 0 THEN to_jsonb(v_live_messages) END,
      'c', 1))::text);
  END IF;
END $$;

-- The same triggers, skipped while delivery_ingest_batch runs.
DROP TRIGGER "Message_live_collect" ON "Message";
DROP TRIGGER "Message_live_flush" ON "Message";
CREATE TRIGGER "Message_live_collect" AFTER INSERT OR UPDATE ON "Message"
  FOR EACH ROW WHEN (current_setting('desk_live.direct', true) IS DISTINCT FROM '1')
  EXECUTE FUNCTION desk_live_collect_message();
CREATE CONSTRAINT TRIGGER "Message_live_flush" AFTER INSERT OR UPDATE ON "Message"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (current_setting('desk_live.direct', true) IS DISTINCT FROM '1')
  EXECUTE FUNCTION desk_live_flush();

DROP TRIGGER "MessageRecipient_live_collect" ON "MessageRecipient";
DROP TRIGGER "MessageRecipient_live_flush" ON "MessageRecipient";
CREATE TRIGGER "MessageRecipient_live_collect" AFTER INSERT OR UPDATE ON "MessageRecipient"
  FOR EACH ROW WHEN (current_setting('desk_live.direct', true) IS DISTINCT FROM '1')
  EXECUTE FUNCTION desk_live_collect_recipient();
CREATE CONSTRAINT TRIGGER "MessageRecipient_live_flush" AFTER INSERT OR UPDATE ON "MessageRecipient"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (current_setting('desk_live.direct', true) IS DISTINCT FROM '1')
  EXECUTE FUNCTION desk_live_flush();

DROP TRIGGER "SmsStatusUpdate_live_collect" ON "SmsStatusUpdate";
DROP TRIGGER "SmsStatusUpdate_live_flush" ON "SmsStatusUpdate";
CREATE TRIGGER "SmsStatusUpdate_live_collect" AFTER INSERT OR UPDATE ON "SmsStatusUpdate"
  FOR EACH ROW WHEN (current_setting('desk_live.direct', true) IS DISTINCT FROM '1')
  EXECUTE FUNCTION desk_live_collect_report();
CREATE CONSTRAINT TRIGGER "SmsStatusUpdate_live_flush" AFTER INSERT OR UPDATE ON "SmsStatusUpdate"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (current_setting('desk_live.direct', true) IS DISTINCT FROM '1')
  EXECUTE FUNCTION desk_live_flush();

DROP TRIGGER "CallbackEvent_live_collect" ON "CallbackEvent";
DROP TRIGGER "CallbackEvent_live_flush" ON "CallbackEvent";
CREATE TRIGGER "CallbackEvent_live_collect" AFTER INSERT OR UPDATE ON "CallbackEvent"
  FOR EACH ROW WHEN (current_setting('desk_live.direct', true) IS DISTINCT FROM '1')
  EXECUTE FUNCTION desk_live_collect_flag('desk_live.c');
CREATE CONSTRAINT TRIGGER "CallbackEvent_live_flush" AFTER INSERT OR UPDATE ON "CallbackEvent"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (current_setting('desk_live.direct', true) IS DISTINCT FROM '1')
  EXECUTE FUNCTION desk_live_flush();
