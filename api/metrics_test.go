package api_test

import (
	"net/http"
	"testing"

	"github.com/steadyapp/steady/api"
	"github.com/steadyapp/steady/metrics"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A sign-up made through the API is counted as one made on the page is:
// requested, and confirmed when the caller vouches for the consent. A
// refused one is not.
func TestCreateIsCounted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rec := metrics.New()
		b := setup(t, db, func(c *api.Config) { c.Metrics = rec })
		count := func(name string) float64 {
			v, _ := rec.Value(name, map[string]string{"channel": "email"})
			return v
		}
		if res := b.post("/api/v1/subscribers", `{"email":"counted@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30",`+
			`"consent_text":"`+partnerWording+`"}`); res.status != http.StatusCreated {
			t.Fatalf("%d %s", res.status, res.body)
		}
		if res := b.post("/api/v1/subscribers", `{"email":"paper-counted@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30",`+
			`"consent_text":"Signed the paper form.","confirmed":true,"consented_at":"2026-03-01T09:30:00Z"}`); res.status != http.StatusCreated {
			t.Fatalf("%d %s", res.status, res.body)
		}
		if res := b.post("/api/v1/subscribers", `{"email":"not an address","timezone":"Europe/London","cadence":"daily","time":"20:30",`+
			`"consent_text":"`+partnerWording+`"}`); res.status != http.StatusBadRequest {
			t.Fatalf("bad address: %d", res.status)
		}
		if got := count("steady_signups_requested_total"); got != 2 {
			t.Errorf("sign-ups requested = %v, want 2", got)
		}
		if got := count("steady_signups_confirmed_total"); got != 1 {
			t.Errorf("sign-ups confirmed = %v, want 1", got)
		}
	})
}
