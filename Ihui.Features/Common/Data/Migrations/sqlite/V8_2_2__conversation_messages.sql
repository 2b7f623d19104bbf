-- Seed 003 part 2: the messages of a conversation, in order (sequence from 1). role is user or assistant; a
-- character's reply names the character (kept by name too, so history outlives a deleted character); is_opening marks a
-- story's opening lines; interrupted marks a reply cut by the vendor or the client (stored as far as it was delivered).
CREATE TABLE conversation_messages (
    id              TEXT    NOT NULL PRIMARY KEY,
    conversation_id TEXT    NOT NULL,
    sequence        INTEGER NOT NULL,
    role            TEXT    NOT NULL,
    character_id    TEXT    NULL,
    character_name  TEXT    NULL,
    content         TEXT    NOT NULL,
    is_opening      INTEGER NOT NULL DEFAULT 0,
    interrupted     INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_conversation_messages_sequence ON conversation_messages (conversation_id, sequence);
CREATE INDEX ix_conversation_messages_created ON conversation_messages (created_at);
