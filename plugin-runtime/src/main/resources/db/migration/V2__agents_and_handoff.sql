-- Agents: chatbot definitions with a lifecycle, handoff to help desks, knowledge articles.

-- A chatbot definition. active_sender_key is channel|sender while the bot is ACTIVE and NULL otherwise,
-- so the database itself refuses two active bots on one sender, whichever instance activates.
CREATE TABLE chatbot (
    id                VARCHAR(100)             PRIMARY KEY,
    name              VARCHAR(200)             NOT NULL,
    channel           VARCHAR(100),
    sender            VARCHAR(100),
    state             VARCHAR(20)              NOT NULL,
    draft_revision    INTEGER                  NOT NULL,
    active_revision   INTEGER,
    active_sender_key VARCHAR(250),
    activate_at       TIMESTAMP WITH TIME ZONE,
    deactivate_at     TIMESTAMP WITH TIME ZONE,
    schedule_zone     VARCHAR(60),
    schedule_grace_s  BIGINT,
    last_error        VARCHAR(2000),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT chatbot_one_active_per_sender UNIQUE (active_sender_key)
);

-- Immutable definition revisions: sessions keep answering with the revision they started on until its
-- retire_at (a grace period after a redeploy or a takeover by another bot).
CREATE TABLE chatbot_revision (
    id         BIGINT PRIMARY KEY,
    chatbot_id VARCHAR(100)             NOT NULL REFERENCES chatbot (id),
    revision   INTEGER                  NOT NULL,
    definition VARCHAR(200000)                   NOT NULL,
    retire_at  TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT chatbot_revision_unique UNIQUE (chatbot_id, revision)
);
CREATE INDEX chatbot_revision_retiring ON chatbot_revision (retire_at);

ALTER TABLE chat_session ADD COLUMN chatbot_revision_id BIGINT;
ALTER TABLE chat_session ADD COLUMN bot_context VARCHAR(4000);
ALTER TABLE chat_session ADD COLUMN sender VARCHAR(100);
CREATE INDEX chat_session_by_revision ON chat_session (chatbot_revision_id, state);

-- One row per handoff. open_key is the session id while the handoff is open and NULL after: a session has
-- at most one open handoff (one ticket) however often the handoff fires.
CREATE TABLE handoff (
    id                 BIGINT PRIMARY KEY,
    session_id         BIGINT                   NOT NULL REFERENCES chat_session (id),
    agent_id           VARCHAR(100)             NOT NULL,
    desk_connection_id VARCHAR(100)             NOT NULL,
    open_key           BIGINT,
    state              VARCHAR(20)              NOT NULL,
    reason             VARCHAR(1000)            NOT NULL,
    summary            VARCHAR(4000),
    sentiment          VARCHAR(10)              NOT NULL,
    language           VARCHAR(10),
    fields             VARCHAR(4000),
    ticket_ref         VARCHAR(200),
    ticket_url         VARCHAR(1000),
    error              VARCHAR(2000),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT handoff_one_open_per_session UNIQUE (open_key)
);
CREATE INDEX handoff_by_ticket ON handoff (desk_connection_id, ticket_ref);
CREATE INDEX handoff_by_session ON handoff (session_id, id);

-- The outbox also carries help-desk calls (open, relay, close), so a desk outage delays a ticket but never
-- loses it. Order is kept per session and destination connection.
ALTER TABLE outbox_entry ADD COLUMN kind VARCHAR(12) DEFAULT 'MESSAGE' NOT NULL;
ALTER TABLE outbox_entry ADD COLUMN handoff_id BIGINT;
ALTER TABLE outbox_entry ALTER COLUMN message_id DROP NOT NULL;
ALTER TABLE outbox_entry ALTER COLUMN recipient DROP NOT NULL;
DROP INDEX outbox_entry_by_session;
CREATE INDEX outbox_entry_by_session ON outbox_entry (session_id, connection_id, state, id);

-- Knowledge articles the bots answer from (synced from a KnowledgeSource, or added through the admin API).
CREATE TABLE knowledge_article (
    id         BIGINT PRIMARY KEY,
    source     VARCHAR(100)             NOT NULL,
    article_id VARCHAR(200)             NOT NULL,
    locale     VARCHAR(20),
    title      VARCHAR(1000)            NOT NULL,
    body       VARCHAR(200000)                   NOT NULL,
    url        VARCHAR(1000),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT knowledge_article_unique UNIQUE (source, article_id)
);

-- A knowledge source's sync cursor and outcome, per connection.
CREATE TABLE knowledge_sync (
    source      VARCHAR(100)             PRIMARY KEY,
    cursor_text VARCHAR(2000),
    last_run_at TIMESTAMP WITH TIME ZONE,
    articles    INTEGER                  NOT NULL,
    last_error  VARCHAR(2000),
    lease_until TIMESTAMP WITH TIME ZONE
);
