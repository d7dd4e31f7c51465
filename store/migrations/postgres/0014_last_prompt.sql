-- Batched planning (issue 14): each subscriber's latest prompt delivery
-- (by slot, whatever its status) is kept on their row, so a batch of due
-- subscribers is planned from the rows the claim reads, with no lookup in
-- deliveries per subscriber. The claim that inserts a prompt delivery sets
-- both columns in the same transaction; '' and NULL mean no prompt yet.
ALTER TABLE subscribers ADD COLUMN last_prompt_id TEXT NOT NULL DEFAULT '';
ALTER TABLE subscribers ADD COLUMN last_prompt_slot TIMESTAMPTZ;

UPDATE subscribers SET (last_prompt_id, last_prompt_slot) = (
    SELECT d.prompt_id, d.slot FROM deliveries d
    WHERE d.subscriber_id = subscribers.id AND d.kind = 'prompt'
    ORDER BY d.slot DESC, d.id DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.subscriber_id = subscribers.id AND d.kind = 'prompt');

-- The claim takes due subscribers earliest first, a batch at a time. On
-- (status, next_slot) PostgreSQL sorted every due row for each batch (all
-- due at one minute is the common case); on (next_slot, id), for exactly
-- the rows the claim can take, a batch reads only its own rows, in order.
DROP INDEX subscribers_due;
CREATE INDEX subscribers_due ON subscribers (next_slot, id) WHERE status = 'active' AND bouncing_at IS NULL;
