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

// Preferences start off (a new subscriber gets summaries, no discreet
// mode, no resurfacing), are stored one by one and read back on every
// path that loads a subscriber.
func TestPreferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "prefs@example.org", time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		if sub.Preferences != (steady.Preferences{}) {
			t.Fatalf("new subscriber's preferences: %+v, want none set", sub.Preferences)
		}
		for _, p := range []steady.Preferences{
			{Discreet: true},
			{SummariesOff: true},
			{Resurface: true},
			{Discreet: true, SummariesOff: true, Resurface: true},
			{},
		} {
			got, err := db.SetPreferences(ctx, sub.ID, p)
			if err != nil {
				t.Fatal(err)
			}
			again, err := db.Subscriber(ctx, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Preferences != p || again.Preferences != p {
				t.Errorf("set %+v: returned %+v, read back %+v", p, got.Preferences, again.Preferences)
			}
			if again.Status != sub.Status || again.TimeZone != sub.TimeZone {
				t.Errorf("set %+v changed more than preferences: %+v", p, again)
			}
		}
		if _, err := db.SetPreferences(ctx, sub.ID+1000, steady.Preferences{Discreet: true}); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("unknown subscriber: %v, want ErrNotFound", err)
		}
	})
}
