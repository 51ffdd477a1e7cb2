-- GET /api/incidents pages with a keyset on (declared_at, number), newest first: the row comparison
-- (declared_at, number) < (@at, @number) seeks this index instead of sorting every incident per page.
CREATE INDEX IF NOT EXISTS incidents_declared_number_idx ON chatops.incidents (declared_at DESC, number DESC);
