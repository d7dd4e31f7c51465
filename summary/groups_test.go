package summary

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// countingClaims is the store of a pass that counts the summaries it has
// claimed.
type countingClaims struct {
	*store.DB
	claimed atomic.Int64
}

func (c *countingClaims) FinishAndClaimSummaries(ctx context.Context, done []store.SummaryFinish, claims []store.SummaryClaim, now time.Time) ([]store.ClaimedSummary, error, error) {
	got, conflicts, err := c.DB.FinishAndClaimSummaries(ctx, done, claims, now)
	for _, g := range got {
		if g.Created {
			c.claimed.Add(1)
		}
	}
	return got, conflicts, err
}

// slowSender sends through next after a pause, counting the sends done
// and the most summaries claimed and not yet sent that it saw.
type slowSender struct {
	next    Sender
	claims  *countingClaims
	sent    atomic.Int64
	mu      sync.Mutex
	highest int64
}

func (s *slowSender) Send(ctx context.Context, m steady.Message) (string, error) {
	unsent := s.claims.claimed.Load() - s.sent.Load()
	s.mu.Lock()
	s.highest = max(s.highest, unsent)
	s.mu.Unlock()
	time.Sleep(2 * time.Millisecond)
	defer s.sent.Add(1)
	return s.next.Send(ctx, m)
}

// Sending in groups, with one group's outcomes committing while the next
// sends, never has more than Workers summaries claimed and not yet sent
// (what a crash could leave unsent), and sends each summary once.
func TestSummaryGroupsBoundWhatIsClaimedAndUnsent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		var subs []steady.Subscriber
		for i := range 30 {
			sub := b.subscribe(t, fmt.Sprintf("group%d@example.org", i), "Europe/London", 8, steady.ChannelEmail)
			b.reply(t, sub, time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), "he lied to me again")
			subs = append(subs, sub)
		}
		claims := &countingClaims{DB: db}
		sender := &slowSender{next: b.service(t).cfg.Sender, claims: claims}
		const workers = 4
		svc, err := New(Config{Store: claims, Sender: sender, Links: b.links, Clock: b.clock, Batch: 12, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.RunOnce(context.Background(), now); err != nil {
			t.Fatal(err)
		}
		if n := sender.sent.Load(); n != int64(len(subs)) {
			t.Errorf("%d summaries sent, want %d", n, len(subs))
		}
		if sender.highest > workers || sender.highest < 2 {
			t.Errorf("at most %d summaries were claimed and not yet sent, want between 2 and Workers (%d)", sender.highest, workers)
		}
		for _, sub := range subs {
			if n := len(b.previews(t, sub.Address)); n != 1 {
				t.Errorf("subscriber %d: %d summaries sent, want 1", sub.ID, n)
			}
		}
	})
}

// faultyCommits is the store of a pass that counts its commits of
// outcomes and claims, and fails the one numbered failAt (from 1; 0 for
// none) before it reaches the database.
type faultyCommits struct {
	*store.DB
	failAt           int64
	combined, finish atomic.Int64
}

func (f *faultyCommits) FinishAndClaimSummaries(ctx context.Context, done []store.SummaryFinish, claims []store.SummaryClaim, now time.Time) ([]store.ClaimedSummary, error, error) {
	if f.combined.Add(1) == f.failAt {
		return nil, nil, errors.New("injected: the commit failed")
	}
	return f.DB.FinishAndClaimSummaries(ctx, done, claims, now)
}

func (f *faultyCommits) FinishSummaries(ctx context.Context, done []store.SummaryFinish, now time.Time) error {
	f.finish.Add(1)
	return f.DB.FinishSummaries(ctx, done, now)
}

// A group's outcomes are recorded with a later group's claim, across
// batches: a pass costs a commit a group and one more, not two a group. When that commit
// fails, neither half is done: the group is sent on the next pass, the
// outcomes go with the next claim, and every summary is sent once and
// recorded as sent.
func TestSummaryOutcomesGoWithTheNextClaim(t *testing.T) {
	t.Parallel()
	for _, failAt := range []int64{0, 3} {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
			b := setup(t, db, now)
			var subs []steady.Subscriber
			for i := range 30 {
				sub := b.subscribe(t, fmt.Sprintf("commits%d-%d@example.org", failAt, i), "Europe/London", 8, steady.ChannelEmail)
				b.reply(t, sub, time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), "we talked it through")
				subs = append(subs, sub)
			}
			st := &faultyCommits{DB: db, failAt: failAt}
			// Workers 4: groups of 2; batches of 12, 12 and 6: 15 groups.
			svc, err := New(Config{Store: st, Sender: b.service(t).cfg.Sender, Links: b.links, Clock: b.clock, Batch: 12, Workers: 4})
			if err != nil {
				t.Fatal(err)
			}
			err = svc.RunOnce(context.Background(), now)
			if failAt == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if c, f := st.combined.Load(), st.finish.Load(); c+f > 15+1 {
					t.Errorf("%d commits of claims and outcomes (%d with claims, %d of outcomes alone) for 15 groups in 3 batches, want at most 16",
						c+f, c, f)
				}
			} else {
				if err == nil {
					t.Fatal("the failed commit was not reported")
				}
				if err := svc.RunOnce(context.Background(), now.Add(time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			for _, sub := range subs {
				if n := len(b.previews(t, sub.Address)); n != 1 {
					t.Errorf("subscriber %d: %d summaries sent, want 1", sub.ID, n)
				}
				rec, err := db.SummaryFor(context.Background(), sub.ID, "2026-11")
				if err != nil || rec.Status != steady.SummarySent {
					t.Errorf("subscriber %d: summary %+v, %v; want it recorded as sent", sub.ID, rec.Status, err)
				}
			}
		})
	}
}
