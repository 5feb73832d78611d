-- The hot path's database side, cheaper per report (README, Performance):
--
-- delivery_report_recipient keeps its rule (20261202150000_chunked_sends, one
-- place decides which recipient a report belongs to) but asks one query at a
-- time in plpgsql, instead of one SQL statement of three branches. Postgres
-- started every branch's plan for every report, though a per-recipient SMS
-- report needs only the second (and a chunk's report the third): the chunk
-- branch alone added about 6 % to the database CPU of a callback (`yarn bench
-- --only sql`). It now returns one row (OUT parameters; NULLs when no
-- recipient matches), which delivery_record_report takes by assignment, and
-- attaching (src/services/smsStatus/attach.ts) skips the NULL row.
--
-- delivery_record_report as in 20261202180000_live_direct_ingest, with its two
-- PERFORMs (the batch lock, the recipient's advance) as assignments too.
DROP FUNCTION delivery_report_recipient(text, text, text, text);
CREATE FUNCTION delivery_report_recipient(p_batch text, p_phone text, p_client_ref text, p_message_id text,
                                          OUT recipient_id integer, OUT batch_report_in_history boolean,
                                          OUT message_id text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  -- A Conversation report: by the message id Sinch gave the recipient.
  IF p_message_id IS NOT NULL THEN
    SELECT rc.id, rc."batchReportInHistory", rc."messageId" INTO recipient_id, batch_report_in_history, message_id
      FROM "MessageRecipient" rc
     WHERE rc."sinchMessageId" = p_message_id;
    RETURN;
  END IF;
  -- An SMS report: by phone number within the message whose batch id it
  -- names, or, while that message has no batch id yet, the message its
  -- client_reference names.
  SELECT rc.id, rc."batchReportInHistory", rc."messageId" INTO recipient_id, batch_report_in_history, message_id
    FROM "MessageRecipient" rc JOIN "Message" m ON m.id = rc."messageId"
   WHERE rc."phoneNumber" = p_phone
     AND (m."sinchBatchId" = p_batch OR (m."sinchBatchId" IS NULL AND m.id = p_client_ref))
   LIMIT 1;
  IF FOUND THEN
    RETURN;
  END IF;
  -- The same within a chunk of a chunked send (each chunk is a batch of its own).
  SELECT rc.id, rc."batchReportInHistory", rc."messageId" INTO recipient_id, batch_report_in_history, message_id
    FROM "MessageChunk" c JOIN "MessageRecipient" rc ON rc."messageId" = c."messageId"
   WHERE rc."phoneNumber" = p_phone
     AND (c."sinchBatchId" = p_batch OR (c."sinchBatchId" IS NULL AND c."clientReference" = p_client_ref))
   LIMIT 1;
END $$;

CREATE OR REPLACE FUNCTION delivery_record_report(p_report jsonb, p_callback_event_id integer, p_store_unmatched boolean,
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
  v_done text;
  v_match record;
BEGIN
  -- Assignments, not PERFORM or SELECT … INTO: a plain expression is
  -- evaluated without starting the executor for a query, which those do
  -- every time. (pg_advisory_xact_lock returns void: as text, ''.)
  v_done := pg_advisory_xact_lock(hashtext('batch:' || v_batch))::text;

  v_match := delivery_report_recipient(v_batch, v_phone, v_client_ref, v_message_id);
  v_recipient := v_match.recipient_id;
  v_batch_in_history := v_match.batch_report_in_history;
  v_message := v_match.message_id;

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
      v_done := delivery_advance_recipient(v_recipient, v_status, v_rank, v_code, v_at, v_operator_at,
                                           v_time_source <> 'REPORTED')::text;
    END IF;
  END IF;
  inserted := v_update IS NOT NULL; matched := v_recipient IS NOT NULL; skipped := false;
  -- The message this report changed (the live notification names it).
  IF v_update IS NOT NULL THEN
    message_id := v_message;
  END IF;
END $$;

