-- Sessions that can be ended server-side, sign-in throttling and the per-address
-- budget of refused-callback diagnostics (issue 15, items 5 and 7).

-- Every session cookie carries the version it was issued under; getCurrentUser
-- refuses a cookie whose version is not the user's current one. Password resets
-- and "sign out everywhere" increment it.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- One row per sign-in attempt. Throttling counts the failed (and still pending)
-- ones per account and per client address, across api instances.
CREATE TABLE "SignInAttempt" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "email" TEXT NOT NULL,
    "clientAddress" TEXT NOT NULL,
    -- pending (password being checked), failed, succeeded, throttled (refused unchecked)
    "outcome" TEXT NOT NULL,
    "userId" INTEGER,
    CONSTRAINT "SignInAttempt_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "SignInAttempt_email_at_idx" ON "SignInAttempt"("email", "at");
CREATE INDEX "SignInAttempt_clientAddress_at_idx" ON "SignInAttempt"("clientAddress", "at");
CREATE INDEX "SignInAttempt_at_idx" ON "SignInAttempt"("at");

-- Refused callbacks per client address and hour: the first N of an hour get a
-- CallbackRejection row, the rest are only counted here.
CREATE TABLE "CallbackRejectionBudget" (
    "clientAddress" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "recorded" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "CallbackRejectionBudget_pkey" PRIMARY KEY ("clientAddress", "windowStart")
);
CREATE INDEX "CallbackRejectionBudget_windowStart_idx" ON "CallbackRejectionBudget"("windowStart");
