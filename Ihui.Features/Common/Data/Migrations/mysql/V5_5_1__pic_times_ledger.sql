CREATE TABLE pic_times_ledger (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL,
    delta      INT         NOT NULL,
    kind       VARCHAR(32) NOT NULL,
    call_id    VARCHAR(64) NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_pic_times_ledger_user (user_id),
    KEY ix_pic_times_ledger_call (call_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
