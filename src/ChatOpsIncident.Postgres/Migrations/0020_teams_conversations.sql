-- Microsoft Teams adapter: what it needs to send proactively and to keep channel creation idempotent.

-- Where to reach a channel or chat: the Bot Connector service URL can change, so every inbound activity refreshes it.
CREATE TABLE chatops.teams_conversations (
    channel_id    text PRIMARY KEY,
    service_url   text NOT NULL,
    tenant_id     text,
    team_id       text,
    aad_group_id  text,
    kind          text,
    name          text,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Teams the bot was added to (conversationUpdate / installationUpdate); incident channels are created in one of them.
CREATE TABLE chatops.teams_installations (
    team_id       text PRIMARY KEY,
    aad_group_id  text,
    name          text,
    tenant_id     text,
    service_url   text NOT NULL,
    installed_at  timestamptz NOT NULL DEFAULT now(),
    removed_at    timestamptz
);

-- One Graph channel per incident: the name is reserved before the Graph call, the id recorded after it.
CREATE TABLE chatops.teams_incident_channels (
    incident_id   uuid PRIMARY KEY,
    aad_group_id  text NOT NULL,
    display_name  text NOT NULL,
    channel_id    text,
    web_url       text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Every message the bot posted: reactions arrive with only the message id, and updates need the thread.
CREATE TABLE chatops.teams_messages (
    channel_id       text NOT NULL,
    message_id       text NOT NULL,
    conversation_id  text NOT NULL,
    text             text NOT NULL,
    posted_at        timestamptz NOT NULL,
    PRIMARY KEY (channel_id, message_id)
);
