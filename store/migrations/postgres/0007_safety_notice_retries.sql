-- A safety note whose send failed for a passing reason (a 4xx, a lost
-- connection) is tried again: retry_at says when, attempts how many tries
-- it has had. A note failed for good has no retry_at.

ALTER TABLE safety_notices ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE safety_notices ADD COLUMN retry_at TIMESTAMPTZ;
