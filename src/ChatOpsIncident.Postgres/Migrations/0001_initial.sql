CREATE SCHEMA IF NOT EXISTS chatops;

CREATE SEQUENCE chatops.incident_number_seq;

CREATE TABLE chatops.incidents (
    id                 uuid PRIMARY KEY,
    number             integer NOT NULL UNIQUE DEFAULT nextval('chatops.incident_number_seq'),
    declare_key        text NOT NULL UNIQUE,
    title              text NOT NULL,
    severity           text NOT NULL,
    type               text NOT NULL,
    status             text NOT NULL,
    is_private         boolean NOT NULL DEFAULT false,
    description        text,
    summary            text,
    platform           text NOT NULL,
    channel_id         text,
    channel_name       text,
    channel_url        text,
    origin_channel_id  text,
    declared_by_id     text NOT NULL,
    declared_by_name   text,
    declared_at        timestamptz NOT NULL,
    acknowledged_at    timestamptz,
    mitigated_at       timestamptz,
    resolved_at        timestamptz,
    closed_at          timestamptz,
    last_update_at     timestamptz,
    next_update_due    timestamptz,
    deploy_freeze      boolean NOT NULL DEFAULT false,
    version            integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX incidents_channel_uq ON chatops.incidents (platform, channel_id) WHERE channel_id IS NOT NULL;
CREATE INDEX incidents_declared_idx ON chatops.incidents (declared_at DESC);
CREATE INDEX incidents_due_idx ON chatops.incidents (next_update_due) WHERE status IN ('investigating', 'identified', 'monitoring');

CREATE TABLE chatops.roles (
    id                bigserial PRIMARY KEY,
    incident_id       uuid NOT NULL REFERENCES chatops.incidents (id),
    role              text NOT NULL,
    holder_id         text NOT NULL,
    holder_name       text,
    assigned_at       timestamptz NOT NULL,
    assigned_by_id    text NOT NULL,
    assigned_by_name  text,
    relieved_at       timestamptz
);
-- One holder per role at a time; the history stays in relieved rows.
CREATE UNIQUE INDEX roles_current_uq ON chatops.roles (incident_id, role) WHERE relieved_at IS NULL;

CREATE TABLE chatops.timeline (
    id               bigserial PRIMARY KEY,
    incident_id      uuid NOT NULL REFERENCES chatops.incidents (id),
    kind             text NOT NULL,
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL,
    author_id        text,
    author_name      text,
    text             text NOT NULL,
    source_platform  text,
    source_channel   text,
    source_message   text,
    source_thread    text,
    permalink        text,
    dedupe_key       text,
    removed_at       timestamptz,
    edited_at        timestamptz
);
CREATE UNIQUE INDEX timeline_dedupe_uq ON chatops.timeline (incident_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX timeline_incident_idx ON chatops.timeline (incident_id, occurred_at);
CREATE INDEX timeline_source_idx ON chatops.timeline (source_platform, source_channel, source_message) WHERE source_message IS NOT NULL;

CREATE TABLE chatops.status_updates (
    id           bigserial PRIMARY KEY,
    incident_id  uuid NOT NULL REFERENCES chatops.incidents (id),
    status       text NOT NULL,
    text         text NOT NULL,
    author_id    text NOT NULL,
    author_name  text,
    posted_at    timestamptz NOT NULL
);
CREATE INDEX status_updates_incident_idx ON chatops.status_updates (incident_id, posted_at);

CREATE TABLE chatops.actions (
    id                bigserial PRIMARY KEY,
    incident_id       uuid NOT NULL REFERENCES chatops.incidents (id),
    seq               integer NOT NULL,
    text              text NOT NULL,
    owner_id          text,
    owner_name        text,
    due_date          date,
    priority          text NOT NULL,
    created_at        timestamptz NOT NULL,
    created_by_id     text NOT NULL,
    created_by_name   text,
    done_at           timestamptz,
    done_by_id        text,
    done_by_name      text,
    last_reminded_at  timestamptz,
    UNIQUE (incident_id, seq)
);
CREATE INDEX actions_open_idx ON chatops.actions (due_date) WHERE done_at IS NULL;

CREATE TABLE chatops.audit (
    id           bigserial PRIMARY KEY,
    incident_id  uuid NOT NULL REFERENCES chatops.incidents (id),
    at           timestamptz NOT NULL,
    actor        text NOT NULL,
    surface      text NOT NULL,
    field        text NOT NULL,
    old_value    text,
    new_value    text
);
CREATE INDEX audit_incident_idx ON chatops.audit (incident_id, id);

-- The audit log is append-only: the database refuses to change or delete it.
CREATE FUNCTION chatops.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'chatops.audit is append-only';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON chatops.audit
    FOR EACH ROW EXECUTE FUNCTION chatops.audit_append_only();

CREATE TABLE chatops.checklist (
    incident_id   uuid NOT NULL REFERENCES chatops.incidents (id),
    checklist     text NOT NULL,
    idx           integer NOT NULL,
    text          text NOT NULL,
    done_by_id    text,
    done_by_name  text,
    done_at       timestamptz,
    PRIMARY KEY (incident_id, checklist, idx)
);

-- Acknowledged inbound deliveries: stored before the 2xx, processed after it.
CREATE TABLE chatops.inbox (
    id            bigserial PRIMARY KEY,
    platform      text NOT NULL,
    delivery_id   text NOT NULL,
    kind          text NOT NULL,
    payload       text NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    status        text NOT NULL DEFAULT 'pending',
    attempts      integer NOT NULL DEFAULT 0,
    available_at  timestamptz NOT NULL DEFAULT now(),
    last_error    text,
    completed_at  timestamptz,
    UNIQUE (platform, delivery_id)
);
CREATE INDEX inbox_pending_idx ON chatops.inbox (available_at) WHERE status = 'pending';

-- Outbound effects saved with the state change that caused them; delivered once per key.
CREATE TABLE chatops.outbox (
    id            bigserial PRIMARY KEY,
    key           text NOT NULL UNIQUE,
    incident_id   uuid,
    platform      text NOT NULL,
    operation     text NOT NULL,
    channel_id    text NOT NULL,
    body          jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    status        text NOT NULL DEFAULT 'pending',
    attempts      integer NOT NULL DEFAULT 0,
    available_at  timestamptz NOT NULL DEFAULT now(),
    result        text,
    last_error    text,
    completed_at  timestamptz
);
CREATE INDEX outbox_pending_idx ON chatops.outbox (available_at, id) WHERE status = 'pending';

-- Side effects done outside the outbox, by key (e.g. a reminder already posted).
CREATE TABLE chatops.deliveries (
    key     text PRIMARY KEY,
    result  text,
    at      timestamptz NOT NULL DEFAULT now()
);
