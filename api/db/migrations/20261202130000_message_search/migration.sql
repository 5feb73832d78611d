-- Message search and the list's filters (README, "Finding messages").
--
-- pg_trgm is a trusted extension (Postgres 13+): the database owner may
-- create it, no superuser needed. Declared in schema.prisma (extensions,
-- postgresqlExtensions) so `migrate dev` keeps it.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- Trigram indexes answer ILIKE '%text%' (and LIKE for numbers) without reading
-- every row: search by words of the body, a part of the client reference, or
-- a part of a recipient's number.
CREATE INDEX "Message_body_trgm_idx" ON "Message" USING GIN ("body" gin_trgm_ops);
CREATE INDEX "Message_clientReference_trgm_idx" ON "Message" USING GIN ("clientReference" gin_trgm_ops);
CREATE INDEX "MessageRecipient_phoneNumber_trgm_idx" ON "MessageRecipient" USING GIN ("phoneNumber" gin_trgm_ops);

-- The list filtered by who sent it or by channel, newest first: the filter
-- seeks, the order comes from the index (messages are written once, so these
-- cost nothing on the callback path).
CREATE INDEX "Message_createdById_createdAt_id_idx" ON "Message"("createdById", "createdAt" DESC, "id");
CREATE INDEX "Message_channel_createdAt_id_idx" ON "Message"("channel", "createdAt" DESC, "id");
