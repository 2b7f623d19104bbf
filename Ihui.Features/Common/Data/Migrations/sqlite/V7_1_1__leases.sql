-- Balance leases: part of a busy user's balance taken by one gateway instance (a `lease` ledger row), billed in
-- memory and written back by the billing journal. amount = what the lease still holds on disk (taken − flushed
-- charges); the row is deleted when its remainder is returned, or by the sweeper once it has expired.
CREATE TABLE leases (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL,
    api_key_id  TEXT    NULL,
    instance_id TEXT    NOT NULL,
    amount      INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX ix_leases_user ON leases (user_id);
CREATE INDEX ix_leases_expires ON leases (expires_at);
CREATE INDEX ix_leases_instance ON leases (instance_id);
