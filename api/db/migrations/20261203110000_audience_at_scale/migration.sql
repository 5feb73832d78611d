-- A reviewed audience send's recipients as rows (README "Review before
-- sending"). The review screens the file as a stream and writes each chunk of
-- recipients as it goes, instead of one JSON array of every recipient held in
-- the api and sent as one parameter; confirming reads them back in one
-- INSERT … SELECT in position order (the primary key). Drafts live an hour at
-- most: those of the old shape are dropped (their senders review again).
DELETE FROM "SendDraft";
ALTER TABLE "SendDraft" DROP COLUMN "recipients";

CREATE TABLE "SendDraftRecipient" (
    "draftId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "phoneNumber" TEXT NOT NULL,
    "parameters" JSONB,
    "filledText" TEXT,
    "parts" INTEGER NOT NULL,

    CONSTRAINT "SendDraftRecipient_pkey" PRIMARY KEY ("draftId","position")
);

ALTER TABLE "SendDraftRecipient" ADD CONSTRAINT "SendDraftRecipient_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES "SendDraft"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A message's recipients a page at a time in id order (RecipientsCell):
-- without it the first page of a message with 100,000 recipients either
-- collects all of their ids and sorts them, or walks the primary key from the
-- oldest recipient of every message (bench/queries.ts, README Performance).
CREATE INDEX "MessageRecipient_messageId_id_idx" ON "MessageRecipient"("messageId", "id");

-- The median time to deliver of a message's page without sorting its
-- delivered recipients: read from the middle of this index (the message page
-- at 100,000 recipients spent most of its time in that sort). It replaces
-- ("messageId", status), which it serves as well: a recipient's status and
-- statusAt change together, so no update writes an index entry it did not
-- write before.
DROP INDEX "MessageRecipient_messageId_status_idx";
CREATE INDEX "MessageRecipient_messageId_status_statusAt_idx" ON "MessageRecipient"("messageId", "status", "statusAt");
