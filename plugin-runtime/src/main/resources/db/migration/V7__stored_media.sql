-- The media store (dev.parley.runtime.media): copies of connections' media, served at signed links. One row per
-- connection and provider reference (media_key): the unique key decides "stored once" in the database, on any
-- number of instances. The reference may be a long URL, so the key is its SHA-256 (key_hash, 64 hex digits).
-- content is a large binary: BLOB on H2 (stored apart from the row), BYTEA on PostgreSQL (TOAST); see SchemaMigration.
CREATE TABLE stored_media (
    id            VARCHAR(36)              PRIMARY KEY,
    connection_id VARCHAR(100)             NOT NULL,
    key_hash      VARCHAR(64)              NOT NULL,
    media_key     VARCHAR(2000)            NOT NULL,
    content_type  VARCHAR(255)             NOT NULL,
    file_name     VARCHAR(200),
    size_bytes    BIGINT                   NOT NULL,
    sha256        VARCHAR(64)              NOT NULL,
    content       ${binary}                NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT stored_media_key UNIQUE (connection_id, key_hash)
);
-- Retention (parley.retention.media) deletes by age.
CREATE INDEX stored_media_retention ON stored_media (created_at);
