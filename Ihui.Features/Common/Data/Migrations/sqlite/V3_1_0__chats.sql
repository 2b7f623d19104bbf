-- A chat_id belongs to the user whose turn first stored a message under it.
CREATE TABLE chats (
    id         TEXT NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
