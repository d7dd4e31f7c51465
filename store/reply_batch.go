package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/analysis"
)

// maxReplyBatch bounds how many replies one PostgreSQL commit carries.
const maxReplyBatch = 128

// replyCommitters is how many batches of replies may be in progress at
// once: while one waits for its commit's WAL flush, the next gathers the
// replies arriving meanwhile and inserts them.
const replyCommitters = 2

// replyBatcher runs PostgreSQL's RecordReplyTo calls made outside
// Atomically (the SMS webhook's replies) in group commits: the calls
// waiting when a committer is free share one transaction, whose new
// replies are one multi-row INSERT … ON CONFLICT (source_id) DO NOTHING,
// and one commit (one WAL flush instead of one each). No call returns
// before the commit that holds its reply: a call that returned a created
// reply is durable, as it was with a commit of its own.
//
// Each reply is decided exactly as RecordReplyTo decides it alone. The
// insert checks each row's own condition (the delivery it answers, with
// its theme, or else that the subscriber exists); a row it does not insert
// (a replay, a duplicate inside the batch, a failed check) is then handled
// by recordReply in a savepoint of its own. Should the multi-row insert
// fail (a row it cannot insert, such as a subscriber erased meanwhile), it
// is undone and every reply goes through RecordReplyTo's own steps in a
// savepoint of its own, so a bad reply fails alone. When the commit fails,
// every call of the batch gets the error and nothing of it is stored.
//
// The rows are inserted in the order of their source ids, so the
// multi-row inserts of two batches in progress at once, holding replays of
// each other's ids, wait for each other in one order rather than
// deadlock. (A reply that only the savepoint step inserts, after a failed
// check, can still meet such a wait the other way round; PostgreSQL then
// fails one of the two statements: that reply gets the error, or that
// batch's multi-row insert does and it runs again one reply at a time.)
type replyBatcher struct {
	db      *DB
	batches *batches[*replyJob]
}

// replyJob is one RecordReplyTo call waiting for a batch: the reply
// cleaned and checked, the theme it was given, and the analyses worked out
// before (plain without a theme, a with it).
type replyJob struct {
	ctx    context.Context
	r      steady.Reply
	theme  string
	plain  []analysis.Flag
	a      analysed
	result chan replyResult
}

type replyResult struct {
	stored  steady.Reply
	created bool
	err     error
}

func newReplyBatcher(db *DB) *replyBatcher {
	b := &replyBatcher{db: db}
	b.batches = startBatches(replyCommitters, maxReplyBatch, b.commit)
	return b
}

// do records j's reply in the next batch and returns once that batch has
// committed, or j or the commit failed.
func (b *replyBatcher) do(j *replyJob) (steady.Reply, bool, error) {
	j.result = make(chan replyResult, 1)
	if err := b.batches.send(j.ctx, j); err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	// Once taken, a job always gets its answer: even a cancelled caller
	// waits for it, so it never returns while its reply may still commit.
	res := <-j.result
	return res.stored, res.created, res.err
}

// stop ends the committers after their batches in progress; later calls
// get errClosed.
func (b *replyBatcher) stop() { b.batches.stop() }

// commit records batch in one transaction and answers every job.
func (b *replyBatcher) commit(batch []*replyJob) {
	// A caller that gave up before its batch began is answered at once.
	live := batch[:0:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.result <- replyResult{err: fmt.Errorf("store: record reply: %w", err)}
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	slices.SortStableFunc(live, func(x, y *replyJob) int { return cmp.Compare(x.r.SourceID, y.r.SourceID) })
	results, err := b.record(live, true)
	if errors.Is(err, errBatchInsert) {
		// The multi-row insert failed and took the transaction with
		// it: once more, each reply in a savepoint of its own.
		results, err = b.record(live, false)
	}
	for i, j := range live {
		if err != nil {
			j.result <- replyResult{err: fmt.Errorf("store: record reply: %w", err)}
			continue
		}
		j.result <- results[i]
	}
}

// errBatchInsert marks a failure of the multi-row insert itself, after
// which record runs again without it.
var errBatchInsert = errors.New("multi-row insert failed")

// record runs batch (sorted by source id, a source id's jobs in the order
// they came) in one transaction and commits it; err is a failure of the
// transaction itself, which every job of the batch shares. With together,
// the new replies are one multi-row insert first.
func (b *replyBatcher) record(batch []*replyJob, together bool) ([]replyResult, error) {
	// The transaction outlives any one caller's context: a caller that
	// gives up is still answered, after the commit.
	ctx := context.Background()
	t, err := b.db.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	tx := &tx{tx: t, dialect: b.db.dialect, keys: b.db.keys}
	defer tx.rollback()
	results := make([]replyResult, len(batch))
	// done: the multi-row insert stored the job's reply; tried: it was
	// in that insert.
	done, tried := make([]bool, len(batch)), make([]bool, len(batch))
	if together {
		// Only the first job of each source id is in the insert; a
		// duplicate later in the batch is handled as a replay of it.
		var first []*replyJob
		for i, j := range batch {
			if tried[i] = i == 0 || j.r.SourceID != batch[i-1].r.SourceID; tried[i] {
				first = append(first, j)
			}
		}
		ids, err := insertReplies(ctx, tx, first)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errBatchInsert, err)
		}
		for i, j := range batch {
			if !tried[i] {
				continue
			}
			if id, ok := ids[j.r.SourceID]; ok {
				results[i] = replyResult{stored: insertedReply(j.r, id), created: true}
				done[i] = true
			}
		}
	}
	for i, j := range batch {
		if done[i] {
			continue
		}
		if _, err := tx.exec(ctx, `SAVEPOINT reply`); err != nil {
			return nil, err
		}
		// Run with the batch's context, not the caller's: a caller
		// giving up now must not break the others' transaction.
		stored, created, err := recordReplyTo(ctx, tx, j, tried[i])
		undo := `RELEASE reply`
		if err != nil {
			undo = `ROLLBACK TO reply`
		}
		if _, uerr := tx.exec(ctx, undo); uerr != nil {
			return nil, errors.Join(err, uerr)
		}
		results[i] = replyResult{stored: stored, created: created, err: err}
		if err != nil {
			results[i].err = fmt.Errorf("store: record reply: %w", err)
		}
	}
	if err := tx.commit(); err != nil {
		return nil, err
	}
	return results, nil
}

