-- Retention (dev.parley.runtime.retention.Purger): the columns each purge filters by, and the foreign-key
-- columns a delete of a chat_message or chat_session makes the database check. PostgreSQL does not index a
-- referencing column by itself (H2 does), so without these every deleted message would scan bot_turn and
-- outbox_entry. Portable SQL for H2 2.x and PostgreSQL.
CREATE INDEX connection_log_retention ON connection_log (logged_at);
CREATE INDEX outbox_entry_retention ON outbox_entry (state, updated_at);
CREATE INDEX bot_turn_retention ON bot_turn (state, created_at);
CREATE INDEX chat_session_retention ON chat_session (state, updated_at);
CREATE INDEX bot_turn_session_fk ON bot_turn (session_id, state);
CREATE INDEX bot_turn_message_fk ON bot_turn (message_id);
CREATE INDEX outbox_entry_message_fk ON outbox_entry (message_id);
