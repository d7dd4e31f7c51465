package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestSubscribersListExportDelete(t *testing.T) {
	for name, dbURL := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "steady.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			vars := map[string]string{"STEADY_DATABASE_URL": dbURL(t)}
			if _, _, err := runCLI(t, vars, "migrate"); err != nil {
				t.Fatal(err)
			}
			sub, reply := seedSubscriber(t, vars["STEADY_DATABASE_URL"])

			out, _, err := runCLI(t, vars, "subscribers", "list", "--json")
			if err != nil {
				t.Fatal(err)
			}
			var rows []listedSubscriber
			if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
				t.Fatalf("list --json: %v\n%s", err, out)
			}
			r := rows[0]
			if r.Address != sub.Address || r.Status != steady.StatusActive || r.TimeZone != "Europe/London" ||
				r.Schedule != "every Monday and Thursday at 07:15" || r.NextPromptAt == nil || !r.NextPromptAt.Equal(sub.NextSlot) {
				t.Fatalf("listed %+v for %+v", r, sub)
			}
			out, _, err = runCLI(t, vars, "subscribers", "list")
			if err != nil || !strings.Contains(out, sub.Address) || !strings.Contains(out, "Europe/London") {
				t.Fatalf("list: %v\n%s", err, out)
			}

			out, _, err = runCLI(t, vars, "subscribers", "export", "  "+strings.ToUpper(sub.Address)+" ")
			if err == nil {
				// The local part is case-sensitive: upper-casing it names someone else.
				t.Fatalf("export found %q by an upper-cased local part:\n%s", sub.Address, out)
			}
			out, _, err = runCLI(t, vars, "subscribers", "export", "ana@EXAMPLE.org")
			if err != nil {
				t.Fatal(err)
			}
			var ex steady.Export
			if err := json.Unmarshal([]byte(out), &ex); err != nil {
				t.Fatalf("export is not JSON: %v\n%s", err, out)
			}
			if ex.Subscriber.Address != sub.Address || len(ex.Consents) != 2 || len(ex.Deliveries) != 2 ||
				len(ex.Replies) != 1 || ex.Replies[0].Body != reply || ex.Consents[0].Wording != "I agree." {
				t.Fatalf("export %+v", ex)
			}

			if _, _, err := runCLI(t, vars, "subscribers", "delete", sub.Address); err == nil {
				t.Fatal("delete without --yes erased someone")
			}
			if _, _, err := runCLI(t, vars, "subscribers", "delete", "--yes", sub.Address); err != nil {
				t.Fatal(err)
			}
			if out, _, err := runCLI(t, vars, "subscribers", "list", "--json"); err != nil || strings.TrimSpace(out) != "[]" {
				t.Fatalf("after delete: %v %s", err, out)
			}
		})
	}
}

// seedSubscriber gives the database one confirmed subscriber with one
// prompt and one reply, through the store's own methods.
func seedSubscriber(t *testing.T, dbURL string) (steady.Subscriber, string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	sched, err := steady.NewSchedule("weekly", []string{"thu", "mon"}, 0, "07:15", now)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: "ana@example.org", TimeZone: "Europe/London", Schedule: sched,
		Consent: steady.Consent{Action: steady.ConsentRequested, Method: "web", IP: "192.0.2.1", Wording: "I agree."},
		Now:     now, ResendAfter: 10 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	next := func(s steady.Subscriber) (time.Time, error) { return s.Schedule.Next(now, loc), nil }
	sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Action: steady.ConsentConfirmed, Method: "web"}, now, next)
	if err != nil {
		t.Fatal(err)
	}
	later := sub.NextSlot.Add(time.Minute)
	_, err = db.ClaimDue(ctx, later, 10, func(s steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
		return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: s.Channel, Slot: s.NextSlot,
			PromptID: "trust-1", Theme: "trust", PromptText: "Did you feel you could trust them?"}, s.Schedule.Next(later, loc), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := db.Deliveries(ctx, sub.ID)
	if err != nil || len(ds) != 2 {
		t.Fatalf("deliveries %v %v", ds, err)
	}
	body := "YES, mostly. He told me the truth about the money."
	if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, DeliveryID: ds[1].ID, Channel: steady.ChannelWeb,
		Body: body, ReceivedAt: later, SourceID: "web:seed"}); err != nil {
		t.Fatal(err)
	}
	sub, err = db.Subscriber(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sub, body
}