// insertReplies inserts the replies of batch in one statement, each on
// the condition insertReply's callers give it: a reply to a delivery only
// if the delivery is the subscriber's and has the theme the job was given,
// any other only if its subscriber exists; a source id already recorded
// (or earlier in the batch) is left out. It returns the ids of the rows
// inserted by source id.
func insertReplies(ctx context.Context, tx *tx, batch []*replyJob) (map[string]int64, error) {
	n := len(batch)
	var (
		subscribers = make([]int64, n)
		deliveries  = make([]int64, n)
		channels    = make([]string, n)
		bodies      = make([]string, n)
		received    = make([]time.Time, n)
		sources     = make([]string, n)
		flags       = make([]string, n)
		versions    = make([]int32, n)
		harms       = make([]bool, n)
		themes      = make([]string, n)
	)
	for i, j := range batch {
		r := j.r
		subscribers[i], deliveries[i], channels[i] = r.SubscriberID, r.DeliveryID, string(r.Channel)
		bodies[i] = tx.seal(replyBody, r.Body, r.SourceID)
		received[i] = r.ReceivedAt.UTC().Truncate(time.Microsecond)
		sources[i] = r.SourceID
		flags[i], versions[i], harms[i] = j.a.flags, int32(j.a.version), j.a.harm
		themes[i] = j.theme
	}
	// The arrays' text is what cleanArgs would make of each string: the
	// reply was cleaned by RecordReplyTo, and the flags and channel are
	// ours.
	rows, err := tx.query(ctx, `INSERT INTO replies (subscriber_id, delivery_id, channel, body, received_at, source_id,
			flags, analysis_version, harm)
		SELECT r.subscriber_id, NULLIF(r.delivery_id, 0), r.channel, r.body, r.received_at, r.source_id,
			r.flags, r.analysis_version, r.harm
		FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::text[],
			?::text[], ?::integer[], ?::boolean[], ?::text[]) WITH ORDINALITY
			AS r (subscriber_id, delivery_id, channel, body, received_at, source_id, flags, analysis_version, harm, theme, ord)
		WHERE CASE WHEN r.delivery_id = 0 THEN EXISTS (SELECT 1 FROM subscribers WHERE id = r.subscriber_id)
			ELSE EXISTS (SELECT 1 FROM deliveries WHERE id = r.delivery_id AND subscriber_id = r.subscriber_id AND theme = r.theme) END
		ORDER BY r.ord
		ON CONFLICT (source_id) DO NOTHING
		RETURNING id, source_id`,
		subscribers, deliveries, channels, bodies, received, sources, flags, versions, harms, themes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[string]int64, n)
	for rows.Next() {
		var id int64
		var source string
		if err := rows.Scan(&id, &source); err != nil {
			return nil, err
		}
		ids[source] = id
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ids, rows.Close()
}

// insertedReply is the stored form of r inserted as id, as insertReply
// returns it.
func insertedReply(r steady.Reply, id int64) steady.Reply {
	return steady.Reply{
		ID: id, SubscriberID: r.SubscriberID, DeliveryID: r.DeliveryID, Channel: r.Channel,
		Body: r.Body, ReceivedAt: r.ReceivedAt.UTC().Truncate(time.Microsecond), SourceID: r.SourceID,
	}
}
