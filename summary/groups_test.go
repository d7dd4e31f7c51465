package summary

import (
	"context"
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

func (c *countingClaims) ClaimSummaries(ctx context.Context, claims []store.SummaryClaim, now time.Time) ([]store.ClaimedSummary, error) {
	got, err := c.DB.ClaimSummaries(ctx, claims, now)
	for _, g := range got {
		if g.Created {
			c.claimed.Add(1)
		}
	}
	return got, err
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
