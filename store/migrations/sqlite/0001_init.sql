-- Steady's first schema, SQLite dialect.
-- Times are TEXT in one fixed-width UTC layout, 2006-01-02T15:04:05.000000Z,
-- so that text comparison and ORDER BY agree with time order.
-- AUTOINCREMENT keeps ids from being reused after an erasure, so an old
-- signed link can never point at somebody else.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE subscribers (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    channel            TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    address            TEXT NOT NULL,
    timezone           TEXT NOT NULL,
    schedule           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'active', 'paused', 'unsubscribed')),
    next_slot          TEXT,
    requested_timezone TEXT,
    requested_schedule TEXT,
    paused_until       TEXT,
    confirm_sent_at    TEXT,
    created_at         TEXT NOT NULL,
    confirmed_at       TEXT,
    unsubscribed_at    TEXT,
    UNIQUE (channel, address)
);

CREATE INDEX subscribers_due ON subscribers (status, next_slot);

CREATE TABLE consents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    action        TEXT NOT NULL CHECK (action IN ('requested', 'confirmed', 'unsubscribed')),
    at            TEXT NOT NULL,
    method        TEXT NOT NULL,
    ip            TEXT NOT NULL,
    wording       TEXT NOT NULL
);

CREATE INDEX consents_subscriber ON consents (subscriber_id);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('prompt', 'confirm', 'goodbye')),
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    slot            TEXT NOT NULL,
    prompt_id       TEXT NOT NULL,
    theme           TEXT NOT NULL,
    prompt_text     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    provider_id     TEXT NOT NULL,
    last_error      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (subscriber_id, kind, slot)
);

CREATE INDEX deliveries_outbox ON deliveries (status, next_attempt_at);

CREATE TABLE replies (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    delivery_id   INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'web')),
    body          TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    source_id     TEXT NOT NULL UNIQUE
);

CREATE INDEX replies_subscriber ON replies (subscriber_id);
CREATE INDEX replies_delivery ON replies (delivery_id);

-- delivery_id cascades so that erasing a subscriber erases their previews.
CREATE TABLE preview_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id INTEGER REFERENCES deliveries (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL,
    headers     TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    reply_to    TEXT NOT NULL,
    reply_url   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE INDEX preview_messages_delivery ON preview_messages (delivery_id);
