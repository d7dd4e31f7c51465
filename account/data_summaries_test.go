package account_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/summary"
)

// storeSummary builds March's summary from the subscriber's replies as the
// summary service does, and stores it as sent.
func storeSummary(t *testing.T, db *store.DB, sub steady.Subscriber) steady.SummaryRecord {
	t.Helper()
	ctx := context.Background()
	rs, err := db.Replies(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := db.Deliveries(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	prompt := map[int64]string{}
	for _, d := range ds {
		prompt[d.ID] = d.PromptText
	}
	var es []summary.Entry
	for _, r := range rs {
		es = append(es, summary.Entry{At: r.ReceivedAt, Theme: "honesty", Prompt: prompt[r.DeliveryID], Text: r.Body})
	}
	loc, _ := sub.Location()
	data, err := json.Marshal(summary.Build(summary.MonthOf(t0, loc), loc, es, nil))
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := db.ClaimSummary(ctx, sub.ID, "2026-03", sub.Channel, data, t0.Add(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// Removing a reflection takes its words out of a summary already stored;
// the rest of the summary, the other replies' words included, stays.
func TestRemovedReflectionLeavesStoredSummaries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := dataSetup(t, db)
		ctx := context.Background()
		sub, s, rs := b.subscriber(t, "sum@example.com",
			"No. He lied to me about the money again, keep-marker", "No. He lied to me and hid the phone, gone-marker")
		rec := storeSummary(t, db, sub)
		if !strings.Contains(string(rec.Data), "gone-marker") || !strings.Contains(string(rec.Data), "keep-marker") {
			t.Fatalf("the summary quotes neither reply; the test would prove nothing: %s", rec.Data)
		}
		if res, _ := b.post(t, "/settings/reflections/delete", s, removeForm(s, rs[1].ID)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", res.StatusCode)
		}
		got, err := db.Summary(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(got.Data), "gone-marker") {
			t.Errorf("the stored summary still quotes the removed reply: %s", got.Data)
		}
		var d summary.Data
		if err := json.Unmarshal(got.Data, &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Recurring) != 1 || len(d.Recurring[0].Evidence) != 1 || !strings.Contains(d.Recurring[0].Evidence[0], "keep-marker") || d.Replies != 2 {
			t.Errorf("the rest of the summary changed: %+v", d)
		}
		// A summary built from now on does not see the reply at all.
		if later := storeSummaryData(t, db, sub); strings.Contains(later, "gone-marker") || !strings.Contains(later, `"replies":1,`) {
			t.Errorf("a later summary: %s", later)
		}
	})
}

// A bare short answer shows in a summary as the answer to its question;
// removing the reply removes that line too, and only that one.
func TestRemovedShortAnswerLeavesStoredSummaries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := dataSetup(t, db)
		ctx := context.Background()
		sub, s, rs := b.subscriber(t, "short@example.com", "2", "1")
		rec := storeSummary(t, db, sub)
		var before summary.Data
		if err := json.Unmarshal(rec.Data, &before); err != nil {
			t.Fatal(err)
		}
		if len(before.Recurring) != 1 || len(before.Recurring[0].Answers) != 2 {
			t.Fatalf("the summary does not show both answers; the test would prove nothing: %s", rec.Data)
		}
		if res, _ := b.post(t, "/settings/reflections/delete", s, removeForm(s, rs[0].ID)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", res.StatusCode)
		}
		got, err := db.Summary(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		var d summary.Data
		if err := json.Unmarshal(got.Data, &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Recurring) != 1 || len(d.Recurring[0].Answers) != 1 || !strings.HasPrefix(d.Recurring[0].Answers[0], "You answered 1 of 5") {
			t.Errorf("after removing the answer 2: %+v", d.Recurring)
		}
	})
}

func storeSummaryData(t *testing.T, db *store.DB, sub steady.Subscriber) string {
	t.Helper()
	rs, err := db.Replies(context.Background(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	var es []summary.Entry
	for _, r := range rs {
		es = append(es, summary.Entry{At: r.ReceivedAt, Theme: "honesty", Text: r.Body})
	}
	loc, _ := sub.Location()
	raw, _ := json.Marshal(summary.Build(summary.MonthOf(t0, loc), loc, es, nil))
	return string(raw)
}
