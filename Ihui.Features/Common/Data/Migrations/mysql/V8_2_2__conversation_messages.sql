-- Seed 003 part 2: the messages of a conversation, in order (sequence from 1). role is user or assistant; a
-- character's reply names the character (kept by name too, so history outlives a deleted character); is_opening marks a
-- story's opening lines; interrupted marks a reply cut by the vendor or the client (stored as far as it was delivered).
CREATE TABLE conversation_messages (
    id              VARCHAR(24)  NOT NULL PRIMARY KEY,
    conversation_id VARCHAR(24)  NOT NULL,
    sequence        INT          NOT NULL,
    role            VARCHAR(16)  NOT NULL,
    character_id    VARCHAR(24)  NULL,
    character_name  VARCHAR(200) NULL,
    content         MEDIUMTEXT   NOT NULL,
    is_opening      INT          NOT NULL DEFAULT 0,
    interrupted     INT          NOT NULL DEFAULT 0,
    created_at      DATETIME(6)  NOT NULL,
    UNIQUE KEY ux_conversation_messages_sequence (conversation_id, sequence),
    KEY ix_conversation_messages_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
