-- The event row is written once, as "accepted, every report stored", and
-- updated only when some report was a duplicate or found no recipient: the
-- common case costs one write fewer.
CREATE OR REPLACE FUNCTION delivery_ingest_reports(
  p_nonce text, p_nonce_expires timestamp(3), p_request_id text, p_kind text,
  p_raw_body text, p_headers jsonb, p_secret_id text, p_batch_id text, p_reports jsonb
) RETURNS TABLE (callback_event_id integer, stored integer, duplicates integer, unmatched integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_row record;
BEGIN
  SELECT * INTO v_row FROM delivery_ingest_batch(jsonb_build_array(jsonb_build_object(
    'idx', 0, 'nonce', p_nonce, 'nonceExpiresAt', p_nonce_expires::text || 'Z', 'requestId', p_request_id,
    'kind', p_kind, 'rawBody', p_raw_body, 'headers', p_headers, 'secretId', p_secret_id,
    'batchId', p_batch_id, 'reports', p_reports)));
  IF v_row.replay THEN
    RAISE EXCEPTION 'nonce already used' USING ERRCODE = 'DD001';
  END IF;
  RETURN QUERY SELECT v_row.callback_event_id, v_row.stored, v_row.duplicates, v_row.unmatched;
END $$;

-- Group commit for the callback hot path: several callbacks that arrive
-- together are stored in one transaction (one WAL flush, one round trip),
-- each answered only after that commit. Same steps and guarantees as
-- delivery_ingest_reports, per callback.
--
-- Lock order, so that two batches cannot deadlock: first every nonce, in
-- nonce order (a replayed nonce is reported, not raised, so one replay does
-- not fail its neighbours); then the reports, in order of their batch's
-- advisory lock key.
--
-- p_callbacks: [{idx, nonce?, nonceExpiresAt?, requestId?, kind, rawBody,
--                headers, secretId?, batchId?, reports: [...]}]
CREATE OR REPLACE FUNCTION delivery_ingest_batch(p_callbacks jsonb)
RETURNS TABLE (idx integer, callback_event_id integer, stored integer, duplicates integer, unmatched integer, replay boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_cb jsonb;
  v_report jsonb;
  v_result record;
  v_event integer;
  v_stored integer;
  v_duplicates integer;
  v_unmatched integer;
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
      idx := (v_cb->>'idx')::integer; callback_event_id := NULL; stored := 0; duplicates := 0; unmatched := 0; replay := true;
      RETURN NEXT;
    END IF;
  END LOOP;

  FOR v_cb IN
    SELECT value FROM jsonb_array_elements(p_callbacks)
     WHERE NOT ((value->>'idx')::integer = ANY (v_replays))
     ORDER BY hashtext('batch:' || coalesce(value->>'batchId', '')), (value->>'idx')::integer
  LOOP
    INSERT INTO "CallbackEvent"
      ("receivedAt", "requestId", kind, verdict, "processingState", "rawBody", headers, "secretId", nonce, "batchId", "reportsStored")
    VALUES (now(), v_cb->>'requestId', v_cb->>'kind', 'ACCEPTED', 'PROCESSED', v_cb->>'rawBody', v_cb->'headers',
            v_cb->>'secretId', v_cb->>'nonce', v_cb->>'batchId', jsonb_array_length(v_cb->'reports'))
    RETURNING id INTO v_event;

    v_stored := 0; v_duplicates := 0; v_unmatched := 0;
    FOR v_report IN SELECT value FROM jsonb_array_elements(v_cb->'reports') LOOP
      SELECT * INTO v_result FROM delivery_record_report(v_report, v_event);
      IF v_result.inserted THEN
        v_stored := v_stored + 1;
        IF NOT v_result.matched THEN v_unmatched := v_unmatched + 1; END IF;
      ELSE
        v_duplicates := v_duplicates + 1;
      END IF;
    END LOOP;

    IF v_duplicates > 0 OR v_unmatched > 0 THEN
      UPDATE "CallbackEvent"
         SET verdict = CASE WHEN v_stored = 0 THEN 'DUPLICATE' ELSE 'ACCEPTED' END::"CallbackVerdict",
             "processingState" = CASE WHEN v_unmatched > 0 THEN 'UNMATCHED' ELSE 'PROCESSED' END::"ProcessingState",
             "reportsStored" = v_stored
       WHERE id = v_event;
    END IF;

    idx := (v_cb->>'idx')::integer; callback_event_id := v_event; stored := v_stored;
    duplicates := v_duplicates; unmatched := v_unmatched; replay := false;
    RETURN NEXT;
  END LOOP;
END $$;
