-- Bounces of emailed prompts (delivery status notifications), one row per
-- notification; source_id ("email:" + its Message-ID) makes counting one
-- notification twice impossible. bouncing_at is set once a subscriber's
-- bounces reach the configured threshold; the scheduler skips them until
-- they confirm again.

ALTER TABLE subscribers ADD COLUMN bouncing_at TEXT;

CREATE TABLE bounces (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    delivery_id   INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
    source_id     TEXT NOT NULL UNIQUE,
    received_at   TEXT NOT NULL
);

CREATE INDEX bounces_subscriber ON bounces (subscriber_id);
