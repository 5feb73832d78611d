-- One place decides which recipient a report belongs to:
-- delivery_report_recipient. delivery_record_report asks it when a report
-- arrives; the api asks it (src/services/smsStatus/attach.ts) when a stored
-- report that waited for its message is attached, on send or on
-- re-processing. Before, attach.ts repeated the rule in its own SQL.
--
-- The rule: a Conversation report by the message id Sinch gave the recipient
-- (p_message_id); an SMS report by phone number within the message whose
-- batch id it names, or, while that message has no batch id yet, the message
-- its client_reference names.
--
-- LANGUAGE sql, STABLE, one SELECT: Postgres inlines it into the statement
-- that calls it, so the hot path plans the same query as before (the one-time
-- filters on p_message_id pick the branch). (A stored report keeps no message
-- id: a Conversation report's is its batchId, under a "conv:" dedupe key.)
CREATE FUNCTION delivery_report_recipient(p_batch text, p_phone text, p_client_ref text, p_message_id text)
RETURNS TABLE (recipient_id integer, batch_report_in_history boolean) LANGUAGE sql STABLE AS $$
  (SELECT rc.id, rc."batchReportInHistory"
     FROM "MessageRecipient" rc
    WHERE p_message_id IS NOT NULL AND rc."sinchMessageId" = p_message_id
    LIMIT 1)
  UNION ALL
  (SELECT rc.id, rc."batchReportInHistory"
     FROM "MessageRecipient" rc JOIN "Message" m ON m.id = rc."messageId"
    WHERE p_message_id IS NULL AND rc."phoneNumber" = p_phone
      AND (m."sinchBatchId" = p_batch OR (m."sinchBatchId" IS NULL AND m.id = p_client_ref))
    LIMIT 1)
  LIMIT 1
$$;

-- As in 20261201100000_report_correctness, with the recipient found by
-- delivery_report_recipient, and returning one row (OUT parameters) instead
-- of a set: a set-returning plpgsql function runs one more query per report
-- (its RETURN QUERY) and fills a tuplestore; delivery_ingest_batch now takes
-- the row by plain assignment (README, Performance).
DROP FUNCTION delivery_record_report(jsonb, integer, boolean);
CREATE FUNCTION delivery_record_report(p_report jsonb, p_callback_event_id integer, p_store_unmatched boolean,
                                       OUT inserted boolean, OUT matched boolean, OUT skipped boolean)
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
  v_update integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('batch:' || v_batch));

  SELECT r.recipient_id, r.batch_report_in_history INTO v_recipient, v_batch_in_history
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
END $$;
