-- Parley's schema. Portable SQL for H2 2.x and PostgreSQL: no IDENTITY columns (EclipseLink + H2
-- pitfall); one shared sequence from which each instance takes blocks of ids (Ids.BLOCK = 1000).
CREATE SEQUENCE parley_seq START WITH 1000 INCREMENT BY 1000;

CREATE TABLE connection_log (
    id            BIGINT PRIMARY KEY,
    connection_id VARCHAR(100)             NOT NULL,
    logged_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    severity      VARCHAR(10)              NOT NULL,
    entry         VARCHAR(4000)            NOT NULL
);
CREATE INDEX connection_log_by_connection ON connection_log (connection_id, id);

CREATE TABLE contact (
    id           BIGINT PRIMARY KEY,
    address      VARCHAR(200)             NOT NULL,
    display_name VARCHAR(200),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT contact_address UNIQUE (address)
);

-- session_key is unique while a session is open, so two instances can never open two sessions for
-- one customer on one connection; closing a session rewrites its key.
CREATE TABLE chat_session (
    id               BIGINT PRIMARY KEY,
    session_key      VARCHAR(400)             NOT NULL,
    connection_id    VARCHAR(100)             NOT NULL,
    contact_id       BIGINT                   NOT NULL REFERENCES contact (id),
    agent_id         VARCHAR(100),
    state            VARCHAR(20)              NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_inbound_at  TIMESTAMP WITH TIME ZONE,
    turn_owner       VARCHAR(100),
    turn_lease_until TIMESTAMP WITH TIME ZONE,
    CONSTRAINT chat_session_key UNIQUE (session_key)
);
CREATE INDEX chat_session_by_connection ON chat_session (connection_id, id);

CREATE TABLE chat_message (
    id                  BIGINT PRIMARY KEY,
    session_id          BIGINT                   NOT NULL REFERENCES chat_session (id),
    connection_id       VARCHAR(100)             NOT NULL,
    direction           VARCHAR(3)               NOT NULL,
    body                VARCHAR(8000)            NOT NULL,
    reference           VARCHAR(64)              NOT NULL,
    provider_message_id VARCHAR(200),
    status              VARCHAR(20),
    error               VARCHAR(2000),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX chat_message_by_provider_id ON chat_message (connection_id, provider_message_id);
CREATE INDEX chat_message_by_session ON chat_message (session_id, id);

CREATE TABLE session_event (
    id          BIGINT PRIMARY KEY,
    session_id  BIGINT                   NOT NULL REFERENCES chat_session (id),
    message_id  BIGINT,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    kind        VARCHAR(40)              NOT NULL,
    detail      VARCHAR(4000)
);
CREATE INDEX session_event_by_session ON session_event (session_id, id);

-- Dedup: a provider event is claimed once per connection; rows expire after the provider's window.
CREATE TABLE inbound_receipt (
    id            BIGINT PRIMARY KEY,
    connection_id VARCHAR(100)             NOT NULL,
    dedup_key     VARCHAR(300)             NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT inbound_receipt_claim UNIQUE (connection_id, dedup_key)
);
CREATE INDEX inbound_receipt_by_expiry ON inbound_receipt (expires_at);

CREATE TABLE bot_turn (
    id         BIGINT PRIMARY KEY,
    session_id BIGINT                   NOT NULL REFERENCES chat_session (id),
    message_id BIGINT                   NOT NULL REFERENCES chat_message (id),
    state      VARCHAR(10)              NOT NULL,
    attempts   INTEGER                  NOT NULL,
    last_error VARCHAR(2000),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX bot_turn_by_state ON bot_turn (state, session_id, id);

CREATE TABLE outbox_entry (
    id              BIGINT PRIMARY KEY,
    session_id      BIGINT                   NOT NULL REFERENCES chat_session (id),
    message_id      BIGINT                   NOT NULL REFERENCES chat_message (id),
    connection_id   VARCHAR(100)             NOT NULL,
    recipient       VARCHAR(200)             NOT NULL,
    state           VARCHAR(10)              NOT NULL,
    attempts        INTEGER                  NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_until     TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(2000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX outbox_entry_due ON outbox_entry (state, next_attempt_at);
CREATE INDEX outbox_entry_by_session ON outbox_entry (session_id, state, id);
