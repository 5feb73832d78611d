-- desk_live_notify as in 20261203100000_live_explicit_notify, which a writer
-- calls to announce what its transaction changed (README "Live updates"):
--   - p_alarm: the delivery alarm changed (src/services/deskHealth/deskHealth.ts
--     sent that one with a pg_notify of its own);
--   - without p_refused, which no writer passed: refused callbacks are
--     announced by CallbackRejection's triggers.
-- Its one SQL caller, delivery_ingest_batch, names its arguments, which keep
-- their names.
DROP FUNCTION desk_live_notify(text[], integer[], boolean, boolean, integer[], integer[], boolean);
CREATE FUNCTION desk_live_notify(p_messages text[] DEFAULT NULL, p_inbound integer[] DEFAULT NULL,
                                 p_callbacks boolean DEFAULT false, p_recipients integer[] DEFAULT NULL,
                                 p_read_by integer[] DEFAULT NULL, p_opt_outs boolean DEFAULT false,
                                 p_alarm boolean DEFAULT false)
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
    'rd', CASE WHEN cardinality(p_read_by) > 0 THEN to_jsonb(p_read_by) END,
    'o', CASE WHEN p_opt_outs THEN 1 END,
    'a', CASE WHEN p_alarm THEN 1 END));
  IF v_payload <> '{}'::jsonb THEN
    PERFORM pg_notify('desk_live', v_payload::text);
  END IF;
END $$;
