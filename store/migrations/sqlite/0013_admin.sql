-- The operator console (/admin): its audit log and its sessions.
--
-- audit_log: who did what to what, and when. target names a row ("subscriber
-- 42", "delivery 7"), never an address, and nothing holds message text.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    operator TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL DEFAULT '',
    at       TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- admin_sessions: only the SHA-256 of a session's token (hex) is kept, so a
-- copy of the database signs nobody in.
CREATE TABLE admin_sessions (
    token_hash   TEXT PRIMARY KEY,
    operator     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);
