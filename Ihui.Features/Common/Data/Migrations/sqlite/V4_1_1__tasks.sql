CREATE TABLE tasks (
    id              TEXT    NOT NULL PRIMARY KEY,
    user_id         TEXT    NOT NULL,
    chat_id         TEXT    NULL,
    route           TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    vendor_task_id  TEXT    NULL,
    status          TEXT    NOT NULL,
    progress        INTEGER NOT NULL DEFAULT 0,
    result_urls     TEXT    NULL,
    error           TEXT    NULL,
    payload         TEXT    NOT NULL,
    price_model     TEXT    NOT NULL,
    reserved        INTEGER NOT NULL DEFAULT 0,
    charged         INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    polls           INTEGER NOT NULL DEFAULT 0,
    next_poll_at    TEXT    NOT NULL,
    lease_owner     TEXT    NULL,
    lease_until     TEXT    NULL,
    deadline        TEXT    NOT NULL,
    idempotency_key TEXT    NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    finished_at     TEXT    NULL
);
CREATE UNIQUE INDEX ux_tasks_idempotency ON tasks (user_id, idempotency_key);
CREATE INDEX ix_tasks_due ON tasks (status, next_poll_at);
CREATE INDEX ix_tasks_user ON tasks (user_id, created_at);
