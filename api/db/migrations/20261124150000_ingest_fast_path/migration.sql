-- Two costs on the callback hot path, found with `yarn bench` and perf
-- (numbers in README, Performance):
--
-- 1. The foreign key SmsStatusUpdate."callbackEventId" -> CallbackEvent. Every
--    stored report ran Postgres's RI check: a FOR KEY SHARE lock on the event
--    row plus a lookup whose cached generic plan, made while CallbackEvent was
--    nearly empty, kept seq-scanning it (pg_stat_user_tables showed 55M tuples
--    read in one bench round). The column is a log reference ("which callback
--    brought this report"), written in the same transaction as the event it
--    names; CallbackEvent rows are never deleted, so there is nothing for the
--    constraint to protect. It stays a plain, indexed-by-nothing integer.
ALTER TABLE "SmsStatusUpdate" DROP CONSTRAINT IF EXISTS "SmsStatusUpdate_callbackEventId_fkey";

-- 2. delivery_advance_recipient was LANGUAGE sql. A SQL function with a
--    data-modifying CTE cannot be inlined, so Postgres parsed and planned its
--    body on every call (base_yyparse and the planner topped perf's list).
--    plpgsql caches the plan per session. Same statement, same semantics: a
--    recipient's latest status moves forward only; a higher rank wins, an
--    equal rank wins only with a later event time; the WHERE is re-checked on
--    the locked row, so concurrent reports cannot move it back.
CREATE OR REPLACE FUNCTION delivery_advance_recipient(
  p_recipient_id integer, p_status text, p_rank integer, p_code integer,
  p_at timestamp(3), p_operator_at timestamp(3)
) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "MessageRecipient"
     SET status = p_status, "statusRank" = p_rank, code = p_code,
         "statusAt" = p_at, "operatorStatusAt" = p_operator_at, "updatedAt" = now()
   WHERE id = p_recipient_id
     AND ("statusRank" < p_rank
          OR ("statusRank" = p_rank AND ("statusAt" IS NULL OR "statusAt" < p_at)));
  RETURN FOUND;
END $$;
