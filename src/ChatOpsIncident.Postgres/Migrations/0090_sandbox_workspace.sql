-- The local workspace (Sandbox:Enabled, Development only): a chat platform of our own whose channels, members,
-- messages and reactions live beside the incidents. Created on every database (empty unless the sandbox runs), so
-- switching the sandbox on needs no second migration path.
CREATE SEQUENCE IF NOT EXISTS chatops.sandbox_channel_seq;
CREATE SEQUENCE IF NOT EXISTS chatops.sandbox_message_seq;
-- One revision counter for every change to a message. Writers take a transaction-scoped advisory lock before drawing
-- from it, so revisions commit in order and "changed after revision N" never skips a change committed late.
CREATE SEQUENCE IF NOT EXISTS chatops.sandbox_revision_seq;

CREATE TABLE IF NOT EXISTS chatops.sandbox_channels (
    id          text PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    kind        text NOT NULL,
    is_private  boolean NOT NULL DEFAULT false,
    topic       text,
    incident_id uuid UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS chatops.sandbox_members (
    channel_id text NOT NULL REFERENCES chatops.sandbox_channels (id) ON DELETE CASCADE,
    user_id    text NOT NULL,
    joined_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, user_id)
);

CREATE TABLE IF NOT EXISTS chatops.sandbox_messages (
    id            text PRIMARY KEY,
    seq           bigint NOT NULL UNIQUE,
    -- The client's message id or the outbox key: a retried post is stored once.
    key           text NOT NULL UNIQUE,
    channel_id    text NOT NULL REFERENCES chatops.sandbox_channels (id) ON DELETE CASCADE,
    thread_id     text,
    user_id       text NOT NULL,
    text          text NOT NULL,
    body          jsonb,
    form          jsonb,
    ephemeral_for text,
    pinned        boolean NOT NULL DEFAULT false,
    posted_at     timestamptz NOT NULL DEFAULT now(),
    edited_at     timestamptz,
    revision      bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS sandbox_messages_channel_revision ON chatops.sandbox_messages (channel_id, revision);

CREATE TABLE IF NOT EXISTS chatops.sandbox_reactions (
    message_id text NOT NULL REFERENCES chatops.sandbox_messages (id) ON DELETE CASCADE,
    user_id    text NOT NULL,
    name       text NOT NULL,
    reacted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, user_id, name)
);

-- The workspace's standing channels: where people talk, where declarations are announced, where stakeholders read.
INSERT INTO chatops.sandbox_channels (id, name, kind) VALUES
    ('general', 'general', 'general'),
    ('incidents', 'incidents', 'feed'),
    ('stakeholders', 'stakeholders', 'stakeholders')
ON CONFLICT DO NOTHING;
