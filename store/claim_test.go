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

func prompts(t *testing.T, db *store.DB, subID int64) []steady.Delivery {
	t.Helper()
	var ps []steady.Delivery
	for _, d := range mustDeliveries(t, db, subID) {
		if d.Kind == steady.KindPrompt {
			ps = append(ps, d)
		}
	}
	return ps
}

func TestClaimDue(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		due := active(t, db, "due@example.com", t0)
		future := active(t, db, "future@example.com", t0.Add(time.Minute))
		pending, err := db.RequestSubscription(ctx, request("pending@example.com", t0))
		if err != nil {
			t.Fatal(err)
		}

		n, err := db.ClaimDue(ctx, t0, 10, planDaily)
		if err != nil || n != 1 {
			t.Fatalf("ClaimDue = %d, %v; want 1", n, err)
		}
		ps := prompts(t, db, due.ID)
		if len(ps) != 1 {
			t.Fatalf("%d prompts queued, want 1", len(ps))
		}
		d := ps[0]
		want := t0.Truncate(time.Microsecond)
		if d.Status != steady.DeliveryQueued || d.Attempts != 0 || !d.Slot.Equal(due.NextSlot) ||
			!d.NextAttemptAt.Equal(want) || !d.CreatedAt.Equal(want) || !d.UpdatedAt.Equal(want) ||
			d.PromptID != "p-after-" || d.Theme != "honesty" || d.PromptText == "" || !d.SentAt.IsZero() {
			t.Errorf("queued prompt = %+v", d)
		}
		if got := mustSubscriber(t, db, due.ID).NextSlot; !got.Equal(due.NextSlot.Add(24 * time.Hour)) {
			t.Errorf("next slot = %v", got)
		}
		if len(prompts(t, db, future.ID)) != 0 || len(prompts(t, db, pending.Subscriber.ID)) != 0 {
			t.Error("claimed a subscriber that was not due")
		}

		// The same now again claims nothing.
		if n, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil || n != 0 {
			t.Errorf("second ClaimDue = %d, %v; want 0", n, err)
		}
		// A day later: the next slot, and the plan sees the last prompt.
		if n, err := db.ClaimDue(ctx, t0.Add(24*time.Hour), 10, planDaily); err != nil || n != 2 {
			t.Errorf("next day ClaimDue = %d, %v; want 2", n, err)
		}
		if ps := prompts(t, db, due.ID); len(ps) != 2 || ps[1].PromptID != "p-after-p-after-" {
			t.Errorf("prompts = %+v", ps)
		}
	})
}

// A plan that does not move the slot hits the unique (subscriber, kind,
// slot) key: claiming again inserts nothing.
func TestClaimDueUniqueSlot(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "stuck@example.com", t0)
		for i, want := range []int{1, 0, 0} {
			n, err := db.ClaimDue(ctx, t0, 10, planStuck)
			if err != nil || n != want {
				t.Errorf("call %d: ClaimDue = %d, %v; want %d", i, n, err, want)
			}
		}
		if ps := prompts(t, db, sub.ID); len(ps) != 1 {
			t.Errorf("%d prompts, want 1", len(ps))
		}
	})
}

func TestClaimDuePlanErrorIsolated(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		good := active(t, db, "good@example.com", t0)
		bad := active(t, db, "bad@example.com", t0)
		wrong := active(t, db, "wrong@example.com", t0)
		boom := errors.New("no prompt left")
		plan := func(sub steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			switch sub.ID {
			case bad.ID:
				return steady.Delivery{}, time.Time{}, boom
			case wrong.ID:
				d := promptFor(sub, last)
				d.Kind = "bogus" // would break a CHECK constraint
				return d, sub.NextSlot.Add(time.Hour), nil
			}
			return planDaily(sub, last)
		}
		n, err := db.ClaimDue(ctx, t0, 10, plan)
		if n != 1 || !errors.Is(err, boom) || !steady.IsInvalid(err) {
			t.Fatalf("ClaimDue = %d, %v; want 1 and both failures", n, err)
		}
		for _, id := range []int64{bad.ID, wrong.ID} {
			if !strings.Contains(err.Error(), fmt.Sprintf("subscriber %d", id)) {
				t.Errorf("error %q does not name subscriber %d", err, id)
			}
			if s := mustSubscriber(t, db, id); !s.NextSlot.IsZero() || s.Status != steady.StatusActive {
				t.Errorf("failed subscriber %d: next slot %v, status %s", id, s.NextSlot, s.Status)
			}
		}
		if len(prompts(t, db, good.ID)) != 1 {
			t.Error("the good subscriber got nothing")
		}
		if n, err := db.ClaimDue(ctx, t0.Add(time.Hour), 10, plan); n != 0 || err != nil {
			t.Errorf("failed subscribers claimed again: %d, %v", n, err)
		}
	})
}

func TestClaimDueLimitAndOrder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var subs []steady.Subscriber
		for i := range 5 {
			// Created in reverse slot order, so id order differs from slot order.
			subs = append(subs, active(t, db, fmt.Sprintf("s%d@example.com", i), t0.Add(-time.Duration(i)*time.Minute)))
		}
		var order []int64
		plan := func(sub steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			order = append(order, sub.ID)
			return planDaily(sub, last)
		}
		if n, err := db.ClaimDue(ctx, t0, 2, plan); n != 2 || err != nil {
			t.Fatalf("ClaimDue = %d, %v; want 2", n, err)
		}
		if len(order) != 2 || order[0] != subs[4].ID || order[1] != subs[3].ID {
			t.Errorf("claimed %v, want the two earliest slots %d, %d", order, subs[4].ID, subs[3].ID)
		}
		if n, err := db.ClaimDue(ctx, t0, 10, plan); n != 3 || err != nil {
			t.Errorf("ClaimDue = %d, %v; want the remaining 3", n, err)
		}
	})
}

// Workers claiming at once never queue a slot twice and, on SQLite, never
// fail with "database is locked". With planStuck every call re-claims every
// subscriber, so only the unique key stops doubles.
func TestClaimDueConcurrent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		plan  store.PlanFunc
		limit int
	}{
		{"advancing", planDaily, 3},
		{"stuck", planStuck, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				const subscribers = 20
				var subs []steady.Subscriber
				for i := range subscribers {
					subs = append(subs, active(t, db, fmt.Sprintf("c%d@example.com", i), t0))
				}
				var (
					wg    sync.WaitGroup
					mu    sync.Mutex
					total int
				)
				for range 4 {
					wg.Go(func() {
						for range 5 {
							n, err := db.ClaimDue(ctx, t0, tt.limit, tt.plan)
							if err != nil {
								t.Error(err)
								return
							}
							mu.Lock()
							total += n
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				if total != subscribers {
					t.Errorf("inserted %d, want %d", total, subscribers)
				}
				for _, s := range subs {
					if ps := prompts(t, db, s.ID); len(ps) != 1 {
						t.Errorf("subscriber %d: %d prompts", s.ID, len(ps))
					}
				}
			})
		})
	}
}
