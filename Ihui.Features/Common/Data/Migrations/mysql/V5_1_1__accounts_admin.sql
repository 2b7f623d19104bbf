CREATE TABLE admins (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    name          VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    token_version INT          NOT NULL DEFAULT 1,
    created_at    DATETIME(6)  NOT NULL,
    UNIQUE KEY ux_admins_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE admin_audit (
    id         VARCHAR(36)   NOT NULL PRIMARY KEY,
    admin_id   VARCHAR(36)   NULL,
    admin_name VARCHAR(64)   NOT NULL,
    action     VARCHAR(64)   NOT NULL,
    target     VARCHAR(255)  NULL,
    detail     VARCHAR(1024) NULL,
    created_at DATETIME(6)   NOT NULL,
    KEY ix_admin_audit_time (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE redeem_codes (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    name          VARCHAR(128) NOT NULL,
    amount        BIGINT       NOT NULL,
    academy_range VARCHAR(128) NOT NULL,
    is_available  INT          NOT NULL DEFAULT 1,
    redeemed_by   VARCHAR(36)  NULL,
    redeemed_at   DATETIME(6)  NULL,
    created_at    DATETIME(6)  NOT NULL,
    UNIQUE KEY ux_redeem_codes_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
