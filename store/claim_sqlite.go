package store

import (
	"context"
	"time"

	"github.com/steadyapp/steady"
)

// sqliteClaim writes a claimed batch with multi-row VALUES lists, a chunk
// at a time to stay well under SQLite's limit of bound parameters.
type sqliteClaim struct{}

// sqliteClaimChunk rows per statement at most: the update binds 5
// parameters a row, the insert 6. A prepared statement stays in SQLite's
// memory while the cache keeps it, and a 1,000-row one held about 1 MB
// (serve's peak resident set sending 10,000 prompts fell from 52 to 47 MB
// at 100 rows), and planning was no slower in BenchmarkPlanDue.
const sqliteClaimChunk = 100

// sqliteChunks cuts n rows into [start, end) ranges of sqliteClaimChunk,
// 10 or 1 rows, largest first. A claim's statement then takes one of
// a few numbers of rows, so its text is one of a few, which the writer's
// statement cache keeps prepared (parsing a statement of many rows is a
// large part of running it), whatever the sizes of the batches.
func sqliteChunks(n int) [][2]int {
	var chunks [][2]int
	start := 0
	for size := sqliteClaimChunk; size >= 1; size /= 10 {
		for ; n-start >= size; start += size {
			chunks = append(chunks, [2]int{start, start + size})
		}
	}
	return chunks
}

func (sqliteClaim) insertPrompts(ctx context.Context, tx *tx, ps []plannedPrompt, now time.Time) (map[int64]bool, error) {
	inserted := make(map[int64]bool, len(ps))
	at := tx.ts(now)
	for _, c := range sqliteChunks(len(ps)) {
		chunk := ps[c[0]:c[1]]
		args := make([]any, 0, 3+6*len(chunk))
		args = append(args, at, at, at)
		for _, p := range chunk {
			d := p.d
			args = append(args, d.SubscriberID, string(d.Channel), tx.ts(d.Slot), d.PromptID, d.Theme, d.PromptText)
		}
		var ids []int64
		// WHERE true keeps SQLite from reading ON CONFLICT as a join's.
		if err := tx.sel(ctx, &ids, `INSERT INTO deliveries (next_attempt_at, created_at, updated_at,
				subscriber_id, channel, slot, prompt_id, theme, prompt_text,
				kind, status, attempts, provider_id, last_error)
			SELECT ?, ?, ?, v.*, 'prompt', 'queued', 0, '', ''
			FROM (VALUES `+placeholders(len(chunk), 6)+`) AS v WHERE true
			ON CONFLICT (subscriber_id, kind, slot) DO NOTHING
			RETURNING subscriber_id`, args...); err != nil {
			return nil, err
		}
		for _, id := range ids {
			inserted[id] = true
		}
	}
	return inserted, nil
}

func (sqliteClaim) advance(ctx context.Context, tx *tx, ps []plannedPrompt) error {
	for _, c := range sqliteChunks(len(ps)) {
		chunk := ps[c[0]:c[1]]
		args := make([]any, 0, 5*len(chunk))
		for _, p := range chunk {
			latest := ""
			if p.inserted {
				latest = steady.CleanText(p.d.PromptID)
			}
			args = append(args, p.d.SubscriberID, tx.ts(p.claimed), tx.ts(p.next), tx.ts(p.d.Slot), latest)
		}
		// latest is '' where no delivery was inserted; a prompt id never is.
		if _, err := tx.exec(ctx, `WITH v (id, claimed, next, slot, latest) AS (VALUES `+placeholders(len(chunk), 5)+`)
			UPDATE subscribers SET next_slot = v.next,
				last_prompt_id = CASE WHEN `+sqliteNewLatest+` THEN v.latest ELSE last_prompt_id END,
				last_prompt_slot = CASE WHEN `+sqliteNewLatest+` THEN v.slot ELSE last_prompt_slot END
			FROM v WHERE subscribers.id = v.id AND subscribers.next_slot = v.claimed`, args...); err != nil {
			return err
		}
	}
	return nil
}

// sqliteNewLatest says whether the batch's row v holds the subscriber's new
// latest prompt (times are fixed-width text, so text order is time order).
const sqliteNewLatest = `v.latest <> '' AND (last_prompt_slot IS NULL OR v.slot > last_prompt_slot)`
