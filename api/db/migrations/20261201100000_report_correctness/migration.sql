-- Delivery-report correctness (README, "How a report moves a recipient"):
--
-- 1. Where a report's time comes from ("timeSource"): Sinch's own event time
--    (REPORTED), the arrival of a batch report, which carries no time per
--    recipient (BATCH_ARRIVAL), or the receipt time that replaced an event
--    time too far in the future (CLAMPED). A recipient remembers whether its
--    latest status time is such an approximation ("statusAtApproximate"): a
--    report with Sinch's own time of the same rank then replaces it, and an
--    approximate time never replaces a reported one.
-- 2. A batch report that tells nothing new about a recipient (its history
--    already has that status) stores nothing and is answered as a duplicate;
--    a per-recipient report supersedes the batch-report row of the same
--    status, so the history never reads "Delivered > Delivered".
-- 3. A status outside Sinch's documented set arrives with no rank: it is kept
--    in the history and never becomes the latest status.
-- 4. One callback stores at most "maxUnmatched" reports that find no
--    recipient; the rest are counted ("reportsNotStored"), not stored, and
--    the callback log row says so. Such a callback stays UNMATCHED when its
--    message is recorded, so it can be re-processed for the rest.
-- 5. delivery_ingest_reports, unused since delivery_ingest_batch, is dropped.

CREATE TYPE "ReportTimeSource" AS ENUM ('REPORTED', 'BATCH_ARRIVAL', 'CLAMPED');

ALTER TABLE "SmsStatusUpdate" ADD COLUMN "timeSource" "ReportTimeSource" NOT NULL DEFAULT 'REPORTED';
ALTER TABLE "MessageRecipient" ADD COLUMN "statusAtApproximate" BOOLEAN NOT NULL DEFAULT false;
-- Whether the recipient's history has a batch-report row: only then does a
-- per-recipient report look for one to supersede (one statement fewer per
-- report on the hot path, where almost no recipient has one).
ALTER TABLE "MessageRecipient" ADD COLUMN "batchReportInHistory" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "CallbackEvent" ADD COLUMN "reportsNotStored" INTEGER NOT NULL DEFAULT 0;

-- Rows stored from full batch reports before this migration.
UPDATE "SmsStatusUpdate" SET "timeSource" = 'BATCH_ARRIVAL' WHERE "dedupeKey" LIKE 'summary:%';
UPDATE "MessageRecipient" rc SET "statusAtApproximate" = true
  FROM "SmsStatusUpdate" u
 WHERE u."recipientId" = rc.id AND u."timeSource" = 'BATCH_ARRIVAL'
   AND u.status = rc.status AND u.at = rc."statusAt";
UPDATE "MessageRecipient" rc SET "batchReportInHistory" = true
 WHERE EXISTS (SELECT 1 FROM "SmsStatusUpdate" u WHERE u."recipientId" = rc.id AND u."timeSource" = 'BATCH_ARRIVAL');

DROP FUNCTION IF EXISTS delivery_ingest_reports(text, timestamp(3), text, text, text, jsonb, text, text, jsonb);
DROP FUNCTION IF EXISTS delivery_ingest_batch(jsonb);
DROP FUNCTION IF EXISTS delivery_record_report(jsonb, integer);
DROP FUNCTION IF EXISTS delivery_advance_recipient(integer, text, integer, integer, timestamp(3), timestamp(3));

-- A recipient's latest status moves forward only. A higher rank wins. At an
-- equal rank, a report with Sinch's own time beats an approximate time (batch
-- arrival, clamped), an approximate time never beats a reported one, and
-- otherwise the later time wins. Postgres re-checks the WHERE on the locked
-- row, so concurrent reports cannot move it back. plpgsql, not SQL: the plan
-- is cached per session (README, Performance).
CREATE FUNCTION delivery_advance_recipient(
  p_recipient_id integer, p_status text, p_rank integer, p_code integer,
  p_at timestamp(3), p_operator_at timestamp(3), p_approximate boolean
) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "MessageRecipient"
     SET status = p_status, "statusRank" = p_rank, code = p_code,
         "statusAt" = p_at, "operatorStatusAt" = p_operator_at, "statusAtApproximate" = p_approximate,
         "updatedAt" = now()
   WHERE id = p_recipient_id
     AND ("statusRank" < p_rank
          OR ("statusRank" = p_rank
              AND ("statusAt" IS NULL
                   OR (NOT p_approximate AND "statusAtApproximate")
                   OR (p_approximate = "statusAtApproximate" AND "statusAt" < p_at))));
  RETURN FOUND;
END $$;

