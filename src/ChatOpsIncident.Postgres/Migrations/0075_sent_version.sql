-- The incident version a posted message (the kickoff card) shows after its latest update: an update rendered from an
-- older version is skipped instead of putting old content back. Kept on the post's own outbox row (its key is the
-- update's target key), so it lives exactly as long as the row the update needs anyway.
ALTER TABLE chatops.outbox ADD COLUMN sent_version integer;
