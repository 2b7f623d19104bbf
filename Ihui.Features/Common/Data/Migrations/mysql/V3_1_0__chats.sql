-- A chat_id belongs to the user whose turn first stored a message under it.
CREATE TABLE chats (
    id         VARCHAR(128) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36)  NOT NULL,
    created_at DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
