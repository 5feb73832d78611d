-- Sends to audiences (README "Audience sends"): a message of up to 100,000
-- recipients goes to Sinch as chunks of at most SEND_CHUNK_SIZE recipients,
-- one Sinch batch each. A chunk's row (and its client_reference, derived from
-- the message id and the chunk's index) is stored with the message, before
-- anything is submitted, so a crash or a retry resumes the chunks left and
-- never submits one twice. Recipients keep their chunk and the text they get
-- once a template is filled; messages keep their schedule and cancellation.

CREATE TYPE "ChunkState" AS ENUM ('PENDING', 'SUBMITTING', 'SUBMITTED', 'FAILED', 'CANCELLED');

ALTER TABLE "Message"
  ADD COLUMN "chunked" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "chunkCount" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "parameterNames" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "parameterDefaults" JSONB,
  ADD COLUMN "smsTemplateId" INTEGER,
  ADD COLUMN "sendAt" TIMESTAMP(3),
  ADD COLUMN "expireAt" TIMESTAMP(3),
  ADD COLUMN "cancelledAt" TIMESTAMP(3),
  ADD COLUMN "cancelledById" INTEGER;

CREATE INDEX "Message_sendAt_idx" ON "Message"("sendAt");

ALTER TABLE "MessageRecipient"
  ADD COLUMN "chunkIndex" INTEGER,
  ADD COLUMN "parameters" JSONB,
  ADD COLUMN "filledText" TEXT,
  ADD COLUMN "parts" INTEGER;

CREATE TABLE "MessageChunk" (
    "id" SERIAL NOT NULL,
    "messageId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "clientReference" TEXT NOT NULL,
    "recipientCount" INTEGER NOT NULL,
    "state" "ChunkState" NOT NULL DEFAULT 'PENDING',
    "sinchBatchId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outcomeUnknown" BOOLEAN NOT NULL DEFAULT false,
    "claimedAt" TIMESTAMP(3),
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MessageChunk_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "MessageChunk_clientReference_key" ON "MessageChunk"("clientReference");
CREATE UNIQUE INDEX "MessageChunk_sinchBatchId_key" ON "MessageChunk"("sinchBatchId");
CREATE UNIQUE INDEX "MessageChunk_messageId_index_key" ON "MessageChunk"("messageId", "index");
CREATE INDEX "MessageChunk_state_nextAttemptAt_idx" ON "MessageChunk"("state", "nextAttemptAt");
ALTER TABLE "MessageChunk" ADD CONSTRAINT "MessageChunk_messageId_fkey"
  FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Saved SMS bodies with ((placeholders)).
CREATE TABLE "SmsTemplate" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "SmsTemplate_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "SmsTemplate_name_key" ON "SmsTemplate"("name");
ALTER TABLE "SmsTemplate" ADD CONSTRAINT "SmsTemplate_createdById_fkey"
  FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Message" ADD CONSTRAINT "Message_smsTemplateId_fkey"
  FOREIGN KEY ("smsTemplateId") REFERENCES "SmsTemplate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A reviewed audience send waiting for its confirmation (not a message).
CREATE TABLE "SendDraft" (
    "id" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "body" TEXT NOT NULL,
    "parameterNames" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "parameterDefaults" JSONB,
    "sender" TEXT,
    "clientReference" TEXT,
    "smsTemplateId" INTEGER,
    "sendAt" TIMESTAMP(3),
    "expireAt" TIMESTAMP(3),
    "recipientCount" INTEGER NOT NULL,
    "recipients" JSONB NOT NULL,
    CONSTRAINT "SendDraft_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "SendDraft_createdById_idx" ON "SendDraft"("createdById");
CREATE INDEX "SendDraft_expiresAt_idx" ON "SendDraft"("expiresAt");

-- Reports of a chunk find their recipient through the chunk's batch id (or,
-- before it is recorded, its client_reference): a third branch of the one
-- rule, otherwise as defined in 20261202100100_one_report_match. The overall
-- LIMIT 1 stops at the first branch that finds the recipient, so a report of
-- a single-batch message never reaches the chunk branch.
CREATE OR REPLACE FUNCTION delivery_report_recipient(p_batch text, p_phone text, p_client_ref text, p_message_id text)
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
  UNION ALL
  (SELECT rc.id, rc."batchReportInHistory"
     FROM "MessageChunk" c JOIN "MessageRecipient" rc ON rc."messageId" = c."messageId"
    WHERE p_message_id IS NULL AND rc."phoneNumber" = p_phone
      AND (c."sinchBatchId" = p_batch OR (c."sinchBatchId" IS NULL AND c."clientReference" = p_client_ref))
    LIMIT 1)
  LIMIT 1
$$;
