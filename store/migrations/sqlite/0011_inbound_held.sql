-- Inbound mail that was not filed (no subscriber or prompt fits, the sender
-- is not authenticated, or it cannot be read), held aside for a person to
-- look at instead of being lost or bounced. source is where it came from
-- ('smtp', 'imap', a provider's name); reason a fixed phrase
-- ('unmatched', 'unauthenticated', 'rejected'); detail the processor's
-- fixed phrase of why. raw_sha256 (hex) makes a retried delivery of the
-- same bytes from the same source held once. raw is the message in
-- base64, sealed like the subscriber's words (package sealed), since it
-- may be someone's reply.

CREATE TABLE inbound_held (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    source      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    message_id  TEXT,
    raw_sha256  TEXT NOT NULL,
    raw         TEXT NOT NULL,
    sender_hash TEXT NOT NULL DEFAULT '',
    UNIQUE (source, raw_sha256)
);

CREATE INDEX inbound_held_received ON inbound_held (received_at);
-- sender_hash is the keyed hash (compliance.Hasher) of the From address,
-- so erasing a subscriber erases the mail of theirs that was held.
CREATE INDEX inbound_held_sender ON inbound_held (sender_hash);
