package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// smsReply is a text from sub answering d (or nothing, d zero).
func smsReply(sub steady.Subscriber, d steady.Delivery, sid, body string) steady.Reply {
	return steady.Reply{SubscriberID: sub.ID, DeliveryID: d.ID, Channel: steady.ChannelSMS,
		Body: body, ReceivedAt: t0, SourceID: "twilio:" + sid}
}

// wantStored is r as RecordReplyTo returns it stored as id.
func wantStored(r steady.Reply, id int64) steady.Reply {
	r.ID, r.ReceivedAt = id, r.ReceivedAt.UTC().Truncate(time.Microsecond)
	return r
}

// checkStored fails unless the subscriber's stored replies are want, in
// order, bodies opened.
func checkStored(t *testing.T, db *store.DB, subID int64, want ...steady.Reply) {
	t.Helper()
	got, err := db.Replies(context.Background(), subID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("subscriber %d's replies:\n got %+v\nwant %+v", subID, got, want)
	}
}

// Replies arriving together on PostgreSQL share one transaction and one
// commit, and each call gets its own answer, the one it would get alone:
// a reply to its prompt, an unprompted one, one given a stale theme (the
// multi-row insert leaves it out and it is stored as RecordReply stores
// it), a replay of a stored reply, someone else's delivery, a subscriber
// that does not exist, and a source id another subscriber's reply has.
func TestReplyBatchSharesOneCommit(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	ctx := context.Background()
	a := active(t, db, "batch-a@example.com", t0)
	b := active(t, db, "batch-b@example.com", t0)
	c := active(t, db, "batch-c@example.com", t0)
	sent := sentPrompts(t, db, a, b, c)
	old := smsReply(c, steady.Delivery{}, "SMold", "stored before the batch")
	oldStored, created, err := db.RecordReplyTo(ctx, old, "")
	if err != nil || !created {
		t.Fatalf("first reply: %v, %v", created, err)
	}

	toA := smsReply(a, sent[0], "SMa", "we talked <at> dinner & it went \"well\"")
	plainB := smsReply(b, steady.Delivery{}, "SMb", "nothing asked, but: 今日は良かった")
	staleC := smsReply(c, sent[2], "SMc", "a stale theme")
	theirs := smsReply(a, sent[1], "SMtheirs", "b's prompt, a's text")
	gone := smsReply(a, steady.Delivery{}, "SMgone", "from nobody")
	gone.SubscriberID = 999999
	stolen := smsReply(b, steady.Delivery{}, "SMold", "c's source id")
	got := db.RecordRepliesTogetherForTest(ctx, []store.ReplyToForTest{
		{toA, sent[0].Theme}, {plainB, sent[1].Theme}, {staleC, sent[2].Theme + "-not"},
		{old, ""}, {theirs, sent[1].Theme}, {gone, ""}, {stolen, ""},
	})
	for i, want := range []steady.Reply{toA, plainB, staleC} {
		if r := got[i]; r.Err != nil || !r.Created || r.Stored != wantStored(want, r.Stored.ID) || r.Stored.ID == 0 {
			t.Errorf("call %d = %+v; want %+v stored", i, r, want)
		}
	}
	if r := got[3]; r.Err != nil || r.Created || r.Stored != oldStored {
		t.Errorf("replay = %+v; want %+v, not created", r, oldStored)
	}
	if r := got[4]; !steady.IsInvalid(r.Err) {
		t.Errorf("someone else's delivery = %+v; want invalid", r)
	}
	if r := got[5]; !errors.Is(r.Err, steady.ErrNotFound) {
		t.Errorf("missing subscriber = %+v; want not found", r)
	}
	if r := got[6]; !errors.Is(r.Err, steady.ErrConflict) {
		t.Errorf("another subscriber's source id = %+v; want conflict", r)
	}
	// The two the multi-row insert stored were written by one
	// transaction (the third was, in a savepoint of its own).
	n, err := db.QueryStringForTest(ctx, `SELECT count(DISTINCT xmin::text)::text FROM replies WHERE source_id IN (?, ?)`,
		toA.SourceID, plainB.SourceID)
	if err != nil || n != "1" {
		t.Errorf("the batch's replies were written by %s transactions (%v); want 1", n, err)
	}
	checkStored(t, db, a.ID, wantStored(toA, got[0].Stored.ID))
	checkStored(t, db, b.ID, wantStored(plainB, got[1].Stored.ID))
	checkStored(t, db, c.ID, oldStored, wantStored(staleC, got[2].Stored.ID))
}

