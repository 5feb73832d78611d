-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('SMS', 'WHATSAPP');

-- CreateEnum
CREATE TYPE "SubmitState" AS ENUM ('PENDING', 'SUBMITTED', 'FAILED');

-- CreateEnum
CREATE TYPE "ReportSource" AS ENUM ('PUSHED', 'FETCHED');

-- CreateEnum
CREATE TYPE "CallbackVerdict" AS ENUM ('ACCEPTED', 'DUPLICATE', 'REJECTED', 'IGNORED');

-- CreateEnum
CREATE TYPE "ProcessingState" AS ENUM ('PROCESSED', 'UNMATCHED', 'FAILED', 'IGNORED', 'REJECTED');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "hashedPassword" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "resetToken" TEXT,
    "resetTokenExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sender" TEXT,
    "channel" "Channel" NOT NULL DEFAULT 'SMS',
    "sinchBatchId" TEXT,
    "clientReference" TEXT,
    "submitState" "SubmitState" NOT NULL DEFAULT 'PENDING',
    "submitError" TEXT,
    "submitAttempts" INTEGER NOT NULL DEFAULT 0,
    "submittedAt" TIMESTAMP(3),
    "recipientCount" INTEGER NOT NULL,
    "batchSummary" JSONB,
    "batchSummaryAt" TIMESTAMP(3),
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageRecipient" (
    "id" SERIAL NOT NULL,
    "messageId" TEXT NOT NULL,
    "phoneNumber" TEXT NOT NULL,
    "sinchMessageId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'Pending',
    "statusRank" INTEGER NOT NULL DEFAULT 0,
    "code" INTEGER,
    "statusAt" TIMESTAMP(3),
    "operatorStatusAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmsStatusUpdate" (
    "id" SERIAL NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "recipientId" INTEGER,
    "batchId" TEXT NOT NULL,
    "phoneNumber" TEXT NOT NULL,
    "clientReference" TEXT,
    "status" TEXT NOT NULL,
    "code" INTEGER,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "operatorStatusAt" TIMESTAMP(3),
    "source" "ReportSource" NOT NULL DEFAULT 'PUSHED',
    "rawPayload" JSONB NOT NULL,
    "callbackEventId" INTEGER,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SmsStatusUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallbackEvent" (
    "id" SERIAL NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requestId" TEXT,
    "kind" TEXT NOT NULL,
    "verdict" "CallbackVerdict" NOT NULL,
    "processingState" "ProcessingState" NOT NULL,
    "error" TEXT,
    "rawBody" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "secretId" TEXT,
    "nonce" TEXT,
    "batchId" TEXT,
    "reportsStored" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CallbackEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookNonce" (
    "nonce" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookNonce_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" SERIAL NOT NULL,
    "channel" "Channel" NOT NULL,
    "externalId" TEXT NOT NULL,
    "fromNumber" TEXT NOT NULL,
    "toNumber" TEXT,
    "body" TEXT,
    "contentType" TEXT NOT NULL DEFAULT 'text',
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "clientReference" TEXT,
    "rawPayload" JSONB NOT NULL,
    "callbackEventId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Message_sinchBatchId_key" ON "Message"("sinchBatchId");

-- CreateIndex
CREATE INDEX "Message_createdAt_id_idx" ON "Message"("createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Message_clientReference_idx" ON "Message"("clientReference");

-- CreateIndex
CREATE INDEX "Message_submitState_idx" ON "Message"("submitState");

-- CreateIndex
CREATE UNIQUE INDEX "MessageRecipient_sinchMessageId_key" ON "MessageRecipient"("sinchMessageId");

-- CreateIndex
CREATE INDEX "MessageRecipient_phoneNumber_idx" ON "MessageRecipient"("phoneNumber");

-- CreateIndex
CREATE INDEX "MessageRecipient_messageId_status_idx" ON "MessageRecipient"("messageId", "status");

-- CreateIndex
CREATE INDEX "MessageRecipient_status_statusAt_idx" ON "MessageRecipient"("status", "statusAt");

-- CreateIndex
CREATE UNIQUE INDEX "MessageRecipient_messageId_phoneNumber_key" ON "MessageRecipient"("messageId", "phoneNumber");

-- CreateIndex
CREATE UNIQUE INDEX "SmsStatusUpdate_dedupeKey_key" ON "SmsStatusUpdate"("dedupeKey");

-- CreateIndex
CREATE INDEX "SmsStatusUpdate_recipientId_at_idx" ON "SmsStatusUpdate"("recipientId", "at");

-- CreateIndex
CREATE INDEX "SmsStatusUpdate_batchId_phoneNumber_idx" ON "SmsStatusUpdate"("batchId", "phoneNumber");

-- CreateIndex
CREATE INDEX "SmsStatusUpdate_clientReference_idx" ON "SmsStatusUpdate"("clientReference");

-- CreateIndex
CREATE INDEX "SmsStatusUpdate_receivedAt_idx" ON "SmsStatusUpdate"("receivedAt");

-- CreateIndex
CREATE INDEX "CallbackEvent_receivedAt_idx" ON "CallbackEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "CallbackEvent_verdict_receivedAt_idx" ON "CallbackEvent"("verdict", "receivedAt");

-- CreateIndex
CREATE INDEX "CallbackEvent_processingState_idx" ON "CallbackEvent"("processingState");

-- CreateIndex
CREATE INDEX "CallbackEvent_batchId_idx" ON "CallbackEvent"("batchId");

-- CreateIndex
CREATE INDEX "WebhookNonce_expiresAt_idx" ON "WebhookNonce"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_externalId_key" ON "InboundMessage"("externalId");

-- CreateIndex
CREATE INDEX "InboundMessage_fromNumber_receivedAt_idx" ON "InboundMessage"("fromNumber", "receivedAt");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageRecipient" ADD CONSTRAINT "MessageRecipient_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SmsStatusUpdate" ADD CONSTRAINT "SmsStatusUpdate_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "MessageRecipient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SmsStatusUpdate" ADD CONSTRAINT "SmsStatusUpdate_callbackEventId_fkey" FOREIGN KEY ("callbackEventId") REFERENCES "CallbackEvent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMessage" ADD CONSTRAINT "InboundMessage_callbackEventId_fkey" FOREIGN KEY ("callbackEventId") REFERENCES "CallbackEvent"("id") ON DELETE SET NULL ON UPDATE CASCADE;
