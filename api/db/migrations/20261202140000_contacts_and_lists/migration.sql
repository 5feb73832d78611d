-- Contacts, lists and CSV import (issue 18, item 1). README "Contacts, lists and import".

-- The contact book: one row per number (E.164 with +). attributes holds the
-- extra fields by name (text values). createdById/updatedById are plain
-- columns, as User.invitedById: users are never deleted.
CREATE TABLE "Contact" (
    "id" SERIAL NOT NULL,
    "phoneNumber" TEXT NOT NULL,
    "name" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" INTEGER,
    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Contact_phoneNumber_key" ON "Contact"("phoneNumber");
CREATE INDEX "Contact_name_idx" ON "Contact"("name");

CREATE TABLE "ContactList" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" INTEGER,
    CONSTRAINT "ContactList_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ContactList_name_key" ON "ContactList"("name");

-- Lists and contacts, many-to-many.
CREATE TABLE "ContactListMember" (
    "listId" INTEGER NOT NULL,
    "contactId" INTEGER NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ContactListMember_pkey" PRIMARY KEY ("listId", "contactId"),
    CONSTRAINT "ContactListMember_listId_fkey" FOREIGN KEY ("listId") REFERENCES "ContactList"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContactListMember_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ContactListMember_contactId_idx" ON "ContactListMember"("contactId");

-- An uploaded CSV and its import: uploaded (file stored, waiting for the
-- mapping), queued, running (claimed by an api instance, which beats
-- heartbeatAt), done or failed. The file is dropped once the import ends.
CREATE TABLE "ContactImport" (
    "id" SERIAL NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'uploaded',
    "fileName" TEXT NOT NULL,
    "file" BYTEA,
    "byteSize" INTEGER NOT NULL,
    "headers" JSONB NOT NULL,
    "preview" JSONB NOT NULL,
    "mapping" JSONB,
    "listId" INTEGER,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "phase" TEXT,
    "rowsRead" INTEGER NOT NULL DEFAULT 0,
    "rowsSaved" INTEGER NOT NULL DEFAULT 0,
    "rowsTotal" INTEGER,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "duplicatesMerged" INTEGER NOT NULL DEFAULT 0,
    "optedOut" INTEGER NOT NULL DEFAULT 0,
    "badRows" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "finishedAt" TIMESTAMP(3),
    CONSTRAINT "ContactImport_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ContactImport_listId_fkey" FOREIGN KEY ("listId") REFERENCES "ContactList"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "ContactImport_status_idx" ON "ContactImport"("status", "id");

-- Every bad row of an import, by its line in the file (at most one per row,
-- so bounded by the row limit).
CREATE TABLE "ContactImportProblem" (
    "id" SERIAL NOT NULL,
    "importId" INTEGER NOT NULL,
    "line" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "value" TEXT,
    CONSTRAINT "ContactImportProblem_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ContactImportProblem_importId_fkey" FOREIGN KEY ("importId") REFERENCES "ContactImport"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ContactImportProblem_importId_line_idx" ON "ContactImportProblem"("importId", "line");
