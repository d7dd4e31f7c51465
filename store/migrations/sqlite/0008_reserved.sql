-- PLACEHOLDER, DELETE AT MERGE. Migration numbers 0008 to 0010 belong to
-- other branches; the migrator needs consecutive numbers, so this empty
-- step lets this branch's 0011 apply. Merged with the real 0008, remove
-- this file (a duplicate number stops every migration with an error).
SELECT 1;
