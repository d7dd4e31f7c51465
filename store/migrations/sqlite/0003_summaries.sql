-- Monthly summaries: exactly one per subscriber per month. The row is
-- written (status 'sending') before the summary is sent, so a rerun, a
-- restart or a second worker finds it and sends nothing. data is the
-- summary as JSON, so the web page shows exactly what was sent.
CREATE TABLE summaries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    month         TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    status        TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'unknown')),
    data          TEXT NOT NULL,
    provider_id   TEXT NOT NULL,
    last_error    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (subscriber_id, month)
);

-- Safety notes: at most one per subscriber per incident window.
CREATE TABLE safety_notices (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    window_start  TEXT NOT NULL,
    reply_id      INTEGER REFERENCES replies (id) ON DELETE SET NULL,
    status        TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'unknown')),
    created_at    TEXT NOT NULL,
    UNIQUE (subscriber_id, window_start)
);

-- The safety check reads the last week's replies every minute.
CREATE INDEX replies_received ON replies (received_at);
