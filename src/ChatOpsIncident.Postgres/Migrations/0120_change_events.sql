-- Change events (deploys, flags, config, migrations, infrastructure) reported by CI and flag tools: listed for a new
-- incident (the last Changes:Window) and by GET /api/changes?since=, both by when the change happened.
CREATE TABLE IF NOT EXISTS chatops.change_events (
    id          bigserial PRIMARY KEY,
    kind        text        NOT NULL,
    service     text        NOT NULL,
    summary     text        NOT NULL,
    author      text        NULL,
    url         text        NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS change_events_occurred_idx ON chatops.change_events (occurred_at, id);
