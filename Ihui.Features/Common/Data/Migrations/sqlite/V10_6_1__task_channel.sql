-- The channel (upstream account) that accepted each task's vendor create: its polls go back to it, since a vendor's
-- task id exists only on the account that made it. NULL = the vendor's default channel (tasks created before this).
ALTER TABLE tasks ADD COLUMN channel_id TEXT NULL;
