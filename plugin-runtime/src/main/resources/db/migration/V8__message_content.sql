-- What a message carried besides text (messaging channels: WhatsApp, Conversations). Null for plain text.
--   kind      the provider's message type (TEXT, IMAGE, BUTTON, LOCATION, ...), or TEMPLATE for a template Parley sent
--   postback  the payload of the button or list row a customer chose (the bot's postback); cut at 1000 in code
--   extras    JSON: attachments (media store ids or the provider's short-lived links, with why a copy failed),
--             structured content (location, contacts), why a message was not acted on, a template's name/language/values
ALTER TABLE chat_message ADD COLUMN kind VARCHAR(40);
ALTER TABLE chat_message ADD COLUMN postback VARCHAR(1000);
ALTER TABLE chat_message ADD COLUMN extras VARCHAR(1000000);

-- WhatsApp's 24-hour window belongs to the customer, not to one session: a new session of a contact starts from the
-- contact's last inbound message on the connection (SessionStore.openSession), found through this index (PostgreSQL
-- does not index the contact_id foreign key by itself; H2 does).
CREATE INDEX chat_session_by_contact ON chat_session (contact_id, connection_id);
