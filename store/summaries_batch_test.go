package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A batch of claims writes each summary once: a summary claimed before is
// returned as it is, a subscriber that does not exist fails that claim
// only, and finishing the batch records every outcome but that of a
// summary no longer sending.
func TestClaimAndFinishSummariesInBatches(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := active(t, db, "batch-a@example.org", t0.Add(time.Hour))
		b := active(t, db, "batch-b@example.org", t0.Add(time.Hour))
		before, _, err := db.ClaimSummary(ctx, b.ID, "2026-02", steady.ChannelEmail, []byte(`{"n":0}`), t0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.ClaimSummaries(ctx, []store.SummaryClaim{
			{SubscriberID: a.ID, Month: "2026-02", Channel: steady.ChannelEmail, Data: []byte(`{"n":1}`)},
			{SubscriberID: b.ID, Month: "2026-02", Channel: steady.ChannelEmail, Data: []byte(`{"n":2}`)},
			{SubscriberID: 999999, Month: "2026-02", Channel: steady.ChannelEmail, Data: []byte(`{"n":3}`)},
			{SubscriberID: a.ID, Month: "2026-01", Channel: steady.ChannelSMS, Data: []byte(`{"n":4}`)},
		}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 {
			t.Fatalf("%d results for 4 claims", len(got))
		}
		if !got[0].Created || got[0].Err != nil || got[0].Record.SubscriberID != a.ID || string(got[0].Record.Data) != `{"n":1}` {
			t.Errorf("new claim: %+v", got[0])
		}
		if got[1].Created || got[1].Err != nil || got[1].Record.ID != before.ID || string(got[1].Record.Data) != `{"n":0}` {
			t.Errorf("claim of a summary claimed before: %+v, want the earlier row %d", got[1], before.ID)
		}
		if !errors.Is(got[2].Err, steady.ErrNotFound) || got[2].Created {
			t.Errorf("claim for no subscriber: %+v, want ErrNotFound", got[2])
		}
		if !got[3].Created || got[3].Record.ID == got[0].Record.ID || got[3].Record.Channel != steady.ChannelSMS {
			t.Errorf("second month: %+v", got[3])
		}
		again, err := db.ClaimSummaries(ctx, []store.SummaryClaim{{SubscriberID: a.ID, Month: "2026-02", Channel: steady.ChannelEmail}}, t0)
		if err != nil || again[0].Created || again[0].Record.ID != got[0].Record.ID || string(again[0].Record.Data) != `{"n":1}` {
			t.Fatalf("claiming again: %+v, %v; want the row already there", again, err)
		}

		later := t0.Add(time.Minute)
		err = db.FinishSummaries(ctx, []store.SummaryFinish{
			{ID: got[0].Record.ID, Status: steady.SummarySent, ProviderID: "p-1"},
			{ID: got[3].Record.ID, Status: steady.SummaryFailed, LastError: "refused"},
		}, later)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []steady.SummaryRecord{
			{ID: got[0].Record.ID, Status: steady.SummarySent, ProviderID: "p-1"},
			{ID: got[3].Record.ID, Status: steady.SummaryFailed, LastError: "refused"},
			{ID: before.ID, Status: steady.SummarySending},
		} {
			rec, err := db.Summary(ctx, want.ID)
			if err != nil || rec.Status != want.Status || rec.ProviderID != want.ProviderID || rec.LastError != want.LastError {
				t.Errorf("summary %d = %+v, %v; want %s %q %q", want.ID, rec, err, want.Status, want.ProviderID, want.LastError)
			}
			if err == nil && want.Status != steady.SummarySending && !rec.UpdatedAt.Equal(later.Truncate(time.Microsecond)) {
				t.Errorf("summary %d updated at %s, want %s", want.ID, rec.UpdatedAt, later)
			}
		}
		// A summary finished already is a conflict; the rest of the batch
		// is recorded all the same.
		err = db.FinishSummaries(ctx, []store.SummaryFinish{
			{ID: got[0].Record.ID, Status: steady.SummaryFailed},
			{ID: before.ID, Status: steady.SummaryUnknown, LastError: "timeout"},
		}, later)
		if !errors.Is(err, steady.ErrConflict) {
			t.Errorf("finishing a sent summary again: %v, want ErrConflict", err)
		}
		if rec, err := db.Summary(ctx, before.ID); err != nil || rec.Status != steady.SummaryUnknown {
			t.Errorf("the other summary of the batch: %+v, %v; want unknown", rec, err)
		}
		if rec, err := db.Summary(ctx, got[0].Record.ID); err != nil || rec.Status != steady.SummarySent {
			t.Errorf("the sent summary: %+v, %v; want still sent", rec, err)
		}
		if err := db.FinishSummaries(ctx, []store.SummaryFinish{{ID: before.ID, Status: steady.SummarySending}}, later); !steady.IsInvalid(err) {
			t.Errorf("finish as sending: %v, want invalid", err)
		}
	})
}
