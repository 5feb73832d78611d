-- Retention (api/src/services/retention): callback events are deleted after
-- RETENTION_CALLBACK_DAYS. A reply (InboundMessage) points at its event with
-- a foreign key ON DELETE SET NULL; without an index on that column every
-- deleted event would scan the replies to find the ones to update.
CREATE INDEX "InboundMessage_callbackEventId_idx" ON "InboundMessage"("callbackEventId");
