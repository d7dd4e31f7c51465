-- API keys and the compliance records kept after an erasure.
--
-- api_keys: only the SHA-256 of a key is kept (key_hash, hex). A key is 32
-- random bytes, so a fast hash is enough: nobody can guess it back. prefix
-- is the key's first characters, to tell keys apart in `api-keys list`.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- compliance_records: what erasing a subscriber keeps, so a complaint can
-- be answered and an opt-out still holds: their consents and opt-outs,
-- under a keyed hash of the address (HMAC-SHA256), never the address.
CREATE TABLE compliance_records (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    address_hash TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('consented', 'opted_out')),
    at           TEXT NOT NULL,
    method       TEXT NOT NULL,
    wording      TEXT NOT NULL,
    UNIQUE (channel, address_hash, action, at, method)
);
