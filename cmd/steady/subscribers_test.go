package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestSubscribersListExportDelete(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		// The secret serve would use: erasure files what it keeps by it.
		vars := map[string]string{"STEADY_DATABASE_URL": dbURL, "STEADY_SECRET": testSecret}
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

		// Email addresses are one identity whatever their case.
		out, _, err = runCLI(t, vars, "subscribers", "export", "  "+strings.ToUpper(sub.Address)+" ")
		if err != nil || !strings.Contains(out, `"address": "ana@example.org"`) {
			t.Fatalf("export by an upper-cased address: %v\n%s", err, out)
		}
		// Flags before or after the address.
		for _, args := range [][]string{
			{"subscribers", "export", "--db", vars["STEADY_DATABASE_URL"], "Ana@EXAMPLE.org"},
			{"subscribers", "export", "Ana@EXAMPLE.org", "--db", vars["STEADY_DATABASE_URL"]},
		} {
			if out, _, err := runCLI(t, nil, args...); err != nil || !strings.Contains(out, `"address": "ana@example.org"`) {
				t.Fatalf("%v: %v\n%s", args[2:], err, out)
			}
		}
		out, _, err = runCLI(t, vars, "subscribers", "export", "ana@EXAMPLE.org")
		if err != nil {
			t.Fatal(err)
		}
		var ex steady.Export
		if err := json.Unmarshal([]byte(out), &ex); err != nil {
			t.Fatalf("export is not JSON: %v\n%s", err, out)
		}
		if ex.Subscriber.Address != sub.Address || len(ex.Consents) != 3 || len(ex.Deliveries) != 3 ||
			len(ex.Replies) != 1 || ex.Replies[0].Body != reply || ex.Consents[0].Wording != "I agree." {
			t.Fatalf("export %+v", ex)
		}
		// Everything held: the safety note sent and the settings a
		// repeat sign-up asked for, held aside until confirmed.
		if len(ex.SafetyNotices) != 1 || ex.SafetyNotices[0].Status != steady.SummarySent ||
			ex.SafetyNotices[0].ReplyID == nil || *ex.SafetyNotices[0].ReplyID != ex.Replies[0].ID {
			t.Errorf("safety notices %+v", ex.SafetyNotices)
		}
		if len(ex.Bounces) != 1 || ex.Bounces[0].DeliveryID == nil || *ex.Bounces[0].DeliveryID != ex.Deliveries[1].ID {
			t.Errorf("bounces %+v", ex.Bounces)
		}
		if ex.Subscriber.RequestedTimeZone != "America/New_York" || ex.Subscriber.RequestedSchedule != "daily 21:00" ||
			ex.Subscriber.TimeZone != "Europe/London" {
			t.Errorf("subscriber %+v, want the held-aside request", ex.Subscriber)
		}
		if !strings.Contains(out, `"safety_notices": [`) || !strings.Contains(out, `"requested_timezone": "America/New_York"`) {
			t.Errorf("export JSON lacks safety_notices or requested_timezone:\n%s", out)
		}

		// A phone number is found as it is typed at sign-up.
		phone := seedPhone(t, vars["STEADY_DATABASE_URL"], "+14155550177")
		for _, typed := range []string{"(415) 555-0177", "+1 415 555 0177", "+14155550177"} {
			out, _, err := runCLI(t, vars, "subscribers", "export", typed)
			if err != nil || !strings.Contains(out, `"address": "+14155550177"`) {
				t.Fatalf("export %q: %v\n%s", typed, err, out)
			}
		}
		gb := map[string]string{"STEADY_DATABASE_URL": vars["STEADY_DATABASE_URL"], "STEADY_SMS_REGION": "GB"}
		if _, _, err := runCLI(t, gb, "subscribers", "export", "(415) 555-0177"); err == nil {
			t.Error("(415) 555-0177 found with STEADY_SMS_REGION=GB")
		}
		if _, _, err := runCLI(t, vars, "subscribers", "delete", "(415) 555-0177", "--yes"); err != nil {
			t.Fatalf("delete phone %d: %v", phone.ID, err)
		}

		if _, _, err := runCLI(t, vars, "subscribers", "delete", sub.Address); err == nil {
			t.Fatal("delete without --yes erased someone")
		}
		if _, _, err := runCLI(t, vars, "subscribers", "delete", "ANA@example.org", "--yes"); err != nil {
			t.Fatal(err)
		}
		if out, _, err := runCLI(t, vars, "subscribers", "list", "--json"); err != nil || strings.TrimSpace(out) != "[]" {
			t.Fatalf("after delete: %v %s", err, out)
		}
	})
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
	replies, err := db.Replies(ctx, sub.ID)
	if err != nil || len(replies) != 1 {
		t.Fatalf("replies %v %v", replies, err)
	}
	id, _, err := db.ClaimSafetyNotice(ctx, sub.ID, replies[0].ID, later.Add(-time.Hour), later)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.FinishSafetyNotice(ctx, id, steady.SummarySent); err != nil {
		t.Fatal(err)
	}
	// One prompt came back undelivered (below the bouncing threshold).
	if _, err := db.RecordBounce(ctx, store.Bounce{SubscriberID: sub.ID, DeliveryID: ds[1].ID, SourceID: "dsn:seed", ReceivedAt: later}, 3); err != nil {
		t.Fatal(err)
	}
	// A repeat sign-up asks for another zone and time; it is held aside.
	if _, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: "ana@example.org", TimeZone: "America/New_York",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 21},
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "I agree."}, Now: later, ResendAfter: 10 * time.Minute,
	}); err != nil {
		t.Fatal(err)
	}
	sub, err = db.Subscriber(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sub, body
}

// seedPhone adds a pending SMS subscriber with an E.164 number.
func seedPhone(t *testing.T, dbURL, number string) steady.Subscriber {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelSMS, Address: number, TimeZone: "America/Los_Angeles",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20},
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "I agree to texts."},
		Now:      time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Subscriber
}
