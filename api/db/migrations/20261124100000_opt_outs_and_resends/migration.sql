-- CreateEnum
CREATE TYPE "OptOutSource" AS ENUM ('INBOUND', 'STAFF');

-- CreateEnum
CREATE TYPE "OptOutAction" AS ENUM ('OPT_OUT', 'OPT_IN');

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "resendAttempt" INTEGER,
ADD COLUMN     "resendOfId" TEXT;

-- CreateTable
CREATE TABLE "OptOut" (
    "id" SERIAL NOT NULL,
    "phoneNumber" TEXT NOT NULL,
    "source" "OptOutSource" NOT NULL,
    "inboundMessageId" INTEGER,
    "createdById" INTEGER,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OptOut_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OptOutEvent" (
    "id" SERIAL NOT NULL,
    "phoneNumber" TEXT NOT NULL,
    "action" "OptOutAction" NOT NULL,
    "source" "OptOutSource" NOT NULL,
    "createdById" INTEGER,
    "inboundMessageId" INTEGER,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OptOutEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OptOut_phoneNumber_key" ON "OptOut"("phoneNumber");

-- CreateIndex
CREATE INDEX "OptOutEvent_phoneNumber_at_idx" ON "OptOutEvent"("phoneNumber", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Message_resendOfId_resendAttempt_key" ON "Message"("resendOfId", "resendAttempt");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_resendOfId_fkey" FOREIGN KEY ("resendOfId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OptOut" ADD CONSTRAINT "OptOut_inboundMessageId_fkey" FOREIGN KEY ("inboundMessageId") REFERENCES "InboundMessage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OptOut" ADD CONSTRAINT "OptOut_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OptOutEvent" ADD CONSTRAINT "OptOutEvent_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OptOutEvent" ADD CONSTRAINT "OptOutEvent_inboundMessageId_fkey" FOREIGN KEY ("inboundMessageId") REFERENCES "InboundMessage"("id") ON DELETE SET NULL ON UPDATE CASCADE;
