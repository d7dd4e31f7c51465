package account_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A move is refused, with a clear line on the page and nothing queued or
// sent, for: an address another subscriber has (without saying whose), a
// number that texted STOP, an invalid address, a number from a country
// that may not sign up, and a request over the abuse limits.
func TestMoveRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		policy := abuse.Defaults
		policy.PerMailbox = 1
		policy.SMSDay = 1
		b := moveSetup(t, db, policy)
		sub := b.active("mover@example.com")
		b.active("taken@example.com")
		stopped := b.activeOn(steady.ChannelSMS, "+447400999888")
		if _, err := db.Unsubscribe(context.Background(), stopped.ID, steady.Consent{Method: "sms", Wording: "STOP"}, b.clock.Now()); err != nil {
			t.Fatal(err)
		}
		b.clock.Advance(time.Hour)
		b.send()
		before := len(b.allDeliveries(sub.ID))
		others := []string{"taken@example.com", "+447400999888", "+33612345678"}
		sentBefore := map[string]int{}
		for _, addr := range others {
			sentBefore[addr] = len(b.sentTo(addr))
		}
		s := b.openSettings(sub)
		for _, c := range []struct {
			name string
			form url.Values
			want string
		}{
			{"taken", url.Values{"email": {"Taken@Example.com"}}, "already signed up"},
			{"stopped", url.Values{"phone": {"07400 999888"}}, "Only a START texted from that number"},
			{"invalid email", url.Values{"email": {"not-an-address"}}, "email"},
			{"invalid phone", url.Values{"phone": {"12"}}, "not a valid phone number"},
			{"country", url.Values{"phone": {"+33612345678"}}, "can only be sent to numbers in"},
			{"both", url.Values{"email": {"a@example.com"}, "phone": {"07400 123456"}}, "not both"},
			{"own address", url.Values{"email": {"mover@example.com"}}, "already use"},
		} {
			c.form.Set("s", s)
			res := b.post("/settings/move", c.form)
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(errorsIn(res.body), " "), c.want) {
				t.Errorf("%s: %d %q, want %q", c.name, res.status, errorsIn(res.body), c.want)
			}
			if strings.Contains(res.body, "taken@example.com") && c.name == "taken" {
				t.Error("the refusal shows nothing but what was typed")
			}
		}
		// The per-mailbox limit (1 a day here): the first goes, the second is refused.
		if res := b.post("/settings/move", url.Values{"s": {s}, "email": {"new@example.com"}}); res.status != http.StatusOK {
			t.Fatalf("first move: %d %q", res.status, errorsIn(res.body))
		}
		res := b.post("/settings/move", url.Values{"s": {s}, "email": {"new@example.com"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(errorsIn(res.body), " "), "Too many confirmations") {
			t.Errorf("over the limit: %d %q", res.status, errorsIn(res.body))
		}
		if n := len(b.allDeliveries(sub.ID)) - before; n != 1 {
			t.Errorf("%d deliveries queued by refused and allowed moves, want the 1 allowed", n)
		}
		b.send()
		for _, addr := range others {
			if n := len(b.sentTo(addr)) - sentBefore[addr]; n != 0 {
				t.Errorf("a refused move sent %d to %s…", n, addr[:4])
			}
		}
		if n := len(b.sentTo("new@example.com")); n != 1 {
			t.Errorf("%d confirmations to the new address, want 1", n)
		}
		// The SMS daily cap (1 here): one text to a new number, then none.
		if res := b.post("/settings/move", url.Values{"s": {s}, "phone": {"07400 123456"}}); res.status != http.StatusOK {
			t.Fatalf("a move to a number: %d %q", res.status, errorsIn(res.body))
		}
		res = b.post("/settings/move", url.Values{"s": {s}, "phone": {"07400 123457"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(errorsIn(res.body), " "), "Too many confirmations") {
			t.Errorf("over the SMS daily cap: %d %q", res.status, errorsIn(res.body))
		}
		b.send()
		if n := len(b.sentTo("+447400123457")); n != 0 {
			t.Errorf("%d texts over the daily cap", n)
		}
		if got := b.subscriber(sub.ID); got.Address != "mover@example.com" {
			t.Errorf("refusals moved the subscriber: %+v", got)
		}
	})
}

// A move's link does nothing after the subscriber unsubscribed (nor after
// they signed up again), and a newer move replaces the older link.
func TestMoveLinkAfterUnsubscribe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := moveSetup(t, db, abuse.Defaults)
		sub := b.active("mover@example.com")
		b.clock.Advance(time.Hour)
		s := b.openSettings(sub)
		if res := b.post("/settings/move", url.Values{"s": {s}, "email": {"first@example.com"}}); res.status != http.StatusOK {
			t.Fatalf("move: %d", res.status)
		}
		b.send()
		first := moveLinkRE.FindString(b.sentTo("first@example.com")[0].Text)
		b.clock.Advance(time.Minute)
		if res := b.post("/settings/move", url.Values{"s": {s}, "email": {"second@example.com"}}); res.status != http.StatusOK {
			t.Fatalf("second move: %d", res.status)
		}
		b.send()
		if page := b.get(first); page.status != http.StatusGone {
			t.Errorf("a replaced move's link: %d", page.status)
		}
		second := moveLinkRE.FindString(b.sentTo("second@example.com")[0].Text)
		page := b.get(second)
		if page.status != http.StatusOK {
			t.Fatalf("move page: %d", page.status)
		}
		b.clock.Advance(time.Minute)
		if _, err := db.Unsubscribe(context.Background(), sub.ID, steady.Consent{Method: "web", Wording: "stop"}, b.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if res := b.post("/settings/move/confirm", url.Values{"s": {session(t, page.body)}}); res.status != http.StatusGone {
			t.Errorf("confirm after unsubscribe: %d", res.status)
		}
		// Signed up again: the old link still does nothing.
		b.clock.Advance(time.Minute)
		b.active("mover@example.com")
		if res := b.post("/settings/move/confirm", url.Values{"s": {session(t, page.body)}}); res.status != http.StatusGone {
			t.Errorf("confirm after signing up again: %d", res.status)
		}
		if got := b.subscriber(sub.ID); got.Address != "mover@example.com" {
			t.Errorf("moved by a revoked link: %+v", got)
		}
	})
}
