-- delivery_ingest_batch as in 20261204110000_ingest_report_loop, taking a
-- callback's reports array out of the callback once: `v_cb->'reports'`
-- copies the array, and indexing it afresh for each report made a batch
-- report (a row per recipient) quadratic in its recipients.
CREATE OR REPLACE FUNCTION delivery_ingest_batch(p_callbacks jsonb)
RETURNS TABLE (idx integer, callback_event_id integer, stored integer, duplicates integer, unmatched integer,
               skipped integer, replay boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_cb jsonb;
  v_reports jsonb;
  v_report jsonb;
  v_i integer;
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
    -- By index, not FOR … IN SELECT jsonb_array_elements(…): each element is a
    -- plain expression, where the query opened a cursor per callback. The
    -- array is taken out of the callback once: `v_cb->'reports'` copies it,
    -- and a batch report's array has a row per recipient.
    v_reports := v_cb->'reports';
    FOR v_i IN 0 .. jsonb_array_length(v_reports) - 1 LOOP
      v_report := v_reports->v_i;
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
