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

func TestClaimSummaryOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "sum@example.org", t0.Add(time.Hour))
		if _, err := db.SummaryFor(ctx, sub.ID, "2026-02"); !errors.Is(err, steady.ErrNotFound) {
			t.Fatalf("SummaryFor before: %v", err)
		}
		var wg sync.WaitGroup
		created := make([]bool, 8)
		ids := make([]int64, 8)
		for i := range created {
			wg.Go(func() {
				rec, c, err := db.ClaimSummary(ctx, sub.ID, "2026-02", steady.ChannelEmail, []byte(`{"n":1}`), t0)
				if err != nil {
					t.Error(err)
				}
				created[i], ids[i] = c, rec.ID
			})
		}
		wg.Wait()
		n := 0
		for i, c := range created {
			if c {
				n++
			}
			if ids[i] != ids[0] {
				t.Errorf("claims returned different rows: %v", ids)
			}
		}
		if n != 1 {
			t.Fatalf("%d callers created the summary, want 1", n)
		}
		if err := db.FinishSummary(ctx, ids[0], steady.SummarySent, "p-1", "", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishSummary(ctx, ids[0], steady.SummaryFailed, "", "x", t0); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("finishing twice: %v, want ErrConflict", err)
		}
		if err := db.FinishSummary(ctx, ids[0], steady.SummarySending, "", "", t0); !steady.IsInvalid(err) {
			t.Errorf("finish as sending: %v, want invalid", err)
		}
		rec, err := db.Summary(ctx, ids[0])
		if err != nil || rec.Status != steady.SummarySent || rec.ProviderID != "p-1" || string(rec.Data) != `{"n":1}` ||
			!rec.UpdatedAt.Equal(t0.Add(time.Minute).Truncate(time.Microsecond)) {
			t.Errorf("summary = %+v, %v", rec, err)
		}
		all, err := db.Summaries(ctx, sub.ID)
		if err != nil || len(all) != 1 {
			t.Errorf("Summaries = %v, %v", all, err)
		}
		if _, _, err := db.ClaimSummary(ctx, 999999, "2026-02", steady.ChannelEmail, nil, t0); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("unknown subscriber: %v", err)
		}
		// Erasing the subscriber erases their summaries and safety notices.
		if _, _, err := db.ClaimSafetyNotice(ctx, sub.ID, 0, t0.Truncate(24*time.Hour), t0); err != nil {
			t.Fatal(err)
		}
		if _, created, err := db.ClaimSafetyNotice(ctx, sub.ID, 0, t0.Truncate(24*time.Hour), t0.Add(time.Hour)); err != nil || created {
			t.Errorf("second notice in a window: created %v, %v", created, err)
		}
		if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Summary(ctx, ids[0]); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("summary after erasure: %v", err)
		}
	})
}

func TestRepliesSince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "since@example.org", t0.Add(time.Hour))
		for i, at := range []time.Time{t0.Add(-48 * time.Hour), t0, t0.Add(time.Hour)} {
			if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelWeb, Body: "b",
				ReceivedAt: at, SourceID: string(rune('a' + i))}); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := db.RepliesSince(ctx, t0)
		if err != nil || len(rs) != 2 || rs[0].SourceID != "b" {
			t.Errorf("RepliesSince = %+v, %v", rs, err)
		}
	})
}
