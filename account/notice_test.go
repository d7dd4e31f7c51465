package account_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Changes on the settings page queue ONE notice, in the outbox with the
// change: several changes in one visit share it, and it says the settings
// as they are when it is sent. A refused change queues none.
func TestSettingsChangesQueueOneNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.active("joy@example.com")
		notices := func() []steady.Delivery {
			var out []steady.Delivery
			for _, d := range b.allDeliveries(sub.ID) {
				if d.IsNotice() {
					out = append(out, d)
				}
			}
			return out
		}
		s := session(t, b.get(b.links.SettingsURL(sub)).body)
		if res := b.post("/settings", url.Values{"s": {s}, "timezone": {"Nowhere/Else"}, "time": {"07:00"}, "cadence": {"daily"}}); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("a bad zone: %d", res.status)
		}
		if n := len(notices()); n != 0 {
			t.Fatalf("a refused change queued %d notices", n)
		}
		b.post("/settings", url.Values{"s": {s}, "timezone": {"Europe/London"}, "time": {"07:00"}, "cadence": {"daily"}})
		b.clock.Advance(30 * time.Second)
		b.post("/settings/preferences", url.Values{"s": {s}, "discreet": {"on"}, "summaries": {"on"}})
		b.clock.Advance(30 * time.Second)
		b.post("/settings/pause", url.Values{"s": {s}, "for": {"1w"}})
		ns := notices()
		if len(ns) != 1 || ns[0].Status != steady.DeliveryQueued || !ns[0].NextAttemptAt.After(b.clock.Now()) {
			t.Fatalf("notices after three changes: %+v", ns)
		}
		msg, err := b.compose.Compose(ns[0], b.subscriber(sub.ID))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Paused until Thursday 3 December", "Your next prompt: Friday 4 December, 07:00"} {
			if !strings.Contains(msg.Text, want) {
				t.Errorf("the notice lacks %q:\n%s", want, msg.Text)
			}
		}
	})
}
