-- The bot can resolve a conversation; a channel that keeps conversations of its own at the provider (Infobip
-- Conversations: dev.parley.spi.ConversationCloser) is then asked to close it, through the outbox, after the bot's
-- last reply of the session (OutboxEntry.Kind.CHANNEL_CLOSE).
--   kind    was VARCHAR(12) (V2); CHANNEL_CLOSE has 13 characters. A plain VARCHAR, no CHECK constraint: only
--           widened (H2 2.x and PostgreSQL both keep NOT NULL and the default through SET DATA TYPE).
--   reason  what a CHANNEL_CLOSE entry hands the channel: why the bot resolved (cut at 1000 in code, Columns.REASON);
--           null for every other kind
ALTER TABLE outbox_entry ALTER COLUMN kind SET DATA TYPE VARCHAR(20);
ALTER TABLE outbox_entry ADD COLUMN reason VARCHAR(1000);
