-- Media in conversations (README "Media"): files customers send (fetched once
-- from Sinch's temporary URL by the background fetcher) and files staff send.
CREATE TYPE "MediaDirection" AS ENUM ('INBOUND', 'OUTBOUND');
CREATE TYPE "MediaState" AS ENUM ('PENDING', 'FETCHING', 'STORED', 'FAILED', 'PRUNED');

CREATE TABLE "MediaFile" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "direction" "MediaDirection" NOT NULL,
    "inboundMessageId" INTEGER,
    "messageId" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "sourceUrl" TEXT,
    "declaredMimeType" TEXT,
    "fileName" TEXT,
    "mimeType" TEXT,
    "sizeBytes" INTEGER,
    "sha256" TEXT,
    "state" "MediaState" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "failureReason" TEXT,
    "storedAt" TIMESTAMP(3),
    "uploadedById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MediaFile_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "MediaContent" (
    "mediaFileId" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    CONSTRAINT "MediaContent_pkey" PRIMARY KEY ("mediaFileId")
);

CREATE UNIQUE INDEX "MediaFile_key_key" ON "MediaFile"("key");
CREATE INDEX "MediaFile_inboundMessageId_idx" ON "MediaFile"("inboundMessageId");
CREATE INDEX "MediaFile_messageId_idx" ON "MediaFile"("messageId");
CREATE INDEX "MediaFile_createdAt_idx" ON "MediaFile"("createdAt");
-- The fetcher's queue: only files waiting or claimed (Prisma cannot declare partial indexes; it ignores this one).
CREATE INDEX "MediaFile_fetch_queue_idx" ON "MediaFile"("nextAttemptAt", "id") WHERE "state" IN ('PENDING', 'FETCHING');

ALTER TABLE "MediaFile" ADD CONSTRAINT "MediaFile_inboundMessageId_fkey" FOREIGN KEY ("inboundMessageId") REFERENCES "InboundMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MediaFile" ADD CONSTRAINT "MediaFile_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MediaContent" ADD CONSTRAINT "MediaContent_mediaFileId_fkey" FOREIGN KEY ("mediaFileId") REFERENCES "MediaFile"("id") ON DELETE CASCADE ON UPDATE CASCADE;
