package store

import (
	"context"
	"time"

	"github.com/steadyapp/steady"
)

// postgresClaim writes a claimed batch with one statement each, the rows
// passed as arrays and unnested, so the statement text and its number of
// parameters are the same for every batch.
type postgresClaim struct{}

func (postgresClaim) insertPrompts(ctx context.Context, tx *tx, ps []plannedPrompt, now time.Time) (map[int64]bool, error) {
	n := len(ps)
	ids := make([]int64, n)
	channels := make([]string, n)
	slots := make([]time.Time, n)
	promptIDs := make([]string, n)
	themes := make([]string, n)
	texts := make([]string, n)
	for i, p := range ps {
		d := p.d
		ids[i], channels[i], slots[i] = d.SubscriberID, string(d.Channel), pgTime(d.Slot)
		promptIDs[i], themes[i], texts[i] = steady.CleanText(d.PromptID), steady.CleanText(d.Theme), steady.CleanText(d.PromptText)
	}
	var got []int64
	if err := tx.sel(ctx, &got, postgresClaimInsert,
		tx.ts(now), tx.ts(now), tx.ts(now), ids, channels, slots, promptIDs, themes, texts); err != nil {
		return nil, err
	}
	inserted := make(map[int64]bool, len(got))
	for _, id := range got {
		inserted[id] = true
	}
	return inserted, nil
}

func (postgresClaim) advance(ctx context.Context, tx *tx, ps []plannedPrompt) error {
	n := len(ps)
	ids := make([]int64, n)
	claimed := make([]time.Time, n)
	next := make([]time.Time, n)
	slots := make([]time.Time, n)
	latest := make([]string, n)
	for i, p := range ps {
		ids[i], claimed[i], next[i], slots[i] = p.d.SubscriberID, pgTime(p.claimed), pgTime(p.next), pgTime(p.d.Slot)
		if p.inserted {
			latest[i] = steady.CleanText(p.d.PromptID)
		}
	}
	// latest is '' where no delivery was inserted; a prompt id never is.
	_, err := tx.exec(ctx, postgresClaimAdvance,
		ids, claimed, next, slots, latest, ids)
	return err
}

// postgresClaimInsert queues a batch of prompts: now three times, then
// the arrays of subscriber ids, channels, slots, prompt ids, themes and
// texts. The conflict arbiter is the unique (subscriber_id, kind, slot).
const postgresClaimInsert = `INSERT INTO deliveries (subscriber_id, channel, slot, prompt_id, theme, prompt_text,
		kind, status, attempts, next_attempt_at, provider_id, last_error, created_at, updated_at)
	SELECT v.*, 'prompt', 'queued', 0, ?::timestamptz, '', '', ?::timestamptz, ?::timestamptz
	FROM unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[])
		AS v (subscriber_id, channel, slot, prompt_id, theme, prompt_text)
	ON CONFLICT (subscriber_id, kind, slot) DO NOTHING
	RETURNING subscriber_id`

// postgresClaimAdvance moves a batch's next slots and latest prompts: the
// arrays of subscriber ids, claimed slots, next slots, delivery slots and
// latest prompt ids (empty where nothing was inserted), then the ids again.
// The id = ANY condition is an index condition on the primary key,
// whatever the estimate of the unnested rows (joined alone, a big batch
// made it a hash join on a sequential scan of subscribers).
const postgresClaimAdvance = `UPDATE subscribers AS s SET next_slot = v.next,
		last_prompt_id = CASE WHEN ` + postgresNewLatest + ` THEN v.latest ELSE s.last_prompt_id END,
		last_prompt_slot = CASE WHEN ` + postgresNewLatest + ` THEN v.slot ELSE s.last_prompt_slot END
	FROM unnest(?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::text[])
		AS v (id, claimed, next, slot, latest)
	WHERE s.id = ANY(?::bigint[]) AND s.id = v.id AND s.next_slot = v.claimed`

const postgresNewLatest = `v.latest <> '' AND (s.last_prompt_slot IS NULL OR v.slot > s.last_prompt_slot)`

// pgTime is a time as the store keeps it (UTC, to the microsecond) for an
// array parameter, which tx.ts does not reach.
func pgTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
