package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// HELP keeps the operator's text apart from Steady's own sentences.
func TestSMSHelpSentences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		res := b.text(phone, "HELP", "")
		if strings.Contains(res.body, "help@steady.example Msg") {
			t.Errorf("help text runs on: %s", res.body)
		}
		if !strings.Contains(res.body, "Msg &amp; data rates may apply. Reply PAUSE to take a break, STOP to opt out. Questions? help@steady.example</Message>") {
			t.Errorf("HELP: %s", res.body)
		}
	})
}

// The consent record of a YES keeps the confirmation text without the
// white space a template may leave at its end.
func TestSMSConsentTextTrimmed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db), func(c *web.Config) {
			c.SMS.ConfirmText = func(steady.Subscriber) (string, error) { return "CONFIRMATION TEXT\n", nil }
		})
		sub := smsActive(b)
		cs, err := b.db.Consents(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := cs[len(cs)-1]
		if last.Wording != `Replied "YES" by SMS to: CONFIRMATION TEXT` {
			t.Errorf("consent wording %q", last.Wording)
		}
	})
}

// A landline cannot receive texts, so it cannot sign up for them.
func TestSubscribeByLandlineRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		res := b.postJSON(`{"phone":"+442079460000","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "not a mobile number") || !strings.Contains(res.body, `"field":"phone"`) {
			t.Errorf("landline: %d %s", res.status, res.body)
		}
	})
}
