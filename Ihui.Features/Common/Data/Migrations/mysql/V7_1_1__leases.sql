-- Balance leases: part of a busy user's balance taken by one gateway instance (a `lease` ledger row), billed in
-- memory and written back by the billing journal. amount = what the lease still holds on disk (taken − flushed
-- charges); the row is deleted when its remainder is returned, or by the sweeper once it has expired.
CREATE TABLE leases (
    id          VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id     VARCHAR(36) NOT NULL,
    api_key_id  VARCHAR(36) NULL,
    instance_id VARCHAR(36) NOT NULL,
    amount      BIGINT      NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    expires_at  DATETIME(6) NOT NULL,
    KEY ix_leases_user (user_id),
    KEY ix_leases_expires (expires_at),
    KEY ix_leases_instance (instance_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
