-- WhatsApp through the Conversation API: templates staff may send, and what a
-- message sent as a template carried. The 24-hour window is computed from
-- "InboundMessage" (channel WHATSAPP, fromNumber, max receivedAt) through its
-- existing (fromNumber, receivedAt) index: no Contact table to keep in step.

-- CreateTable
CREATE TABLE "WhatsAppTemplate" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "languageCode" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "parameterNames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WhatsAppTemplate_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "smsFallback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "templateId" INTEGER,
ADD COLUMN     "templateLanguage" TEXT,
ADD COLUMN     "templateName" TEXT,
ADD COLUMN     "templateParameters" JSONB;

-- CreateIndex
CREATE UNIQUE INDEX "WhatsAppTemplate_name_languageCode_key" ON "WhatsAppTemplate"("name", "languageCode");

-- CreateIndex
CREATE INDEX "InboundMessage_channel_fromNumber_receivedAt_idx" ON "InboundMessage"("channel", "fromNumber", "receivedAt");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "WhatsAppTemplate"("id") ON DELETE SET NULL ON UPDATE CASCADE;
