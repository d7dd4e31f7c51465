package account_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The settings page reads the time zone as sign-up does: "sydney" is
// Australia/Sydney, "london" Europe/London (it used to refuse both as not
// IANA names), and a near miss is refused with a suggestion.
func TestSettingsZoneAlias(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.active("sam@example.com")
		b.clock.Set(sub.NextSlot)
		if n := b.tick(); n != 1 {
			t.Fatalf("first tick queued %d prompts", n)
		}
		msg, err := b.compose.Compose(b.prompts(sub.ID)[0], b.subscriber(sub.ID))
		if err != nil {
			t.Fatal(err)
		}
		s := session(t, b.get(settingsLink(t, msg.Text)).body)

		bad := b.post("/settings", url.Values{"s": {s}, "time": {"07:15"}, "timezone": {"sydnee"}, "cadence": {"daily"}})
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Australia/Sydney") {
			t.Errorf("a near miss: %d, want a suggestion of Australia/Sydney in\n%s", bad.status, bad.body)
		}
		res := b.post("/settings", url.Values{"s": {s}, "time": {"07:15"}, "timezone": {"sydney"}, "cadence": {"daily"}})
		if res.status != http.StatusOK || !strings.Contains(res.body, "(Australia/Sydney)") {
			t.Fatalf("sydney: %d\n%s", res.status, res.body)
		}
		if got := b.subscriber(sub.ID); got.TimeZone != "Australia/Sydney" {
			t.Errorf("stored zone %q, want Australia/Sydney", got.TimeZone)
		}
	})
}
