package store

import (
	"context"

	"github.com/steadyapp/steady"
)

// ReplyToForTest is one RecordReplyTo call: the reply and the theme given.
type ReplyToForTest struct {
	Reply steady.Reply
	Theme string
}

// ReplyResultForTest is what one RecordReplyTo call returned.
type ReplyResultForTest struct {
	Stored  steady.Reply
	Created bool
	Err     error
}

// RecordRepliesTogetherForTest makes the calls as RecordReplyTo outside
// Atomically on PostgreSQL makes them, all in one batch of its group
// commit (as if they had arrived together), and returns what each call
// returns. A call refused before any transaction is refused alone, as
// RecordReplyTo refuses it.
func (db *DB) RecordRepliesTogetherForTest(ctx context.Context, calls []ReplyToForTest) []ReplyResultForTest {
	out := make([]ReplyResultForTest, len(calls))
	var batch []*replyJob
	var at []int
	for i, c := range calls {
		j, err := newReplyJob(ctx, c.Reply, c.Theme)
		if err != nil {
			out[i].Err = err
			continue
		}
		j.result = make(chan replyResult, 1)
		batch, at = append(batch, j), append(at, i)
	}
	db.replies.commit(batch)
	for k, j := range batch {
		res := <-j.result
		out[at[k]] = ReplyResultForTest{Stored: res.stored, Created: res.created, Err: res.err}
	}
	return out
}

// QueryStringInTxForTest is QueryStringForTest in the transaction of the
// Atomically call ctx carries, if any.
func (db *DB) QueryStringInTxForTest(ctx context.Context, query string, args ...any) (string, error) {
	t, err := db.begin(ctx)
	if err != nil {
		return "", err
	}
	defer t.rollback()
	var s string
	if err := t.get(ctx, &s, query, args...); err != nil {
		return "", err
	}
	return s, t.commit()
}

// LookupForTest is one SubscriberAndLatestPrompt call and what it
// returned.
type LookupForTest struct {
	Channel    steady.Channel
	Address    string
	Subscriber steady.Subscriber
	Prompt     SentPrompt
	Err        error
}

// LookupTogetherForTest makes the calls as SubscriberAndLatestPrompt
// outside Atomically on PostgreSQL makes them, all in one statement of
// lookupBatcher (as if they had arrived together), and fills in what each
// returns.
func (db *DB) LookupTogetherForTest(ctx context.Context, calls []LookupForTest) {
	batch := make([]*lookupJob, len(calls))
	for i, c := range calls {
		batch[i] = &lookupJob{ctx: ctx, channel: c.Channel, address: steady.CleanText(c.Address), result: make(chan lookupResult, 1)}
	}
	db.lookups.lookup(batch)
	for i, j := range batch {
		res := <-j.result
		calls[i].Subscriber, calls[i].Prompt, calls[i].Err = res.sub, res.prompt, res.err
	}
}
