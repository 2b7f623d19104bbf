CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NULL,
    email         TEXT    NULL,
    academy       TEXT    NULL,
    balance       INTEGER NOT NULL DEFAULT 0,
    pic_times     INTEGER NOT NULL DEFAULT 0,
    status        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL
);

CREATE TABLE ledger (
    id         TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    delta      INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    call_id    TEXT    NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX ix_ledger_user ON ledger (user_id);
CREATE INDEX ix_ledger_call ON ledger (call_id);

CREATE TABLE holds (
    call_id    TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    amount     INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX ix_holds_expires ON holds (expires_at);

CREATE TABLE calls (
    id              TEXT    NOT NULL PRIMARY KEY,
    user_id         TEXT    NULL,
    chat_id         TEXT    NULL,
    route           TEXT    NOT NULL,
    vendor          TEXT    NULL,
    model           TEXT    NULL,
    status          TEXT    NOT NULL,
    usage_in        INTEGER NOT NULL DEFAULT 0,
    usage_out       INTEGER NOT NULL DEFAULT 0,
    usage_units     NUMERIC NOT NULL DEFAULT 0,
    usage_estimated INTEGER NOT NULL DEFAULT 0,
    reserved        INTEGER NOT NULL DEFAULT 0,
    charged         INTEGER NOT NULL DEFAULT 0,
    latency_ms      INTEGER NOT NULL DEFAULT 0,
    error_code      INTEGER NULL,
    error_message   TEXT    NULL,
    started_at      TEXT    NOT NULL,
    finished_at     TEXT    NOT NULL
);
CREATE INDEX ix_calls_user ON calls (user_id, started_at);

CREATE TABLE prices (
    model      TEXT    NOT NULL PRIMARY KEY,
    per_1k_in  NUMERIC NOT NULL DEFAULT 0,
    per_1k_out NUMERIC NOT NULL DEFAULT 0,
    per_call   NUMERIC NOT NULL DEFAULT 0,
    per_image  NUMERIC NOT NULL DEFAULT 0,
    per_second NUMERIC NOT NULL DEFAULT 0,
    updated_at TEXT    NOT NULL
);

CREATE TABLE chat_messages (
    id         TEXT    NOT NULL PRIMARY KEY,
    chat_id    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX ix_chat_messages_chat ON chat_messages (chat_id, created_at);
