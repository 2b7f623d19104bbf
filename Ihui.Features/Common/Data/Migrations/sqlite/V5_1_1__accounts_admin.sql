CREATE TABLE admins (
    id            TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    token_version INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL
);

CREATE TABLE admin_audit (
    id         TEXT NOT NULL PRIMARY KEY,
    admin_id   TEXT NULL,
    admin_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NULL,
    detail     TEXT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_admin_audit_time ON admin_audit (created_at);

CREATE TABLE redeem_codes (
    id            TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    amount        INTEGER NOT NULL,
    academy_range TEXT    NOT NULL,
    is_available  INTEGER NOT NULL DEFAULT 1,
    redeemed_by   TEXT    NULL,
    redeemed_at   TEXT    NULL,
    created_at    TEXT    NOT NULL
);
