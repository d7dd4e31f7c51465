-- A subscriber's move to a new email address or phone number from their
-- settings page (issue 11). The new address gets its own double opt-in;
-- until it is confirmed the subscriber keeps their channel and address.
-- At most one pending move per subscriber (a newer request replaces it);
-- confirmed_at is set once, when the subscriber's channel and address
-- switch. Times are UTC text, as elsewhere.
CREATE TABLE channel_moves (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    address       TEXT NOT NULL,
    requested_at  TEXT NOT NULL,
    confirmed_at  TEXT
);

CREATE UNIQUE INDEX channel_moves_pending ON channel_moves (subscriber_id) WHERE confirmed_at IS NULL;
CREATE INDEX channel_moves_address ON channel_moves (channel, address);
