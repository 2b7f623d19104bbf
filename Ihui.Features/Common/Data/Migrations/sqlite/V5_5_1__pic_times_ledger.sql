CREATE TABLE pic_times_ledger (
    id         TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    delta      INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    call_id    TEXT    NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX ix_pic_times_ledger_user ON pic_times_ledger (user_id);
CREATE INDEX ix_pic_times_ledger_call ON pic_times_ledger (call_id);
