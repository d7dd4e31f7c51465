package web_test

import (
	"html"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// SETTINGS by text answers once with a working settings link for the
// number's subscriber (before, it was filed as a reply and answered
// nothing). A number that is not subscribed gets the help text.
func TestSMSSettingsKeyword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		if res := b.text(phone, "SETTINGS", ""); strings.Contains(res.body, "/settings?t=") {
			t.Fatalf("SETTINGS from an unknown number: %s", res.body)
		}
		smsActive(b)
		sub := smsSubscriber(b)
		res := b.text(phone, "Settings", "SMsettings")
		m := messageRE.FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("SETTINGS answered nothing: %s", res.body)
		}
		answer := html.UnescapeString(m[1])
		_, link, ok := strings.Cut(answer, b.url+"/settings?t=")
		if !ok {
			t.Fatalf("no settings link in %q", answer)
		}
		id, _, err := b.links.VerifySettings(strings.Fields(link)[0])
		if err != nil || id != sub.ID {
			t.Errorf("the link names %d (%v), want %d", id, err, sub.ID)
		}
		if again := b.text(phone, "Settings", "SMsettings"); strings.Contains(again.body, "<Message>") {
			t.Errorf("a replayed SETTINGS answered again: %s", again.body)
		}
		if strings.Contains(b.logs.String(), phone) {
			t.Error("the log holds the whole phone number")
		}
	})
}
