package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Discreet mode is on by default for texts (form, API and START) and off
// for email, and the person's own choice wins either way.
func TestSignUpDiscreetDefaults(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		ctx := context.Background()
		form := func(v url.Values) {
			t.Helper()
			base := url.Values{"timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}}
			for k, vs := range v {
				base[k] = vs
			}
			if res := b.postForm("/subscribe", base); res.status != http.StatusOK {
				t.Fatalf("form %v: %d %s", v, res.status, res.body)
			}
		}
		api := func(body string) {
			t.Helper()
			if res := b.postJSON(body); res.status != http.StatusAccepted {
				t.Fatalf("API %s: %d %s", body, res.status, res.body)
			}
		}
		discreet := func(ch steady.Channel, addr string) bool {
			t.Helper()
			sub, err := db.SubscriberByAddress(ctx, ch, addr)
			if err != nil {
				t.Fatal(err)
			}
			return sub.Discreet
		}

		form(url.Values{"email": {"form-default@example.org"}})
		form(url.Values{"email": {"form-auto@example.org"}, "discreet": {"auto"}})
		form(url.Values{"email": {"form-on@example.org"}, "discreet": {"off", "on"}})
		form(url.Values{"phone": {"+447400111111"}})
		form(url.Values{"phone": {"+447400111112"}, "discreet": {"auto"}})
		form(url.Values{"phone": {"+447400111113"}, "discreet": {"off"}})
		api(`{"email":"api-default@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
		api(`{"email":"api-on@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30","discreet":true}`)
		api(`{"phone":"+447400111114","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
		api(`{"phone":"+447400111115","timezone":"Europe/London","cadence":"daily","time":"20:30","discreet":false}`)
		if res := b.text("+447400111116", "START", ""); res.status != http.StatusOK {
			t.Fatalf("START: %d %s", res.status, res.body)
		}
		for _, tc := range []struct {
			ch   steady.Channel
			addr string
			want bool
		}{
			{steady.ChannelEmail, "form-default@example.org", false},
			{steady.ChannelEmail, "form-auto@example.org", false},
			{steady.ChannelEmail, "form-on@example.org", true},
			{steady.ChannelSMS, "+447400111111", true},
			{steady.ChannelSMS, "+447400111112", true},
			{steady.ChannelSMS, "+447400111113", false},
			{steady.ChannelEmail, "api-default@example.org", false},
			{steady.ChannelEmail, "api-on@example.org", true},
			{steady.ChannelSMS, "+447400111114", true},
			{steady.ChannelSMS, "+447400111115", false},
			{steady.ChannelSMS, "+447400111116", true},
		} {
			if got := discreet(tc.ch, tc.addr); got != tc.want {
				t.Errorf("%s: discreet = %v, want %v", tc.addr, got, tc.want)
			}
		}

		// A repeat sign-up may turn discreet mode on for a pending
		// subscriber, never off; an active one keeps their own choice.
		api(`{"email":"form-on@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30","discreet":false}`)
		if !discreet(steady.ChannelEmail, "form-on@example.org") {
			t.Error("a repeat sign-up turned discreet mode off")
		}
		api(`{"email":"form-default@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30","discreet":true}`)
		if !discreet(steady.ChannelEmail, "form-default@example.org") {
			t.Error("a repeat sign-up of a pending subscriber did not turn discreet mode on")
		}
		active := b.confirmed("active@example.org")
		api(`{"email":"active@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30","discreet":true}`)
		if discreet(steady.ChannelEmail, "active@example.org") != active.Discreet {
			t.Error("a sign-up changed an active subscriber's own choice")
		}

		if res := b.postJSON(`{"email":"bad@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30","discreet":"yes"}`); res.status != http.StatusBadRequest || !strings.Contains(res.body, "discreet") {
			t.Errorf("discreet \"yes\": %d %s", res.status, res.body)
		}
		res := b.postForm("/subscribe", url.Values{"email": {"bad2@example.org"}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}, "discreet": {"maybe"}})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Discreet must be on, off or auto.") {
			t.Errorf("discreet maybe: %d %s", res.status, res.body)
		}
	})
}

// The sign-up page offers the choice: a three-way choice when both
// channels are open, a checkbox otherwise.
func TestSubscribePageDiscreetChoice(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		page := setup(t, db, withSMS(db)).get("/").body
		if !strings.Contains(page, `name="discreet" value="auto" checked`) {
			t.Errorf("the sign-up page with texts on has no discreet choice defaulting to auto:\n%s", page)
		}
		page = setup(t, db).get("/").body
		if !strings.Contains(page, `type="checkbox" id="discreet" name="discreet" value="on"`) || strings.Contains(page, `value="on" aria-describedby="discreet-hint" checked`) {
			t.Errorf("the email sign-up page has no unticked discreet checkbox:\n%s", page)
		}
	})
}

// HELP answers a discreet subscriber, and a number we do not know,
// without a word about relationships; others hear what the programme is.
func TestHelpDiscreet(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		if res := b.text("+447400222222", "HELP", ""); strings.Contains(res.body, "relationship") || !strings.Contains(res.body, "Steady: check-ins by text.") {
			t.Errorf("HELP from an unknown number: %s", res.body)
		}
		sub := smsActive(b) // discreet by default
		if res := b.text(phone, "HELP", ""); strings.Contains(res.body, "relationship") || !strings.Contains(res.body, "check-ins by text") {
			t.Errorf("HELP from a discreet subscriber: %s", res.body)
		}
		if _, err := db.SetPreferences(context.Background(), sub.ID, steady.Preferences{}); err != nil {
			t.Fatal(err)
		}
		if res := b.text(phone, "HELP", ""); !strings.Contains(res.body, "reflection prompts about your relationship") {
			t.Errorf("HELP from a subscriber not in discreet mode: %s", res.body)
		}
	})
}