// A source id twice in one batch is stored once: the first call creates
// it and the second is its replay, or a conflict when it comes from
// another subscriber.
func TestReplyBatchDuplicateInside(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	ctx := context.Background()
	a := active(t, db, "dup-a@example.com", t0)
	b := active(t, db, "dup-b@example.com", t0)
	sent := sentPrompts(t, db, a)
	r := smsReply(a, sent[0], "SMdup", "said twice")
	other := smsReply(b, steady.Delivery{}, "SMdup", "said by b with a's id")
	got := db.RecordRepliesTogetherForTest(ctx, []store.ReplyToForTest{{r, sent[0].Theme}, {r, sent[0].Theme}, {other, ""}})
	if got[0].Err != nil || !got[0].Created || got[0].Stored != wantStored(r, got[0].Stored.ID) {
		t.Errorf("first = %+v; want created", got[0])
	}
	if got[1].Err != nil || got[1].Created || got[1].Stored != got[0].Stored {
		t.Errorf("second = %+v; want the first's reply, not created", got[1])
	}
	if !errors.Is(got[2].Err, steady.ErrConflict) {
		t.Errorf("another subscriber's = %+v; want conflict", got[2])
	}
	checkStored(t, db, a.ID, got[0].Stored)
	checkStored(t, db, b.ID)
}

