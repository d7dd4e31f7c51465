-- The subscriber's own choices (issue 11), changed from their settings
-- page: discreet mode (messages carry only a neutral line and a link),
-- the monthly summary off, and resurfacing (a prompt now and then shows
-- something they wrote a month or more ago). 0 = false, 1 = true.

ALTER TABLE subscribers ADD COLUMN discreet INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN summaries_off INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN resurface INTEGER NOT NULL DEFAULT 0;
