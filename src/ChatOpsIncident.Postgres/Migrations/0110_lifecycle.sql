-- The lifecycle's key times and exits. impact_started_at is set by a responder (`started 09:12`); detected_at is the
-- first alert's time or the declaration; merged_into is the number of the incident a duplicate was merged into.
ALTER TABLE chatops.incidents
    ADD COLUMN impact_started_at  timestamptz,
    ADD COLUMN detected_at        timestamptz,
    ADD COLUMN merged_into        integer;

-- Until now detection was the declaration.
UPDATE chatops.incidents SET detected_at = declared_at WHERE detected_at IS NULL;

-- Triage is open too (it is reminded and listed): the partial indexes over open incidents include it.
DROP INDEX IF EXISTS chatops.incidents_due_idx;
CREATE INDEX incidents_due_idx ON chatops.incidents (next_update_due)
    WHERE status IN ('triage', 'investigating', 'identified', 'monitoring');
DROP INDEX IF EXISTS chatops.incidents_nudge_idx;
CREATE INDEX incidents_nudge_idx ON chatops.incidents (declared_at)
    WHERE nudged_at IS NULL AND status IN ('triage', 'investigating', 'identified', 'monitoring');
DROP INDEX IF EXISTS chatops.incidents_open_declared_idx;
CREATE INDEX incidents_open_declared_idx ON chatops.incidents (declared_at)
    WHERE status IN ('triage', 'investigating', 'identified', 'monitoring');
