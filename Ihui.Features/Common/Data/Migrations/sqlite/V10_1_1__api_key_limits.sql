-- Per-key request limits: NULL = the global RATE_LIMIT_KEY_* defaults, 0 = no limit for this key.
ALTER TABLE api_keys ADD COLUMN rpm_limit INTEGER NULL;
ALTER TABLE api_keys ADD COLUMN concurrency_limit INTEGER NULL;