-- Stores one report once (unique "dedupeKey") and advances its recipient.
-- The per-batch advisory lock pairs with recordBatchSubmitted: a report that
-- finds no message yet is stored with no recipient, and the batch recording
-- (same lock) attaches it; neither can slip between the other's steps.
-- p_report: {dedupeKey, batchId, phoneNumber, clientReference?, sinchMessageId?,
--            status, rank (null: undocumented status, history only), code?,
--            reason?, at, operatorStatusAt?, timeSource?, source, rawPayload}
-- p_store_unmatched: false once the callback has stored its share of reports
-- without a recipient: such a report is then skipped (skipped = true).
CREATE FUNCTION delivery_record_report(p_report jsonb, p_callback_event_id integer, p_store_unmatched boolean)
RETURNS TABLE (inserted boolean, matched boolean, skipped boolean) LANGUAGE plpgsql AS $$
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

  IF v_message_id IS NOT NULL THEN
    SELECT id, "batchReportInHistory" INTO v_recipient, v_batch_in_history
      FROM "MessageRecipient" WHERE "sinchMessageId" = v_message_id LIMIT 1;
  ELSE
    SELECT rc.id, rc."batchReportInHistory" INTO v_recipient, v_batch_in_history
      FROM "MessageRecipient" rc JOIN "Message" m ON m.id = rc."messageId"
     WHERE rc."phoneNumber" = v_phone
       AND (m."sinchBatchId" = v_batch OR (m."sinchBatchId" IS NULL AND m.id = v_client_ref))
     LIMIT 1;
  END IF;

  -- Nested IFs: a condition with a subquery runs through the full executor
  -- every time it is evaluated, so the subqueries sit where only the rare
  -- cases reach them (the common report costs no extra statement).
  -- (A report stored already, e.g. on re-processing, is a duplicate, not skipped.)
  IF v_recipient IS NULL AND NOT p_store_unmatched THEN
    IF NOT EXISTS (SELECT 1 FROM "SmsStatusUpdate" WHERE "dedupeKey" = p_report->>'dedupeKey') THEN
      RETURN QUERY SELECT false, false, true;
      RETURN;
    END IF;
  END IF;

  -- A batch report that tells nothing new: this status is in the history.
  IF v_time_source = 'BATCH_ARRIVAL' AND v_recipient IS NOT NULL THEN
    IF EXISTS (SELECT 1 FROM "SmsStatusUpdate" WHERE "recipientId" = v_recipient AND status = v_status) THEN
      RETURN QUERY SELECT false, true, false;
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
  RETURN QUERY SELECT v_update IS NOT NULL, v_recipient IS NOT NULL, false;
END $$;

-- Group commit for the callback hot path: several callbacks that arrive
-- together are stored in one transaction (one WAL flush, one round trip),
-- each answered only after that commit.
--
-- Lock order, so that two batches cannot deadlock: first every nonce, in
-- nonce order (a replayed nonce is reported, not raised, so one replay does
-- not fail its neighbours); then the reports, in order of their batch's
-- advisory lock key.
--
-- p_callbacks: [{idx, nonce?, nonceExpiresAt?, requestId?, kind, rawBody,
--                headers, secretId?, batchId?, note?, maxUnmatched?, reports: [...]}]
-- note: what the callback log row should say about an accepted callback
-- (e.g. a clamped time); maxUnmatched: how many reports without a recipient
-- this callback may store (absent: no limit).
CREATE FUNCTION delivery_ingest_batch(p_callbacks jsonb)
RETURNS TABLE (idx integer, callback_event_id integer, stored integer, duplicates integer, unmatched integer,
               skipped integer, replay boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_cb jsonb;
  v_report jsonb;
  v_result record;
  v_event integer;
  v_stored integer;
  v_duplicates integer;
  v_unmatched integer;
  v_skipped integer;
  v_max_unmatched integer;
  v_replays integer[] := '{}';
BEGIN
  FOR v_cb IN
    SELECT value FROM jsonb_array_elements(p_callbacks) WHERE value->>'nonce' IS NOT NULL ORDER BY value->>'nonce'
  LOOP
    INSERT INTO "WebhookNonce" (nonce, "expiresAt", "createdAt")
    VALUES (v_cb->>'nonce', (v_cb->>'nonceExpiresAt')::timestamptz AT TIME ZONE 'UTC', now())
    ON CONFLICT (nonce) DO NOTHING;
    IF NOT FOUND THEN
      v_replays := v_replays || (v_cb->>'idx')::integer;
      idx := (v_cb->>'idx')::integer; callback_event_id := NULL; stored := 0; duplicates := 0; unmatched := 0;
      skipped := 0; replay := true;
      RETURN NEXT;
    END IF;
  END LOOP;

  FOR v_cb IN
    SELECT value FROM jsonb_array_elements(p_callbacks)
     WHERE NOT ((value->>'idx')::integer = ANY (v_replays))
     ORDER BY hashtext('batch:' || coalesce(value->>'batchId', '')), (value->>'idx')::integer
  LOOP
    INSERT INTO "CallbackEvent"
      ("receivedAt", "requestId", kind, verdict, "processingState", "rawBody", headers, "secretId", nonce, "batchId",
       "reportsStored", error)
    VALUES (now(), v_cb->>'requestId', v_cb->>'kind', 'ACCEPTED', 'PROCESSED', v_cb->>'rawBody', v_cb->'headers',
            v_cb->>'secretId', v_cb->>'nonce', v_cb->>'batchId', jsonb_array_length(v_cb->'reports'), v_cb->>'note')
    RETURNING id INTO v_event;

    v_stored := 0; v_duplicates := 0; v_unmatched := 0; v_skipped := 0;
    v_max_unmatched := coalesce((v_cb->>'maxUnmatched')::integer, 2147483647);
    FOR v_report IN SELECT value FROM jsonb_array_elements(v_cb->'reports') LOOP
      SELECT * INTO v_result FROM delivery_record_report(v_report, v_event, v_unmatched < v_max_unmatched);
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
END $$;
