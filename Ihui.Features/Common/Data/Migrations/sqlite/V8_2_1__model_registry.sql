-- Seed 003's model registry: a model's default parameters (JSON object, applied to each call) and when the
-- least-used picker last handed it out.
ALTER TABLE models ADD COLUMN parameters TEXT NULL;
ALTER TABLE models ADD COLUMN last_used_at TEXT NULL;
CREATE INDEX ix_models_type_used ON models (type, enabled, last_used_at);
