-- AlterTable
ALTER TABLE "MessageRecipient" ADD COLUMN     "lastReconcileAt" TIMESTAMP(3),
ADD COLUMN     "reconcileAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "statusReason" TEXT;

-- A reason explains one status: when the status moves on (a report, a later
-- final), the old reason no longer applies. An update that sets a new reason
-- itself keeps it. The WHEN clause keeps the callback hot path free of any
-- trigger call for the many recipients without a reason.
CREATE OR REPLACE FUNCTION delivery_clear_status_reason() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.status IS DISTINCT FROM OLD.status OR NEW."statusAt" IS DISTINCT FROM OLD."statusAt")
     AND NEW."statusReason" IS NOT DISTINCT FROM OLD."statusReason" THEN
    NEW."statusReason" := NULL;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "MessageRecipient_clear_status_reason"
  BEFORE UPDATE ON "MessageRecipient"
  FOR EACH ROW WHEN (OLD."statusReason" IS NOT NULL)
  EXECUTE FUNCTION delivery_clear_status_reason();
