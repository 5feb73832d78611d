-- The inbox's read state, per staff user and conversation (number and channel).
CREATE TABLE "ConversationRead" (
    "userId" INTEGER NOT NULL,
    "phoneNumber" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "lastReadInboundId" INTEGER NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversationRead_pkey" PRIMARY KEY ("userId","phoneNumber","channel")
);

ALTER TABLE "ConversationRead" ADD CONSTRAINT "ConversationRead_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
