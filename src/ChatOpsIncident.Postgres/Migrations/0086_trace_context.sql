-- The W3C traceparent of the request (or work) that stored the row, so the worker that processes it continues the
-- same trace: platform request → inbox → worker → outbox → platform call. Null when nothing was being traced.
ALTER TABLE chatops.inbox ADD COLUMN IF NOT EXISTS trace_parent text;
ALTER TABLE chatops.outbox ADD COLUMN IF NOT EXISTS trace_parent text;
