-- Abuse limits on sign-up (per client IP, per mailbox, per phone number,
-- per channel): fixed-window counters shared by every worker. key_hash is an
-- HMAC of the IP or address, never the value itself ('' for a global
-- counter); expires_at is the end of the window, when the row may go.

CREATE TABLE rate_counters (
    scope TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (scope, key_hash, window_start)
);
CREATE INDEX rate_counters_expires ON rate_counters (expires_at);
