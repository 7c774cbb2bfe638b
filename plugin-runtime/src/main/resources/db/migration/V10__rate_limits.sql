-- Rate limits shared by every instance on the database (dev.parley.runtime.ratelimit, the SPI's RateLimits): a
-- connector's request budget at a provider account (e.g. 'zendesk:acme') is decided here, not per JVM.
--   rate_bucket  one row per bucket; its row lock serialises the takers of one bucket on every instance
--                (SELECT ... FOR UPDATE). Created on first use; one per provider account, so bounded by configuration.
--     paused_until       no take before this instant (a provider's 429 with Retry-After); null when never paused
--     longest_window_ms  the longest window any caller asked of this bucket: takes older than it are dead
--     purge_after        when the take next deletes the bucket's dead takes (once per longest window)
--   rate_take    the sliding log: one row per call taken, exact for any rolling window. No primary key: rows are
--                only counted and deleted by (bucket, taken_at); the index serves both. At most about twice the
--                calls of one longest window per bucket are kept (the take purges them), and retention deletes
--                anything older than a day (the longest window the SPI allows), e.g. of buckets no longer used.
-- Portable SQL for H2 2.x and PostgreSQL.
CREATE TABLE rate_bucket (
    bucket            VARCHAR(200)             PRIMARY KEY,
    paused_until      TIMESTAMP WITH TIME ZONE,
    longest_window_ms BIGINT                   NOT NULL,
    purge_after       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE rate_take (
    bucket   VARCHAR(200)             NOT NULL,
    taken_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX rate_take_window ON rate_take (bucket, taken_at);
CREATE INDEX rate_take_retention ON rate_take (taken_at);
