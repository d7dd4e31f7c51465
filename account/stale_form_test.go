package account_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A settings form must carry its page's session value, and it must be the
// session of the browser's cookie: a black-box pass changed settings with
// the cookie alone, and changed E's with D's cookie and E's session value.
func TestSettingsFormNeedsItsOwnSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		e := b.active("erin@example.com")
		sE := session(t, b.get(b.links.SettingsURL(e)).body)
		d := b.active("dan@example.com")
		sD := session(t, b.get(b.links.SettingsURL(d)).body) // the cookie is now D's
		for name, form := range map[string]url.Values{
			"the cookie alone":              {"for": {"2w"}},
			"D's cookie, E's session value": {"s": {sE}, "for": {"2w"}},
		} {
			if res := b.post("/settings/pause", form); res.status != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", name, res.status)
			}
		}
		if !b.subscriber(d.ID).PausedUntil.IsZero() || !b.subscriber(e.ID).PausedUntil.IsZero() {
			t.Fatal("a refused form paused someone")
		}
		if res := b.post("/settings/pause", url.Values{"s": {sD}, "for": {"2w"}}); res.status != http.StatusOK || b.subscriber(d.ID).PausedUntil.IsZero() {
			t.Errorf("D's own form: %d, paused until %v", res.status, b.subscriber(d.ID).PausedUntil)
		}
	})
}
