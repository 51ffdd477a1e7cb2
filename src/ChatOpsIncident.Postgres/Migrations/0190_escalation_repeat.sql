-- Escalation keeps going: how many escalations were posted for escalated_due (the misses in a row). An incident
-- escalated before this version has had its one escalation for that due time.
ALTER TABLE chatops.incidents ADD COLUMN escalations integer NOT NULL DEFAULT 0;
UPDATE chatops.incidents SET escalations = 1 WHERE escalated_due IS NOT NULL;

-- Which pager routes (a severity's or a named service's) were triggered for an incident, so its acknowledge and
-- resolve reach every alert it opened. Kept beyond the outbox's retention: an incident may end weeks later.
CREATE TABLE chatops.page_routes (
    incident_id   uuid        NOT NULL,
    route         text        NOT NULL,
    triggered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (incident_id, route)
);
