-- Crash-safe sending. A worker claims one queued delivery at a time with a
-- lease (lease_until, and a lease_token only that claim knows); a delivery
-- whose lease ran out was claimed by a worker that died. attempted_at is
-- written just before the network write for channels that must never be
-- resent blindly (SMS), so "in flight when the worker died" (attempted_at
-- set) and "claimed but never tried" (attempted_at NULL) are told apart from
-- the database alone.

ALTER TABLE deliveries ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE deliveries ADD COLUMN lease_token TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN attempted_at TIMESTAMPTZ;

-- Deliveries left sending by an older version (which claimed 100 at a
-- time) are taken back by the next worker: an email is sent again (most
-- were never tried), a text counts as in flight, since it may have gone.
UPDATE deliveries SET lease_until = updated_at,
    attempted_at = CASE WHEN channel = 'sms' THEN updated_at END
    WHERE status = 'sending';

CREATE INDEX deliveries_leases ON deliveries (lease_until) WHERE status = 'sending';
