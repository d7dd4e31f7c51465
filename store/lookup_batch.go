package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/steadyapp/steady"
)

// maxLookupBatch bounds how many addresses one statement of lookupBatcher
// looks up.
const maxLookupBatch = 128

// lookupWorkers is how many of lookupBatcher's statements may run at once.
const lookupWorkers = 2

// lookupBatcher runs PostgreSQL's SubscriberAndLatestPrompt calls made
// outside Atomically (the SMS webhook asks it for every text) together:
// the calls waiting when a worker is free are one statement, one round
// trip, instead of one each. Each answer is what the call's own statement
// would give: the statement is outside any transaction, as the call's own
// would be, and runs after the call was made and before it returns.
type lookupBatcher struct {
	db      *DB
	batches *batches[*lookupJob]
}

type lookupJob struct {
	ctx     context.Context
	channel steady.Channel
	address string
	result  chan lookupResult
}

type lookupResult struct {
	sub    steady.Subscriber
	prompt SentPrompt
	err    error
}

func newLookupBatcher(db *DB) *lookupBatcher {
	b := &lookupBatcher{db: db}
	b.batches = startBatches(lookupWorkers, maxLookupBatch, b.lookup)
	return b
}

func (b *lookupBatcher) do(ctx context.Context, ch steady.Channel, address string) (steady.Subscriber, SentPrompt, error) {
	j := &lookupJob{ctx: ctx, channel: ch, address: steady.CleanText(address), result: make(chan lookupResult, 1)}
	if err := b.batches.send(ctx, j); err != nil {
		return steady.Subscriber{}, SentPrompt{}, fmt.Errorf("store: subscriber and latest prompt: %w", err)
	}
	res := <-j.result
	return res.sub, res.prompt, res.err
}

func (b *lookupBatcher) stop() { b.batches.stop() }

// subscriberAndPromptRow is a row of SubscriberAndLatestPrompt's
// statements; ord is the position of the address asked for, in
// lookupBatcher's.
type subscriberAndPromptRow struct {
	Ord int64 `db:"ord"`
	subscriberRow
	PromptID     sql.NullInt64  `db:"prompt_id"`
	PromptTheme  sql.NullString `db:"prompt_theme"`
	PromptSentAt utcTime        `db:"prompt_sent_at"`
}

func (r subscriberAndPromptRow) prompt() SentPrompt {
	return SentPrompt{ID: r.PromptID.Int64, Theme: r.PromptTheme.String, SentAt: r.PromptSentAt.time()}
}

// lookup answers every job of batch from one statement. The statement
// runs with a context of its own: a caller that gives up is answered
// with what was found anyway, and does not cancel the others' statement.
func (b *lookupBatcher) lookup(batch []*lookupJob) {
	channels, addresses := make([]string, len(batch)), make([]string, len(batch))
	for i, j := range batch {
		channels[i], addresses[i] = string(j.channel), j.address
	}
	found := make([]*subscriberAndPromptRow, len(batch))
	err := func() error {
		// The latest prompt of each subscriber found is the same
		// statement as SubscriberAndLatestPrompt's own, by subscriber id.
		rows, err := b.db.read.QueryxContext(context.Background(), b.db.read.Rebind(`WITH s AS (
				SELECT q.ord, `+subscriberColumns+`
				FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS q (want_channel, want_address, ord)
				JOIN subscribers ON channel = q.want_channel AND address = q.want_address)
			SELECT s.*, p.id AS prompt_id, p.theme AS prompt_theme, p.sent_at AS prompt_sent_at
			FROM s LEFT JOIN LATERAL (SELECT id, theme, sent_at FROM deliveries
				WHERE subscriber_id = s.id AND kind = 'prompt' AND status = 'sent'
				ORDER BY slot DESC, id DESC LIMIT 1) p ON true`), channels, addresses)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r subscriberAndPromptRow
			if err := rows.StructScan(&r); err != nil {
				return err
			}
			if r.Ord < 1 || int(r.Ord) > len(batch) {
				return fmt.Errorf("row for address %d of %d", r.Ord, len(batch))
			}
			found[r.Ord-1] = &r
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return rows.Close()
	}()
	for i, j := range batch {
		var res lookupResult
		switch r := found[i]; {
		case err != nil:
			res.err = err
		case r == nil:
			res.err = steady.ErrNotFound
		default:
			res.sub, res.err = r.subscriber()
			res.prompt = r.prompt()
		}
		if res.err != nil {
			res = lookupResult{err: fmt.Errorf("store: subscriber and latest prompt: %w", res.err)}
		}
		j.result <- res
	}
}
