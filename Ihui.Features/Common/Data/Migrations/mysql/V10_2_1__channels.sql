-- Upstream accounts per vendor (docs/operations.md, "Channels"). A row whose id is 'env-<vendor>' has no base URL or
-- credential of its own: it holds an admin's settings (priority, weight, models, enabled) for the vendor's default
-- channel, whose URL and key come from the environment.
CREATE TABLE channels (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    vendor          VARCHAR(32)   NOT NULL,
    name            VARCHAR(64)   NOT NULL,
    base_url        VARCHAR(512)  NULL,
    credential      TEXT          NULL,
    credential_hint VARCHAR(32)   NULL,
    models          TEXT          NULL,
    priority        INT           NOT NULL DEFAULT 0,
    weight          INT           NOT NULL DEFAULT 1,
    timeout_seconds INT           NULL,
    enabled         TINYINT(1)    NOT NULL DEFAULT 1,
    disabled_reason VARCHAR(255)  NULL,
    created_at      DATETIME(6)   NOT NULL,
    updated_at      DATETIME(6)   NOT NULL,
    UNIQUE KEY ux_channels_vendor_name (vendor, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The channel of every vendor try of a call, in order: 'name=outcome,…'.
ALTER TABLE calls ADD COLUMN channels VARCHAR(512) NULL;
