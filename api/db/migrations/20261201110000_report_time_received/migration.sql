-- A Conversation delivery report may come without event_time (optional in
-- Sinch's model, docs/sinch-protocol.md#what-sinchs-models-allow). It is then
-- recorded at the time we received it and marked RECEIVED, so the timeline
-- can say so. The ingest functions take timeSource from the report JSON and
-- cast it to this type: nothing else changes.
ALTER TYPE "ReportTimeSource" ADD VALUE IF NOT EXISTS 'RECEIVED';
