CREATE TABLE models (
    name           VARCHAR(128) NOT NULL PRIMARY KEY,
    vendor         VARCHAR(64)  NOT NULL,
    upstream_model VARCHAR(255) NOT NULL,
    type           VARCHAR(32)  NOT NULL DEFAULT 'chat',
    enabled        INT          NOT NULL DEFAULT 1,
    created_at     DATETIME(6)  NOT NULL,
    updated_at     DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE api_keys (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    user_id     VARCHAR(36)  NOT NULL,
    name        VARCHAR(128) NULL,
    key_hash    CHAR(64)     NOT NULL,
    key_hint    VARCHAR(32)  NOT NULL,
    models      TEXT         NULL,
    quota       BIGINT       NULL,
    used        BIGINT       NOT NULL DEFAULT 0,
    expires_at  DATETIME(6)  NULL,
    revoked_at  DATETIME(6)  NULL,
    created_at  DATETIME(6)  NOT NULL,
    UNIQUE KEY ux_api_keys_hash (key_hash),
    KEY ix_api_keys_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE holds ADD COLUMN api_key_id VARCHAR(36) NULL;
