package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Clicks of one confirm link at the same moment confirm once: the others
// are told the link was used, and one consent record is written.
func TestConfirmLinkAtOnceConfirmsOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
			Channel: steady.ChannelEmail, Address: "race@example.org", TimeZone: "UTC",
			Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 9},
			Consent:  steady.Consent{Method: "web", Wording: "Send me prompts"}, Now: now, ResendAfter: time.Minute,
		})
		if err != nil {
			t.Fatal(err)
		}
		sub := res.Subscriber
		next := func(steady.Subscriber) (time.Time, error) { return now.Add(24 * time.Hour), nil }
		const clicks = 6
		errs := make([]error, clicks)
		var wg sync.WaitGroup
		for i := range clicks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.ConfirmLink(ctx, sub.ID, sub.ConfirmSentAt, steady.Consent{Method: "web"}, now.Add(time.Minute), next)
			}()
		}
		wg.Wait()
		ok, used := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrLinkUsed):
				used++
			default:
				t.Errorf("ConfirmLink: %v", err)
			}
		}
		if ok != 1 || used != clicks-1 {
			t.Errorf("%d confirmed, %d told used; want 1 and %d", ok, used, clicks-1)
		}
		cs, err := db.Consents(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		confirmed := 0
		for _, c := range cs {
			if c.Action == steady.ConsentConfirmed {
				confirmed++
			}
		}
		if confirmed != 1 {
			t.Errorf("%d confirmed consent records, want 1", confirmed)
		}
		if err := db.ConfirmLinkState(ctx, sub.ID, sub.ConfirmSentAt); !errors.Is(err, store.ErrLinkUsed) {
			t.Errorf("ConfirmLinkState after use: %v", err)
		}
		if err := db.ConfirmLinkState(ctx, sub.ID, sub.ConfirmSentAt.Add(-time.Second)); !errors.Is(err, store.ErrLinkSuperseded) {
			t.Errorf("ConfirmLinkState of another request: %v", err)
		}
	})
}
