-- Alert intake: one row per (source, group key). An episode is one firing spell; its incident is linked here, so
-- re-deliveries and re-firing alerts find it instead of declaring again.
CREATE TABLE chatops.alert_groups (
    id                uuid PRIMARY KEY,
    source            text NOT NULL,
    group_key         text NOT NULL,
    title             text NOT NULL,
    description       text,
    status            text NOT NULL,
    state             text NOT NULL DEFAULT 'new',
    episode           integer NOT NULL DEFAULT 1,
    incident_id       uuid REFERENCES chatops.incidents (id) ON DELETE SET NULL,
    action            text NOT NULL,
    severity          text,
    type              text,
    commander         text,
    starts_at         timestamptz,
    links             jsonb NOT NULL DEFAULT '[]',
    first_seen_at     timestamptz NOT NULL,
    last_seen_at      timestamptz NOT NULL,
    last_timeline_at  timestamptz,
    UNIQUE (source, group_key)
);

CREATE INDEX alert_groups_pending_idx ON chatops.alert_groups (first_seen_at) WHERE state = 'pending';

-- One row: when the last alert card went to the feed. Updating it is how one replica claims the next card.
CREATE TABLE chatops.alert_feed (
    id            integer PRIMARY KEY CHECK (id = 1),
    last_card_at  timestamptz
);

INSERT INTO chatops.alert_feed (id) VALUES (1);
