package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestFinishAndClaim(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ids []int64
		for i := range 5 {
			res, err := db.RequestSubscription(ctx, request(fmt.Sprintf("b%d@example.com", i), t0.Add(time.Duration(i)*time.Second)))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, mustDeliveries(t, db, res.Subscriber.ID)[0].ID)
		}
		now := t0.Add(time.Minute)
		lease := now.Add(time.Minute)

		// Claim three at once: the oldest, each with its own token.
		claims, errs, err := db.FinishAndClaim(ctx, nil, 3, now, lease)
		if err != nil || len(errs) != 0 {
			t.Fatalf("claim: %v %v", errs, err)
		}
		if len(claims) != 3 || claims[0].ID != ids[0] || claims[1].ID != ids[1] || claims[2].ID != ids[2] {
			t.Fatalf("claimed %d: %+v; want the three oldest", len(claims), claims)
		}
		tokens := map[string]bool{}
		for _, c := range claims {
			if c.Status != steady.DeliverySending || c.Token == "" || tokens[c.Token] {
				t.Errorf("claim %+v: want sending with a token of its own", c)
			}
			tokens[c.Token] = true
		}

		// One outcome is recorded, one claim has been lost (stale token),
		// and two more are wanted but only two remain due.
		stale := claims[1]
		stale.Token = "not-the-token"
		sentAt := now.Add(time.Second)
		done := []store.Finished{
			{Claim: claims[0], Outcome: store.Outcome{Status: steady.DeliverySent, ProviderID: "p0", Attempts: 1, Now: sentAt}},
			{Claim: stale, Outcome: store.Outcome{Status: steady.DeliverySent, Attempts: 1, Now: sentAt}},
			{Claim: claims[2], Outcome: store.Outcome{Status: steady.DeliveryQueued, Attempts: 1, Now: sentAt}}, // no time: invalid
		}
		next, errs, err := db.FinishAndClaim(ctx, done, 3, sentAt, sentAt.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if errs[0] != nil || !errors.Is(errs[1], steady.ErrConflict) || !steady.IsInvalid(errs[2]) {
			t.Errorf("errs = %v; want nil, conflict, invalid", errs)
		}
		if len(next) != 2 || next[0].ID != ids[3] || next[1].ID != ids[4] {
			t.Errorf("claimed %+v, want the last two", next)
		}
		if d, _ := db.Delivery(ctx, ids[0]); d.Status != steady.DeliverySent || d.ProviderID != "p0" {
			t.Errorf("recorded outcome: %+v", d)
		}
		for _, id := range ids[1:3] {
			if d, _ := db.Delivery(ctx, id); d.Status != steady.DeliverySending {
				t.Errorf("delivery %d whose outcome was refused: %s, want still sending", id, d.Status)
			}
		}
		if _, _, err := db.FinishAndClaim(ctx, nil, 1, now, now); !steady.IsInvalid(err) {
			t.Errorf("a lease ending now: err = %v, want invalid", err)
		}
	})
}

// One subscriber's deliveries are claimed one after another, in order:
// the next only once the one being sent has its outcome.
func TestClaimOnePerSubscriber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "one@example.com", t0)
		if n, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil || n != 1 {
			t.Fatalf("ClaimDue: %d, %v", n, err)
		}
		ds := mustDeliveries(t, db, sub.ID)
		if len(ds) != 2 {
			t.Fatalf("%d deliveries queued, want the confirmation and a prompt", len(ds))
		}
		if _, err := db.RequestSubscription(ctx, request("two@example.com", t0)); err != nil {
			t.Fatal(err)
		}
		now := t0.Add(time.Hour)
		first, _, err := db.FinishAndClaim(ctx, nil, 10, now, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 2 {
			t.Errorf("claimed %d, want one for each subscriber", len(first))
		}
		per := map[int64]int{}
		for _, c := range first {
			per[c.SubscriberID]++
		}
		for id, n := range per {
			if n != 1 {
				t.Errorf("subscriber %d: %d deliveries claimed at once, want 1", id, n)
			}
		}
		queued := 0
		for _, d := range mustDeliveries(t, db, sub.ID) {
			if d.Status == steady.DeliveryQueued {
				queued++
			}
		}
		if queued != len(ds)-1 {
			t.Errorf("%d of the subscriber's %d deliveries left queued, want %d", queued, len(ds), len(ds)-1)
		}
	})
}

