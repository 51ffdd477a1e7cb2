-- Checklist ticks are keyed by the item, not its position: after `type` or `sev` changes the runbook (or recovery
-- list), the ticks of items the new list still has stay ticked, wherever they now sit, and a new item at an old
-- position does not inherit the old item's tick. idx stays as the position the item had when last ticked.
-- Before the key changes, keep one row per (incident, checklist, text): the lowest position wins.
DELETE FROM chatops.checklist a USING chatops.checklist b
WHERE a.incident_id = b.incident_id AND a.checklist = b.checklist AND a.text = b.text AND a.idx > b.idx;

ALTER TABLE chatops.checklist DROP CONSTRAINT checklist_pkey;
ALTER TABLE chatops.checklist ADD PRIMARY KEY (incident_id, checklist, text);
