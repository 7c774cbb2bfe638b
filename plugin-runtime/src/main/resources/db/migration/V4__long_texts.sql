-- Long texts: a legitimate long text is never a 5xx and never an endless retry.
-- DESIGN rule: every text column either holds any legitimate size or is cut with a note.
--
-- Widened to VARCHAR(1000000) (Columns.LONG_TEXT; H2 2.x and PostgreSQL both count characters, and both keep
-- NOT NULL through SET DATA TYPE):
--   chat_message.body         the customer's, the bot's and the desk agent's texts; code caps a message at
--                             MessageTexts.MAX_CHARS (100,000) and notes a cut in the timeline (MESSAGE_CUT)
--   chat_session.bot_context  an external bot's state (Rasa/Botpress/LLM), which cannot be cut
--   handoff.fields            the bot's extracted fields as JSON, which cannot be cut
-- The other text columns stay bounded and are cut in code with Columns.fit / Columns.fitNoted.
ALTER TABLE chat_message ALTER COLUMN body SET DATA TYPE VARCHAR(1000000);
ALTER TABLE chat_session ALTER COLUMN bot_context SET DATA TYPE VARCHAR(1000000);
ALTER TABLE handoff ALTER COLUMN fields SET DATA TYPE VARCHAR(1000000);
