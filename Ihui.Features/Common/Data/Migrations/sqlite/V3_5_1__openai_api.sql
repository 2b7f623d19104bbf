CREATE TABLE models (
    name           TEXT    NOT NULL PRIMARY KEY,
    vendor         TEXT    NOT NULL,
    upstream_model TEXT    NOT NULL,
    type           TEXT    NOT NULL DEFAULT 'chat',
    enabled        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

CREATE TABLE api_keys (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL,
    name        TEXT    NULL,
    key_hash    TEXT    NOT NULL UNIQUE,
    key_hint    TEXT    NOT NULL,
    models      TEXT    NULL,
    quota       INTEGER NULL,
    used        INTEGER NOT NULL DEFAULT 0,
    expires_at  TEXT    NULL,
    revoked_at  TEXT    NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX ix_api_keys_user ON api_keys (user_id);

ALTER TABLE holds ADD COLUMN api_key_id TEXT NULL;
