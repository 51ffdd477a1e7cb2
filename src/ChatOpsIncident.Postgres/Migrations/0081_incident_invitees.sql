-- The people the bot invited to an incident's channel. They are among the incident's people for the visibility rule
-- (Core/Privacy/IncidentVisibility.PeopleOf), so a private incident stays visible to them on the web and in chat
-- after they are relieved of the role they were invited for, or whatever they were invited for. Written with the
-- change set that queues the invitation (the outbox `invite` item), so the record and the invitation cannot part.
CREATE TABLE chatops.incident_invitees (
    incident_id  uuid NOT NULL REFERENCES chatops.incidents (id),
    user_id      text NOT NULL,
    user_name    text,
    invited_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (incident_id, user_id)
);

-- Until now the bot invited the declarer of an incident with a channel and every role holder: record them.
INSERT INTO chatops.incident_invitees (incident_id, user_id, user_name)
SELECT id, declared_by_id, declared_by_name FROM chatops.incidents WHERE channel_id IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO chatops.incident_invitees (incident_id, user_id, user_name)
SELECT r.incident_id, r.holder_id, r.holder_name FROM chatops.roles r JOIN chatops.incidents i ON i.id = r.incident_id
WHERE i.channel_id IS NOT NULL
ON CONFLICT DO NOTHING;
