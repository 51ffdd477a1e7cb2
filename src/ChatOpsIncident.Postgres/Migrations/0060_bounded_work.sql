-- Bounded work (issue 10): keyset reads of one incident's timeline and audit, retention of done work rows, and no
-- secrets kept in stored inbox payloads once the item is done.

-- Keyset pagination on (occurred_at, id) and the decision's "last N entries" read the index backwards.
CREATE INDEX IF NOT EXISTS timeline_incident_keyset_idx ON chatops.timeline (incident_id, occurred_at, id);
CREATE INDEX IF NOT EXISTS audit_incident_keyset_idx ON chatops.audit (incident_id, at, id);

-- The retention purge finds old done rows without scanning the live queue.
CREATE INDEX IF NOT EXISTS inbox_done_idx ON chatops.inbox (completed_at) WHERE status = 'done';
CREATE INDEX IF NOT EXISTS outbox_done_idx ON chatops.outbox (completed_at) WHERE status = 'done';
CREATE INDEX IF NOT EXISTS deliveries_at_idx ON chatops.deliveries (at);

-- A done inbox payload is only kept for the record: Slack's response_url (a bearer URL for 30 minutes), its legacy
-- verification token and trigger_id are secrets nobody needs once the item is applied. JSON payloads (events,
-- interactions) lose those keys at the top level (and view submissions' response_urls); form-encoded payloads (slash
-- commands) lose those fields. Anything unreadable is dropped entirely rather than kept with its secrets.
CREATE OR REPLACE FUNCTION chatops.scrub_inbox_payload(payload text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF payload IS NULL OR payload = '' THEN
        RETURN payload;
    END IF;
    IF left(ltrim(payload), 1) = '{' THEN
        BEGIN
            RETURN (payload::jsonb - 'token' - 'response_url' - 'response_urls' - 'trigger_id')::text;
        EXCEPTION WHEN others THEN
            RETURN '';
        END;
    END IF;
    -- application/x-www-form-urlencoded: drop the secret fields, keep the rest in order.
    RETURN coalesce(array_to_string(ARRAY(
        SELECT part FROM unnest(string_to_array(payload, '&')) WITH ORDINALITY AS p(part, n)
        WHERE split_part(part, '=', 1) NOT IN ('token', 'response_url', 'trigger_id')
        ORDER BY n), '&'), '');
END;
$$;

-- Immediately on completion (whoever completes it, however): the trigger is the one place that cannot be forgotten.
CREATE OR REPLACE FUNCTION chatops.inbox_scrub_on_done() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.payload := chatops.scrub_inbox_payload(NEW.payload);
    RETURN NEW;
END;
$$;

DROP TRIGGER IF EXISTS inbox_scrub_on_done ON chatops.inbox;
CREATE TRIGGER inbox_scrub_on_done BEFORE UPDATE OF status ON chatops.inbox
    FOR EACH ROW WHEN (NEW.status = 'done' AND OLD.status IS DISTINCT FROM 'done')
    EXECUTE FUNCTION chatops.inbox_scrub_on_done();

-- Rows completed before this migration keep no secrets either.
UPDATE chatops.inbox SET payload = chatops.scrub_inbox_payload(payload) WHERE status = 'done';
