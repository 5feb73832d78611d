-- Issue 15, items 1-4: roles, user management (invitations, password-reset
-- links, disabling) and the audit log.

CREATE TYPE "StaffRole" AS ENUM ('admin', 'sender', 'viewer');

-- Every existing user becomes admin: until now every staff member could do
-- everything (send, manage opt-outs and templates, re-process callbacks), and
-- a desk upgraded with only viewers or senders would have nobody able to
-- manage users. Admins can demote colleagues afterwards. New users get the
-- least privilege unless a role is given.
ALTER TABLE "User"
  ADD COLUMN "role" "StaffRole" NOT NULL DEFAULT 'admin',
  ADD COLUMN "disabledAt" TIMESTAMP(3),
  ADD COLUMN "activatedAt" TIMESTAMP(3),
  ADD COLUMN "invitedById" INTEGER;
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'viewer';
-- Existing users set their own password already.
UPDATE "User" SET "activatedAt" = "createdAt";

CREATE TYPE "UserTokenPurpose" AS ENUM ('SETUP', 'INVITATION', 'PASSWORD_RESET');

-- One-time tokens: the first-admin setup token, invitation links and
-- password-reset links. Only the SHA-256 of a token is stored.
CREATE TABLE "UserToken" (
    "id" SERIAL NOT NULL,
    "purpose" "UserTokenPurpose" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" INTEGER,
    "createdById" INTEGER,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "UserToken_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "UserToken_tokenHash_key" ON "UserToken"("tokenHash");
CREATE INDEX "UserToken_userId_purpose_idx" ON "UserToken"("userId", "purpose");
ALTER TABLE "UserToken" ADD CONSTRAINT "UserToken_userId_fkey"
  FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit log: who did what, when. No foreign key to "User": a row never
-- changes after it is written, whatever happens to the user (the email is
-- kept as it was at the time).
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "actorEmail" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "clientAddress" TEXT,
    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AuditEvent_action_length" CHECK (length("action") <= 64),
    CONSTRAINT "AuditEvent_actorEmail_length" CHECK (length("actorEmail") <= 320),
    CONSTRAINT "AuditEvent_target_length" CHECK (length("targetType") <= 64 AND length("targetId") <= 200),
    CONSTRAINT "AuditEvent_details_size" CHECK (pg_column_size("details") <= 8192)
);
CREATE INDEX "AuditEvent_at_id_idx" ON "AuditEvent"("at" DESC, "id" DESC);
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- Append-only: the application can only insert. UPDATE is always refused;
-- DELETE only where the database says so (the api test database sets
-- delivery_desk.audit_deletable = on so each test can start empty; see
-- api/jest.globalSetup.js). TRUNCATE is left to whoever owns the database.
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('delivery_desk.audit_deletable', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
