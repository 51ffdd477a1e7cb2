-- What the update-cadence scheduler has done per incident. Compared with next_update_due, these make every
-- reminder, escalation and nudge happen once per due time, whichever replica runs it.
ALTER TABLE chatops.incidents
    ADD COLUMN reminded_due     timestamptz,
    ADD COLUMN escalated_due    timestamptz,
    ADD COLUMN nudged_at        timestamptz,
    ADD COLUMN stale_reminders  integer NOT NULL DEFAULT 0;

-- Incidents open before the scheduler existed are not nagged retroactively for due times long past.
UPDATE chatops.incidents SET nudged_at = declared_at;
UPDATE chatops.incidents SET reminded_due = next_update_due, escalated_due = next_update_due
WHERE next_update_due < now();

CREATE INDEX incidents_nudge_idx ON chatops.incidents (declared_at)
    WHERE nudged_at IS NULL AND status IN ('investigating', 'identified', 'monitoring');
CREATE INDEX incidents_open_declared_idx ON chatops.incidents (declared_at)
    WHERE status IN ('investigating', 'identified', 'monitoring');
CREATE INDEX actions_reminder_idx ON chatops.actions (due_date, last_reminded_at) WHERE done_at IS NULL;

-- One Hangfire job per window of due times (not per incident). A row exists while a job for the window is
-- scheduled or running (open) and stays after it finishes (closed), so replicas planning the same window
-- schedule it once; a closed window that gets new work is reopened with a new job.
CREATE TABLE chatops.cadence_windows (
    window_end  timestamptz PRIMARY KEY,
    open        boolean NOT NULL DEFAULT true,
    jobs        integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now()
);
