-- SMS channel (Twilio): an address the provider says cannot receive
-- messages, and the provider's delivery status reported by status callbacks.

ALTER TABLE subscribers ADD COLUMN address_invalid_at TIMESTAMPTZ;

ALTER TABLE deliveries ADD COLUMN provider_status TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN provider_error TEXT NOT NULL DEFAULT '';

CREATE INDEX deliveries_provider_id ON deliveries (provider_id);

-- Inbound webhook events already handled (e.g. "twilio:" + MessageSid), so
-- a replayed webhook changes nothing.
CREATE TABLE inbound_events (
    source_id   TEXT PRIMARY KEY,
    received_at TIMESTAMPTZ NOT NULL
);
