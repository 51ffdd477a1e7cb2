-- The incident list checks visibility in SQL (issue 10): for a private incident it asks whether the viewer ever held
-- one of its roles (relieved rows included, which roles_current_uq does not cover) or owns one of its actions. These
-- lookups are per incident and by lower-cased id, the way the list query compares ids.
CREATE INDEX IF NOT EXISTS roles_incident_holder_idx ON chatops.roles (incident_id, lower(holder_id));
CREATE INDEX IF NOT EXISTS actions_incident_owner_idx ON chatops.actions (incident_id, lower(owner_id)) WHERE owner_id IS NOT NULL;
