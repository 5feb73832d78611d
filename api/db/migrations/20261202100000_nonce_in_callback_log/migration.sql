-- The signature nonce is consumed by the callback-log insert itself: a unique
-- "CallbackEvent".nonce (where not null) replaces the separate "WebhookNonce"
-- row, one write and two index entries fewer per callback (README, "Receiving
-- callbacks" and "Performance").
--
-- - Replay protection stays in Postgres, so it holds across instances and
--   restarts: the second insert of a nonce conflicts (ON CONFLICT DO NOTHING
--   returns no row) and the callback is refused as a replay, as before.
-- - A store that fails rolls the event back with everything else, so Sinch's
--   retry with the same nonce is accepted. The FAILED row written after the
--   rollback (recordFailedCallback) carries no nonce, for the same reason.
-- - Retention: a nonce is useful only while its timestamp is inside the window
--   (SINCH_CALLBACK_TOLERANCE_SECONDS, at most a day); callback events are kept
--   for RETENTION_CALLBACK_DAYS, which the api requires to be longer than twice
--   the window, so pruning the log never re-opens a nonce that could still pass.
-- - The earlier nonces are all in the log already: every "WebhookNonce" row was
--   inserted in the transaction that wrote its event with the same nonce.

-- Two log rows with one nonce cannot come from a verified callback (the nonce
-- was consumed); should any exist, the older ones lose the nonce so the index
-- can be built. (Their headers still show the nonce the request carried.)
UPDATE "CallbackEvent" e SET nonce = NULL
 WHERE e.nonce IS NOT NULL
   AND EXISTS (SELECT 1 FROM "CallbackEvent" o WHERE o.nonce = e.nonce AND o.id > e.id);

-- Partial: callbacks without a signature (token, basic, none) and FAILED rows
-- have no nonce and cost no index entry. Prisma 6 cannot declare a partial
-- index and ignores it when it compares (schema.prisma says so next to the model).
CREATE UNIQUE INDEX "CallbackEvent_nonce_key" ON "CallbackEvent" (nonce) WHERE nonce IS NOT NULL;

DROP TABLE "WebhookNonce";

-- Group commit for the callback hot path: several callbacks that arrive
-- together are stored in one transaction (one WAL flush, one round trip),
-- each answered only after that commit.
--
-- Lock order, so that two batches cannot deadlock: first every callback-log
-- row, in nonce order (the insert that consumes a nonce waits for another
-- transaction inserting the same one; a replayed nonce is reported, not
-- raised, so one replay does not fail its neighbours); then the reports, in
-- order of their batch's advisory lock key.
--
-- p_callbacks: [{idx, nonce?, requestId?, kind, rawBody, headers, secretId?,
--                batchId?, note?, maxUnmatched?, reports: [...]}]
-- note: what the callback log row should say about an accepted callback
-- (e.g. a clamped time); maxUnmatched: how many reports without a recipient
-- this callback may store (absent: no limit). (A nonceExpiresAt, which
-- earlier versions of the api send, is ignored.)
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