// A reply the database refuses (here a trigger, standing for a subscriber
// erased between the check and the insert) fails alone: the multi-row
// insert is undone and the batch's other replies are stored one by one.
func TestReplyBatchBadRow(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	ctx := context.Background()
	for _, q := range []string{
		`CREATE FUNCTION refuse_bad_reply() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.source_id = 'twilio:SMbad' THEN RAISE EXCEPTION 'this reply is refused'; END IF;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER refuse_bad_reply BEFORE INSERT ON replies FOR EACH ROW EXECUTE FUNCTION refuse_bad_reply()`,
	} {
		if err := db.ExecForTest(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	a := active(t, db, "bad-a@example.com", t0)
	b := active(t, db, "bad-b@example.com", t0)
	sent := sentPrompts(t, db, a, b)
	before := smsReply(a, sent[0], "SMa", "before the bad one")
	bad := smsReply(a, sent[0], "SMbad", "refused")
	after := smsReply(b, steady.Delivery{}, "SMc", "after the bad one")
	got := db.RecordRepliesTogetherForTest(ctx, []store.ReplyToForTest{{before, sent[0].Theme}, {bad, sent[0].Theme}, {after, ""}})
	if got[1].Err == nil || !strings.Contains(got[1].Err.Error(), "this reply is refused") || got[1].Created {
		t.Errorf("bad reply = %+v; want the trigger's error", got[1])
	}
	for i, want := range map[int]steady.Reply{0: before, 2: after} {
		if r := got[i]; r.Err != nil || !r.Created || r.Stored != wantStored(want, r.Stored.ID) {
			t.Errorf("call %d = %+v; want stored", i, r)
		}
	}
	checkStored(t, db, a.ID, got[0].Stored)
	checkStored(t, db, b.ID, got[2].Stored)
}

// When the batch's commit fails, every call of it gets the error and
// nothing of it is stored: no call is answered for a reply that is not
// committed. The fault is a deferred constraint trigger, which fails at
// COMMIT.
func TestReplyBatchCommitFails(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	ctx := context.Background()
	for _, q := range []string{
		`CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.source_id = 'twilio:SMcommit' THEN RAISE EXCEPTION 'refused at commit'; END IF;
			RETURN NULL;
		END $$`,
		`CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON replies DEFERRABLE INITIALLY DEFERRED
			FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()`,
	} {
		if err := db.ExecForTest(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	a := active(t, db, "commit-a@example.com", t0)
	b := active(t, db, "commit-b@example.com", t0)
	sent := sentPrompts(t, db, a)
	calls := []store.ReplyToForTest{
		{smsReply(a, sent[0], "SMfine", "fine alone"), sent[0].Theme},
		{smsReply(b, steady.Delivery{}, "SMcommit", "fails at commit"), ""},
		{smsReply(b, steady.Delivery{}, "SMalso", "fine alone too"), ""},
	}
	for i, r := range db.RecordRepliesTogetherForTest(ctx, calls) {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "refused at commit") || r.Created {
			t.Errorf("call %d = %+v; want the commit's error", i, r)
		}
	}
	checkStored(t, db, a.ID)
	checkStored(t, db, b.ID)
	// The next batch is not held up by the one that failed.
	r, created, err := db.RecordReplyTo(ctx, calls[0].Reply, calls[0].Theme)
	if err != nil || !created {
		t.Fatalf("after the failed commit: %v, %v", created, err)
	}
	checkStored(t, db, a.ID, r)
}

// Concurrent RecordReplyTo calls on PostgreSQL (the webhook's calls)
// waiting while the committers are busy share a commit, and each gets its
// own answer; replays among them are stored once. The committers are held
// up by replies of a subscriber whose row a transaction has locked (their
// foreign key waits for it).
func TestReplyBatchConcurrentCalls(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	ctx := context.Background()
	held := active(t, db, "held@example.com", t0)
	subs := make([]steady.Subscriber, 4)
	for i := range subs {
		subs[i] = active(t, db, fmt.Sprintf("conc-%d@example.com", i), t0)
	}
	sent := sentPrompts(t, db, subs...)

	const calls = 24 // every third a replay of the one before
	var wg sync.WaitGroup
	results := make([]store.ReplyResultForTest, calls)
	replies := make([]steady.Reply, calls)
	locked, release := make(chan string), make(chan struct{})
	go func() {
		err := db.Atomically(ctx, func(ctx context.Context) error {
			if _, err := db.Pause(ctx, held.ID, t0.Add(time.Hour), t0, func(s steady.Subscriber, from time.Time) (time.Time, error) {
				return from, nil
			}); err != nil {
				return err
			}
			pid, err := db.QueryStringInTxForTest(ctx, `SELECT pg_backend_pid()::text`)
			if err != nil {
				return err
			}
			locked <- pid
			<-release
			return errors.New("rolled back on purpose")
		})
		if err == nil {
			t.Error("the holding transaction committed")
		}
	}()
	pid := <-locked
	blocked := make([]store.ReplyResultForTest, 2)
	for i := range blocked {
		wg.Go(func() {
			r, created, err := db.RecordReplyTo(ctx, smsReply(held, steady.Delivery{}, fmt.Sprintf("SMheld%d", i), "held up"), "")
			blocked[i] = store.ReplyResultForTest{Stored: r, Created: created, Err: err}
		})
	}
	// Both committers wait for the lock.
	for deadline := time.Now().Add(20 * time.Second); ; {
		n, err := db.QueryStringForTest(ctx, `SELECT count(*)::text FROM pg_stat_activity WHERE ?::int = ANY (pg_blocking_pids(pid))`, pid)
		if err != nil {
			t.Fatal(err)
		}
		if n == "2" {
			break
		}
		if time.Now().After(deadline) {
			close(release)
			t.Fatalf("%s committers wait for the lock; want 2", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	var started sync.WaitGroup
	for i := range calls {
		sub, d := subs[i%len(subs)], sent[i%len(subs)]
		sid := fmt.Sprintf("SMconc%02d", i)
		if i%3 == 2 {
			sub, d, sid = subs[(i-1)%len(subs)], sent[(i-1)%len(subs)], fmt.Sprintf("SMconc%02d", i-1)
		}
		replies[i] = smsReply(sub, d, sid, fmt.Sprintf("reply %d", i))
		if i%3 == 2 {
			replies[i].Body = replies[i-1].Body
		}
		started.Add(1)
		wg.Go(func() {
			started.Done()
			r, created, err := db.RecordReplyTo(ctx, replies[i], d.Theme)
			results[i] = store.ReplyResultForTest{Stored: r, Created: created, Err: err}
		})
	}
	started.Wait()
	time.Sleep(100 * time.Millisecond) // the calls reach the committers' queue
	close(release)
	wg.Wait()

	for i, r := range blocked {
		if r.Err != nil || !r.Created {
			t.Errorf("held-up call %d = %+v", i, r)
		}
	}
	created := map[string]steady.Reply{}
	for i, r := range results {
		if r.Err != nil {
			t.Fatalf("call %d: %v", i, r.Err)
		}
		if r.Created {
			if _, dup := created[replies[i].SourceID]; dup {
				t.Errorf("%s created twice", replies[i].SourceID)
			}
			created[replies[i].SourceID] = r.Stored
		}
		if r.Stored != wantStored(replies[i], r.Stored.ID) {
			t.Errorf("call %d = %+v; want %+v", i, r.Stored, replies[i])
		}
	}
	if len(created) != calls*2/3 {
		t.Errorf("%d replies created for %d source ids", len(created), calls*2/3)
	}
	for i, r := range results {
		if r.Stored != created[replies[i].SourceID] {
			t.Errorf("call %d got reply %d; the stored one is %d", i, r.Stored.ID, created[replies[i].SourceID].ID)
		}
	}
	n, err := db.QueryStringForTest(ctx, `SELECT count(DISTINCT xmin::text)::text FROM replies WHERE source_id LIKE 'twilio:SMconc%'`)
	if err != nil {
		t.Fatal(err)
	}
	if n == fmt.Sprint(len(created)) {
		t.Errorf("the %d replies took %s transactions; want fewer", len(created), n)
	}
	t.Logf("%d replies in %s transactions", len(created), n)
}

// SubscriberAndLatestPrompt calls arriving together on PostgreSQL share
// one statement, and each gets what its own statement (the one it runs
// inside Atomically) gives: a subscriber with a prompt sent, one without,
// the same address twice, an unknown address, the address on another
// channel, and hostile text (NUL, markup, quotes, non-ASCII, a long line).
func TestLookupBatchAnswersEachCall(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	ctx := context.Background()
	a := active(t, db, "look-a@example.com", t0)
	b := active(t, db, "look-b@example.com", t0.Add(30*24*time.Hour)) // not due: no prompt
	sentPrompts(t, db, a)
	calls := []store.LookupForTest{
		{Channel: a.Channel, Address: a.Address}, {Channel: b.Channel, Address: b.Address},
		{Channel: a.Channel, Address: a.Address}, {Channel: a.Channel, Address: "nobody@example.com"},
		{Channel: steady.ChannelSMS, Address: a.Address},
		{Channel: a.Channel, Address: "look-b@example.com\x00"},
		{Channel: a.Channel, Address: "<b>&\"'é今\x00" + strings.Repeat("x", 5000)},
	}
	db.LookupTogetherForTest(ctx, calls)
	for i, c := range calls {
		var want store.LookupForTest
		err := db.Atomically(ctx, func(ctx context.Context) error {
			want.Subscriber, want.Prompt, want.Err = db.SubscriberAndLatestPrompt(ctx, c.Channel, c.Address)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(c.Subscriber, c.Prompt) != fmt.Sprint(want.Subscriber, want.Prompt) || (c.Err == nil) != (want.Err == nil) ||
			errors.Is(c.Err, steady.ErrNotFound) != errors.Is(want.Err, steady.ErrNotFound) {
			t.Errorf("call %d (%s %.20q) = %+v, %+v, %v; alone %+v, %+v, %v", i, c.Channel, c.Address,
				c.Subscriber, c.Prompt, c.Err, want.Subscriber, want.Prompt, want.Err)
		}
	}
	if calls[0].Prompt.ID == 0 || calls[1].Subscriber.ID != b.ID || calls[1].Prompt.ID != 0 || !errors.Is(calls[3].Err, steady.ErrNotFound) {
		t.Errorf("the cases are not what they should be: %+v", calls)
	}
	// The same through concurrent calls.
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			c := calls[i%len(calls)]
			sub, p, err := db.SubscriberAndLatestPrompt(ctx, c.Channel, c.Address)
			if fmt.Sprint(sub, p) != fmt.Sprint(c.Subscriber, c.Prompt) || (err == nil) != (c.Err == nil) {
				t.Errorf("concurrent call %d = %+v, %+v, %v; want %+v, %+v, %v", i, sub, p, err, c.Subscriber, c.Prompt, c.Err)
			}
		})
	}
	wg.Wait()
}
