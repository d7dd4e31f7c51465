package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Recording one group's outcomes while claiming the next does what
// FinishSummaries and ClaimSummaries do apart: every outcome recorded but
// that of a summary no longer sending (named in conflicts), each claim
// written once under its key, a claim for no subscriber failing alone.
func TestFinishAndClaimSummaries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := active(t, db, "fc-a@example.org", t0.Add(time.Hour))
		b := active(t, db, "fc-b@example.org", t0.Add(time.Hour))
		c := active(t, db, "fc-c@example.org", t0.Add(time.Hour))
		first, err := db.ClaimSummaries(ctx, []store.SummaryClaim{
			{SubscriberID: a.ID, Month: "2026-02", Channel: steady.ChannelEmail, Data: []byte(`{"n":1}`)},
			{SubscriberID: b.ID, Month: "2026-02", Channel: steady.ChannelEmail, Data: []byte(`{"n":2}`)},
			{SubscriberID: c.ID, Month: "2026-01", Channel: steady.ChannelEmail, Data: []byte(`{"n":3}`)},
		}, t0)
		if err != nil {
			t.Fatal(err)
		}
		done := first[2].Record.ID
		if err := db.FinishSummaries(ctx, []store.SummaryFinish{{ID: done, Status: steady.SummarySent, ProviderID: "p-0"}}, t0); err != nil {
			t.Fatal(err)
		}

		later := t0.Add(time.Minute)
		got, conflicts, err := db.FinishAndClaimSummaries(ctx, []store.SummaryFinish{
			{ID: first[0].Record.ID, Status: steady.SummarySent, ProviderID: "p-1"},
			{ID: first[1].Record.ID, Status: steady.SummaryFailed, LastError: "refused"},
			{ID: done, Status: steady.SummaryUnknown},
		}, []store.SummaryClaim{
			{SubscriberID: c.ID, Month: "2026-02", Channel: steady.ChannelEmail, Data: []byte(`{"n":4}`)},
			{SubscriberID: a.ID, Month: "2026-02", Channel: steady.ChannelEmail, Data: []byte(`{"n":5}`)},
			{SubscriberID: 999999, Month: "2026-02", Channel: steady.ChannelEmail, Data: []byte(`{"n":6}`)},
		}, later)
		if err != nil {
			t.Fatal(err)
		}
		if !errors.Is(conflicts, steady.ErrConflict) || !strings.Contains(conflicts.Error(), strconv.FormatInt(done, 10)) ||
			strings.Contains(conflicts.Error(), strconv.FormatInt(first[0].Record.ID, 10)+":") {
			t.Errorf("conflicts = %v, want summary %d (finished before) alone", conflicts, done)
		}
		if len(got) != 3 {
			t.Fatalf("%d results for 3 claims", len(got))
		}
		if !got[0].Created || got[0].Err != nil || got[0].Record.SubscriberID != c.ID || got[0].Record.Status != steady.SummarySending ||
			string(got[0].Record.Data) != `{"n":4}` {
			t.Errorf("new claim: %+v", got[0])
		}
		if got[1].Created || got[1].Err != nil || got[1].Record.ID != first[0].Record.ID || string(got[1].Record.Data) != `{"n":1}` {
			t.Errorf("claim of a summary claimed before: %+v, want the earlier row %d", got[1], first[0].Record.ID)
		}
		if !errors.Is(got[2].Err, steady.ErrNotFound) || got[2].Created {
			t.Errorf("claim for no subscriber: %+v, want ErrNotFound", got[2])
		}
		for _, want := range []steady.SummaryRecord{
			{ID: first[0].Record.ID, Status: steady.SummarySent, ProviderID: "p-1"},
			{ID: first[1].Record.ID, Status: steady.SummaryFailed, LastError: "refused"},
			{ID: done, Status: steady.SummarySent, ProviderID: "p-0"},
			{ID: got[0].Record.ID, Status: steady.SummarySending},
		} {
			rec, err := db.Summary(ctx, want.ID)
			if err != nil || rec.Status != want.Status || rec.ProviderID != want.ProviderID || rec.LastError != want.LastError {
				t.Errorf("summary %d = %+v, %v; want %s %q %q", want.ID, rec, err, want.Status, want.ProviderID, want.LastError)
			}
		}
		if rec, err := db.Summary(ctx, first[0].Record.ID); err == nil && !rec.UpdatedAt.Equal(later.Truncate(time.Microsecond)) {
			t.Errorf("outcome recorded at %s, want %s", rec.UpdatedAt, later)
		}

		// Either half may be empty.
		if _, conflicts, err := db.FinishAndClaimSummaries(ctx, []store.SummaryFinish{{ID: got[0].Record.ID, Status: steady.SummarySent}}, nil, later); err != nil || conflicts != nil {
			t.Fatalf("outcomes alone: %v, %v", conflicts, err)
		}
		if rec, err := db.Summary(ctx, got[0].Record.ID); err != nil || rec.Status != steady.SummarySent {
			t.Errorf("after outcomes alone: %+v, %v", rec, err)
		}
		again, conflicts, err := db.FinishAndClaimSummaries(ctx, nil, []store.SummaryClaim{{SubscriberID: b.ID, Month: "2026-03", Channel: steady.ChannelSMS}}, later)
		if err != nil || conflicts != nil || len(again) != 1 || !again[0].Created || again[0].Record.Channel != steady.ChannelSMS {
			t.Fatalf("claims alone: %+v, %v, %v", again, conflicts, err)
		}
		if _, _, err := db.FinishAndClaimSummaries(ctx, []store.SummaryFinish{{ID: again[0].Record.ID, Status: steady.SummarySending}}, nil, later); err == nil {
			t.Error("an outcome of sending was taken")
		}
	})
}
