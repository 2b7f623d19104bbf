-- Speed: the two tables every billed call writes twice, made cheaper to write on SQLite.
-- Each commit writes every page it dirtied to the WAL, and every B-tree a row lives in is a page.
-- holds: keyed by call_id WITHOUT ROWID (one B-tree, not a table plus its key's index) and no index on
-- expires_at: the table only ever holds the calls in flight, so the sweeper's scan of it is short.
-- ledger: WITHOUT ROWID on its id (time-ordered UUIDv7, so rows append at the B-tree's right edge);
-- the index on call_id goes (no query looks ledger rows up by call).
CREATE TABLE holds_new (
    call_id    TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    amount     INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    api_key_id TEXT    NULL
) WITHOUT ROWID;
INSERT INTO holds_new (call_id, user_id, amount, created_at, expires_at, api_key_id)
    SELECT call_id, user_id, amount, created_at, expires_at, api_key_id FROM holds;
DROP TABLE holds;
ALTER TABLE holds_new RENAME TO holds;

CREATE TABLE ledger_new (
    id         TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    delta      INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    call_id    TEXT    NULL,
    created_at TEXT    NOT NULL
) WITHOUT ROWID;
INSERT INTO ledger_new (id, user_id, delta, kind, call_id, created_at)
    SELECT id, user_id, delta, kind, call_id, created_at FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_new RENAME TO ledger;
CREATE INDEX ix_ledger_user ON ledger (user_id);
