package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A time zone typed as a city, in any case, is stored as its IANA name, by
// the form and by the API; a near miss is refused with a suggestion.
func TestSubscribeTimeZoneAliases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		for i, typed := range []string{"london", "London", "europe/london", "EUROPE/LONDON"} {
			addr := "form" + string(rune('a'+i)) + "@example.org"
			res := b.postForm("/subscribe", url.Values{
				"email": {addr}, "timezone": {typed}, "cadence": {"daily"}, "time": {"20:30"},
			})
			if res.status != http.StatusOK || !strings.Contains(res.body, "Europe/London") {
				t.Errorf("form with %q: %d %s", typed, res.status, res.body)
				continue
			}
			if got := b.subscriber(addr).TimeZone; got != "Europe/London" {
				t.Errorf("form with %q stored %q", typed, got)
			}
		}
		res := b.postJSON(`{"email":"api@example.org","timezone":"new york","cadence":"daily","time":"07:00"}`)
		if res.status != http.StatusAccepted || !strings.Contains(res.body, `"timezone":"America/New_York"`) {
			t.Errorf("API with \"new york\": %d %s", res.status, res.body)
		}
		if got := b.subscriber("api@example.org").TimeZone; got != "America/New_York" {
			t.Errorf("API stored %q", got)
		}
		res = b.postJSON(`{"email":"exact@example.org","timezone":"Asia/Tokyo","cadence":"daily","time":"07:00"}`)
		if res.status != http.StatusAccepted || b.subscriber("exact@example.org").TimeZone != "Asia/Tokyo" {
			t.Errorf("API with an exact IANA name: %d %s", res.status, res.body)
		}

		before := b.counts()
		res = b.postForm("/subscribe", url.Values{
			"email": {"miss@example.org"}, "timezone": {"Londn"}, "cadence": {"daily"}, "time": {"20:30"},
		})
		if res.status != http.StatusUnprocessableEntity && res.status != http.StatusBadRequest {
			t.Errorf("near miss: status %d", res.status)
		}
		if !strings.Contains(res.body, "Did you mean Europe/London?") || !strings.Contains(res.body, `value="Londn"`) {
			t.Errorf("near miss: no suggestion, or what was typed is lost:\n%s", res.body)
		}
		res = b.postJSON(`{"email":"miss@example.org","timezone":"EST","cadence":"daily","time":"07:00"}`)
		if res.status < 400 || !strings.Contains(res.body, "America/New_York") || !strings.Contains(res.body, "abbreviation") {
			t.Errorf("EST: %d %s", res.status, res.body)
		}
		b.unchanged(before)
	})
}

// The sign-up page lists zones in a datalist with friendly names, and says
// the prompt time in the 24-hour form the time box sends.
func TestSubscribePageZonesAndTime(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		res := b.get("/")
		for _, want := range []string{
			`list="zones"`, `<datalist id="zones">`,
			`<option value="Europe/London" label="London (Europe/London), UTC&#43;0/&#43;1">`,
			`id="time-hint">20:00 (8 pm), your local time.`,
			`href="/privacy"`, "quotes your own words back to you", "settings page", "encrypted",
		} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the sign-up page lacks %q", want)
			}
		}
		res = b.postForm("/subscribe", url.Values{
			"email": {"t@example.org"}, "timezone": {"London"}, "cadence": {"daily"}, "time": {"25:00"},
		})
		if !strings.Contains(res.body, "Your local time, as hours and minutes.") {
			t.Errorf("a bad time gets a made-up hint:\n%s", res.body)
		}
		res = b.postForm("/subscribe", url.Values{
			"email": {"t@example.org"}, "timezone": {"Londn"}, "cadence": {"daily"}, "time": {"08:30"},
		})
		if !strings.Contains(res.body, `id="time-hint">08:30 (8:30 am), your local time.`) {
			t.Errorf("the hint does not follow the typed time:\n%s", res.body)
		}
	})
}
