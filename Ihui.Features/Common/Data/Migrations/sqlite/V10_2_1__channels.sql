-- Upstream accounts per vendor (docs/operations.md, "Channels"). A row whose id is 'env-<vendor>' has no base URL or
-- credential of its own: it holds an admin's settings (priority, weight, models, enabled) for the vendor's default
-- channel, whose URL and key come from the environment.
CREATE TABLE channels (
    id              TEXT    NOT NULL PRIMARY KEY,
    vendor          TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    base_url        TEXT    NULL,
    credential      TEXT    NULL,
    credential_hint TEXT    NULL,
    models          TEXT    NULL,
    priority        INTEGER NOT NULL DEFAULT 0,
    weight          INTEGER NOT NULL DEFAULT 1,
    timeout_seconds INTEGER NULL,
    enabled         INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT    NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_channels_vendor_name ON channels (vendor, name);

-- The channel of every vendor try of a call, in order: 'name=outcome,…'.
ALTER TABLE calls ADD COLUMN channels TEXT NULL;
