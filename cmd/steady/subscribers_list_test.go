package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The list is written a page at a time; its JSON must be what encoding the
// whole list at once gives, and its table must show every row.
func TestSubscribersListStreams(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		sched := steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20, Minute: 30}
		for i := range 3 {
			res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail,
				Address: fmt.Sprintf("list%d@example.org", i), TimeZone: "Europe/London", Schedule: sched,
				Consent: steady.Consent{Method: "web", Wording: "Send me prompts"}, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				continue // one pending, with no next prompt
			}
			if _, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "web"}, now,
				func(steady.Subscriber) (time.Time, error) { return now.Add(time.Hour), nil }); err != nil {
				t.Fatal(err)
			}
		}
		subs, err := db.ListSubscribers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all := make([]listedSubscriber, 0, len(subs))
		for _, s := range subs {
			all = append(all, listed(s))
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := listSubscribersJSON(ctx, db, &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("streamed JSON differs:\n got %s\nwant %s", got.String(), want.String())
		}

		var text bytes.Buffer
		if err := listSubscribersText(ctx, db, &text); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if !strings.Contains(text.String(), fmt.Sprintf("list%d@example.org", i)) {
				t.Errorf("table lacks subscriber %d:\n%s", i, text.String())
			}
		}
		if !strings.Contains(text.String(), "2026-03-01 13:00 GMT") {
			t.Errorf("table lacks the local next prompt:\n%s", text.String())
		}
	})
}

func TestSubscribersListEmptyJSON(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var got bytes.Buffer
		if err := listSubscribersJSON(context.Background(), db, &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != "[]\n" {
			t.Errorf("empty list: %q, want the encoder's %q", got.String(), "[]\n")
		}
	})
}
