-- CreateTable
CREATE TABLE "CallbackRejection" (
    "id" SERIAL NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requestId" TEXT,
    "reason" TEXT NOT NULL,
    "reasonText" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "method" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "host" TEXT,
    "forwardedProto" TEXT,
    "forwardedHost" TEXT,
    "remoteAddress" TEXT,
    "contentLength" INTEGER,
    "bodyExcerpt" TEXT NOT NULL,
    "nonce" TEXT,

    CONSTRAINT "CallbackRejection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CallbackRejection_receivedAt_idx" ON "CallbackRejection"("receivedAt");

-- CreateIndex
CREATE INDEX "CallbackRejection_nonce_idx" ON "CallbackRejection"("nonce");
