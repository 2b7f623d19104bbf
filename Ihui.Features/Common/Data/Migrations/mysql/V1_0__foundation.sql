CREATE TABLE users (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(255) NULL,
    email         VARCHAR(255) NULL,
    academy       VARCHAR(128) NULL,
    balance       BIGINT       NOT NULL DEFAULT 0,
    pic_times     INT          NOT NULL DEFAULT 0,
    status        INT          NOT NULL DEFAULT 1,
    created_at    DATETIME(6)  NOT NULL,
    UNIQUE KEY ux_users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE ledger (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL,
    delta      BIGINT      NOT NULL,
    kind       VARCHAR(32) NOT NULL,
    call_id    VARCHAR(64) NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_ledger_user (user_id),
    KEY ix_ledger_call (call_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE holds (
    call_id    VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL,
    amount     BIGINT      NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    KEY ix_holds_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE calls (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    user_id         VARCHAR(36)   NULL,
    chat_id         VARCHAR(128)  NULL,
    route           VARCHAR(255)  NOT NULL,
    vendor          VARCHAR(64)   NULL,
    model           VARCHAR(128)  NULL,
    status          VARCHAR(16)   NOT NULL,
    usage_in        BIGINT        NOT NULL DEFAULT 0,
    usage_out       BIGINT        NOT NULL DEFAULT 0,
    usage_units     DECIMAL(18,4) NOT NULL DEFAULT 0,
    usage_estimated TINYINT(1)    NOT NULL DEFAULT 0,
    reserved        BIGINT        NOT NULL DEFAULT 0,
    charged         BIGINT        NOT NULL DEFAULT 0,
    latency_ms      INT           NOT NULL DEFAULT 0,
    error_code      INT           NULL,
    error_message   VARCHAR(1024) NULL,
    started_at      DATETIME(6)   NOT NULL,
    finished_at     DATETIME(6)   NOT NULL,
    KEY ix_calls_user (user_id, started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE prices (
    model      VARCHAR(128)  NOT NULL PRIMARY KEY,
    per_1k_in  DECIMAL(18,6) NOT NULL DEFAULT 0,
    per_1k_out DECIMAL(18,6) NOT NULL DEFAULT 0,
    per_call   DECIMAL(18,6) NOT NULL DEFAULT 0,
    per_image  DECIMAL(18,6) NOT NULL DEFAULT 0,
    per_second DECIMAL(18,6) NOT NULL DEFAULT 0,
    updated_at DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE chat_messages (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    chat_id    VARCHAR(128) NOT NULL,
    user_id    VARCHAR(36)  NOT NULL,
    role       VARCHAR(16)  NOT NULL,
    content    MEDIUMTEXT   NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    KEY ix_chat_messages_chat (chat_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