// Outcomes recorded together (one statement on PostgreSQL) write what
// each records alone: the status, provider id, error, attempts, the next
// attempt for a retry and the sent time for a send, and clear the lease.
func TestFinishAndClaimRecordsEachOutcome(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 3 {
			if _, err := db.RequestSubscription(ctx, request(fmt.Sprintf("o%d@example.com", i), t0.Add(time.Duration(i)*time.Second))); err != nil {
				t.Fatal(err)
			}
		}
		now := t0.Add(time.Minute)
		claims, _, err := db.FinishAndClaim(ctx, nil, 3, now, now.Add(time.Minute))
		if err != nil || len(claims) != 3 {
			t.Fatalf("claim: %d, %v", len(claims), err)
		}
		at := now.Add(2 * time.Second).Truncate(time.Microsecond) // as stored
		retry := at.Add(5 * time.Minute)
		done := []store.Finished{
			{Claim: claims[0], Outcome: store.Outcome{Status: steady.DeliverySent, ProviderID: "<m0@example.org>", Attempts: 1, Now: at}},
			{Claim: claims[1], Outcome: store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: retry, Attempts: 2, Error: "451 try\x00 later", Now: at}},
			{Claim: claims[2], Outcome: store.Outcome{Status: steady.DeliveryFailed, Attempts: 5, Error: "550 no such user", Now: at}},
		}
		if _, errs, err := db.FinishAndClaim(ctx, done, 0, at, at.Add(time.Minute)); err != nil || errors.Join(errs...) != nil {
			t.Fatalf("finish: %v %v", errs, err)
		}
		get := func(id int64) steady.Delivery {
			d, err := db.Delivery(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !d.LeaseUntil.IsZero() {
				t.Errorf("delivery %d still leased until %s", id, d.LeaseUntil)
			}
			return d
		}
		if d := get(claims[0].ID); d.Status != steady.DeliverySent || d.ProviderID != "<m0@example.org>" || !d.SentAt.Equal(at) || d.Attempts != 1 {
			t.Errorf("sent: %+v", d)
		}
		if d := get(claims[1].ID); d.Status != steady.DeliveryQueued || !d.NextAttemptAt.Equal(retry) || d.Attempts != 2 ||
			!strings.HasPrefix(d.LastError, "451 try") || strings.Contains(d.LastError, "\x00") || !d.SentAt.IsZero() {
			t.Errorf("retry: %+v", d)
		}
		if d := get(claims[2].ID); d.Status != steady.DeliveryFailed || d.LastError != "550 no such user" || d.Attempts != 5 || !d.SentAt.IsZero() {
			t.Errorf("failed: %+v", d)
		}
	})
}

// A candidate whose subscriber has a delivery being sent is passed over,
// and the claim still takes as many as it wants from those after it, in
// order.
func TestFinishAndClaimFillsPastABusySubscriber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		busy := active(t, db, "busy@example.com", t0)
		if n, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil || n != 1 {
			t.Fatalf("ClaimDue: %d, %v", n, err)
		}
		var later []int64
		for i := range 3 {
			res, err := db.RequestSubscription(ctx, request(fmt.Sprintf("later%d@example.com", i), t0.Add(time.Duration(i+1)*time.Second)))
			if err != nil {
				t.Fatal(err)
			}
			later = append(later, mustDeliveries(t, db, res.Subscriber.ID)[0].ID)
		}
		now := t0.Add(time.Hour)
		first, _, err := db.FinishAndClaim(ctx, nil, 1, now, now.Add(time.Minute))
		if err != nil || len(first) != 1 || first[0].SubscriberID != busy.ID {
			t.Fatalf("first claim: %+v, %v; want one of the busy subscriber's", first, err)
		}
		next, _, err := db.FinishAndClaim(ctx, nil, 2, now, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if len(next) != 2 || next[0].ID != later[0] || next[1].ID != later[1] {
			t.Errorf("claimed %+v; want deliveries %d and %d, none of the busy subscriber's", next, later[0], later[1])
		}
		if next[0].Token == next[1].Token || next[0].Token == "" {
			t.Errorf("tokens %q and %q: want one of each claim's own", next[0].Token, next[1].Token)
		}
		for _, c := range next {
			if err := db.FinishDelivery(ctx, c, store.Outcome{Status: steady.DeliverySent, Attempts: 1, Now: now}); err != nil {
				t.Errorf("finish claim %d with its token: %v", c.ID, err)
			}
		}
	})
}

// The claim that follows the outcomes in FinishAndClaim (on PostgreSQL in
// the same statement) sees them: a subscriber whose delivery being sent
// has just had its outcome recorded may have their next one claimed, but
// not while the outcome was refused (a stale token: it is still being
// sent under another claim).
func TestFinishAndClaimSeesItsOutcomes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "next@example.com", t0)
		if n, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil || n != 1 {
			t.Fatalf("ClaimDue: %d, %v", n, err)
		}
		ds := mustDeliveries(t, db, sub.ID)
		if len(ds) != 2 {
			t.Fatalf("%d deliveries queued, want the confirmation and a prompt", len(ds))
		}
		now := t0.Add(time.Hour)
		first, _, err := db.FinishAndClaim(ctx, nil, 10, now, now.Add(time.Minute))
		if err != nil || len(first) != 1 {
			t.Fatalf("first claim: %+v, %v; want one of the subscriber's two", first, err)
		}
		stale := first[0]
		stale.Token = "not-the-token"
		next, errs, err := db.FinishAndClaim(ctx, []store.Finished{{Claim: stale, Outcome: store.Outcome{Status: steady.DeliverySent, Attempts: 1, Now: now}}}, 10, now, now.Add(time.Minute))
		if err != nil || len(errs) != 1 || !errors.Is(errs[0], steady.ErrConflict) {
			t.Fatalf("a stale outcome: errs %v, %v; want a conflict", errs, err)
		}
		if len(next) != 0 {
			t.Fatalf("with the refused outcome, claimed %+v; want none while the first is still being sent", next)
		}
		next, errs, err = db.FinishAndClaim(ctx, []store.Finished{{Claim: first[0], Outcome: store.Outcome{Status: steady.DeliverySent, Attempts: 1, Now: now}}}, 10, now, now.Add(time.Minute))
		if err != nil || errors.Join(errs...) != nil {
			t.Fatalf("finish: %v %v", errs, err)
		}
		if len(next) != 1 || next[0].SubscriberID != sub.ID || next[0].ID == first[0].ID {
			t.Fatalf("with the outcome recorded, claimed %+v; want the subscriber's other delivery", next)
		}
	})
}
