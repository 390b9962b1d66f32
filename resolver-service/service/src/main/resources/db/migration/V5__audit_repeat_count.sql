-- Repeated identical denied resolves are recorded as one row per window: the first denial is its
-- own row at once, later identical ones within the window raise its count and last occurrence.
ALTER TABLE audit_events ADD COLUMN repeat_count INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE audit_events ADD COLUMN last_occurred_at BIGINT;
