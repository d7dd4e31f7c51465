-- Placeholder for migration 0011, assigned to another branch (smtpin uses
-- 0012 and the loader needs consecutive numbers). When merging, take the
-- other branch's 0011 and drop this file.
SELECT 1;
