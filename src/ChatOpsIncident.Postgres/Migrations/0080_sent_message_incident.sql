-- The incident a posted Teams message is about: a card action from a conversation other than the incident's own is
-- allowed only on a message the bot posted there about that incident. Matching the stored card text for "INC-n" was
-- loose (INC-1 is inside INC-12, a note can quote another incident's number). Rows posted before this have no id and
-- no longer vouch for a click: those cards still work from the incident's own channel.
ALTER TABLE chatops.teams_messages ADD COLUMN incident_id uuid;
