-- The database decides order: one sequence per session orders its messages, timeline, bot turns and outbox
-- entries (ids come from per-instance blocks and only identify). Claims are fenced with tokens.
ALTER TABLE chat_session ADD COLUMN next_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE chat_session ADD COLUMN turn_token BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE chat_message ADD COLUMN seq BIGINT;
ALTER TABLE session_event ADD COLUMN seq BIGINT;
ALTER TABLE bot_turn ADD COLUMN seq BIGINT;
ALTER TABLE outbox_entry ADD COLUMN seq BIGINT;
ALTER TABLE outbox_entry ADD COLUMN claim_token BIGINT DEFAULT 0 NOT NULL;
-- When the current claim began, and since when an earlier attempt may have reached the provider unrecorded (a
-- claim that ran out in SENDING): such an entry is looked up at the provider before it is sent again.
ALTER TABLE outbox_entry ADD COLUMN attempt_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE outbox_entry ADD COLUMN uncertain_since TIMESTAMP WITH TIME ZONE;

-- Rows written before: their ids were the order (one instance), so they keep it.
UPDATE chat_message SET seq = id;
UPDATE session_event SET seq = id;
UPDATE bot_turn SET seq = id;
UPDATE outbox_entry SET seq = id;
UPDATE chat_session SET next_seq = GREATEST(
    COALESCE((SELECT MAX(m.id) FROM chat_message m WHERE m.session_id = chat_session.id), 0),
    COALESCE((SELECT MAX(e.id) FROM session_event e WHERE e.session_id = chat_session.id), 0),
    COALESCE((SELECT MAX(t.id) FROM bot_turn t WHERE t.session_id = chat_session.id), 0),
    COALESCE((SELECT MAX(o.id) FROM outbox_entry o WHERE o.session_id = chat_session.id), 0));

ALTER TABLE chat_message ALTER COLUMN seq SET NOT NULL;
ALTER TABLE session_event ALTER COLUMN seq SET NOT NULL;
ALTER TABLE bot_turn ALTER COLUMN seq SET NOT NULL;
ALTER TABLE outbox_entry ALTER COLUMN seq SET NOT NULL;

CREATE INDEX chat_message_by_session_seq ON chat_message (session_id, seq);
CREATE INDEX session_event_by_session_seq ON session_event (session_id, seq);
CREATE INDEX bot_turn_by_session_seq ON bot_turn (session_id, seq);
CREATE INDEX outbox_entry_by_session_seq ON outbox_entry (session_id, connection_id, seq);
