-- Help desks: what connections remember about the provider objects they created.

-- A connection's small durable memory (ConnectionStore): ids of webhooks and triggers it registered at
-- the provider, a signing secret the provider generated. One row per connection and key.
CREATE TABLE connection_state (
    connection_id VARCHAR(100)             NOT NULL,
    state_key     VARCHAR(200)             NOT NULL,
    state_value   VARCHAR(4000)            NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (connection_id, state_key)
);

-- When a knowledge source last started a full sync (from no cursor): incremental exports do not report
-- deleted articles, so a weekly full pass removes what the source no longer lists.
ALTER TABLE knowledge_sync ADD COLUMN full_sync_at TIMESTAMP WITH TIME ZONE;
