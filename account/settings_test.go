package account_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The settings link in a real composed prompt email opens the page (the
// token leaves the address bar for a cookie); a new time, zone and
// cadence take effect at once, and the "next prompt" the page names is
// exactly when the real scheduler then sends.
func TestSettingsFromPromptEmail(t *testing.T) {
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
		link := settingsLink(t, msg.Text)
		if !strings.Contains(msg.HTML, link) {
			t.Error("the HTML part has no settings link")
		}
		b.clock.Advance(time.Hour) // Thursday 21:30 in London
		page := b.get(link)
		if page.status != http.StatusOK || !strings.Contains(page.body, "Your next prompt: Friday 27 November, 20:30 (Europe/London)") {
			t.Fatalf("settings page: %d\n%s", page.status, page.body)
		}
		s := session(t, page.body)

		// Bad input: shown back, nothing changed.
		bad := b.post("/settings", url.Values{"s": {s}, "time": {"07:15"}, "timezone": {"Mars/Olympus"}, "cadence": {"daily"}})
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "not a time zone we know") {
			t.Errorf("an unknown zone: %d\n%s", bad.status, bad.body)
		}
		if got := b.subscriber(sub.ID); got.TimeZone != "Europe/London" || !got.NextSlot.Equal(sub.NextSlot.Add(24*time.Hour)) {
			t.Errorf("a refused change changed %+v", got)
		}

		res := b.post("/settings", url.Values{"s": {s}, "time": {"07:15"}, "timezone": {"America/New_York"},
			"cadence": {"weekly"}, "days": {"tue"}})
		const want = "Saved. Your next prompt: Tuesday 1 December, 07:15 (America/New_York)"
		if res.status != http.StatusOK || !strings.Contains(res.body, want) {
			t.Fatalf("save: %d, want %q in\n%s", res.status, want, res.body)
		}
		got := b.subscriber(sub.ID)
		next := time.Date(2026, 12, 1, 12, 15, 0, 0, time.UTC) // 07:15 in New York
		if got.TimeZone != "America/New_York" || got.Schedule.String() != "weekly tue 07:15" || !got.NextSlot.Equal(next) {
			t.Fatalf("stored %s %s next %v, want next %v", got.TimeZone, got.Schedule, got.NextSlot, next)
		}
		// Friday's old slot is gone: nothing until Tuesday 07:15 New York.
		b.clock.Set(next.Add(-time.Minute))
		if n := b.tick(); n != 0 {
			t.Errorf("%d prompts before the new slot", n)
		}
		b.clock.Set(next)
		if n := b.tick(); n != 1 {
			t.Fatalf("the new slot queued %d prompts", n)
		}
		ps := b.prompts(sub.ID)
		if last := ps[len(ps)-1]; !last.Slot.Equal(next) {
			t.Errorf("the scheduler sent for %v, the page said %v", last.Slot, next)
		}
	})
}

// Pausing for 2 weeks sends nothing for 2 weeks, then prompts resume by
// themselves; the page offers Resume while paused.
func TestSettingsPauseTwoWeeks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.active("pat@example.com")
		page := b.get(b.links.SettingsURL(sub))
		res := b.post("/settings/pause", url.Values{"s": {session(t, page.body)}, "for": {"2w"}})
		if res.status != http.StatusOK || !strings.Contains(res.body, "Paused until Thursday 10 December.") ||
			!strings.Contains(res.body, "Resume prompts now") ||
			!strings.Contains(res.body, "Your next prompt: Thursday 10 December, 20:30 (Europe/London)") {
			t.Fatalf("pause: %d\n%s", res.status, res.body)
		}
		for day := range 14 {
			b.clock.Set(time.Date(2026, 11, 26, 21, 0, 0, 0, time.UTC).AddDate(0, 0, day))
			if n := b.tick(); n != 0 {
				t.Fatalf("a prompt on day %d of the pause", day)
			}
		}
		b.clock.Set(time.Date(2026, 12, 10, 20, 30, 0, 0, time.UTC))
		if n := b.tick(); n != 1 {
			t.Errorf("the day the pause ends queued %d prompts", n)
		}
	})
}

// Resume ends a pause at once; a pause until a date ends at the start of
// that day in the subscriber's zone.
func TestSettingsResumeAndPauseUntil(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.active("ren@example.com")
		s := session(t, b.get(b.links.SettingsURL(sub)).body)
		if res := b.post("/settings/pause", url.Values{"s": {s}, "for": {"date"}, "until": {"2026-12-25"}}); res.status != http.StatusOK {
			t.Fatalf("pause until: %d\n%s", res.status, res.body)
		}
		got := b.subscriber(sub.ID)
		if want := time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC); !got.PausedUntil.Equal(want) ||
			!got.NextSlot.Equal(want.Add(20*time.Hour+30*time.Minute)) {
			t.Errorf("paused until %v, next %v", got.PausedUntil, got.NextSlot)
		}
		if res := b.post("/settings/pause", url.Values{"s": {s}, "for": {"date"}, "until": {"2026-11-20"}}); res.status != http.StatusUnprocessableEntity {
			t.Errorf("a pause ending in the past: %d", res.status)
		}
		res := b.post("/settings/resume", url.Values{"s": {s}})
		if res.status != http.StatusOK || strings.Contains(res.body, "Resume prompts now") ||
			!strings.Contains(res.body, "Your next prompt: Thursday 26 November, 20:30 (Europe/London)") {
			t.Fatalf("resume: %d\n%s", res.status, res.body)
		}
		if got := b.subscriber(sub.ID); !got.PausedUntil.IsZero() || !got.NextSlot.Equal(sub.NextSlot) {
			t.Errorf("after resume: paused %v, next %v", got.PausedUntil, got.NextSlot)
		}
	})
}

// The three toggles are stored as the checkboxes say.
func TestSettingsPreferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.active("lee@example.com")
		s := session(t, b.get(b.links.SettingsURL(sub)).body)
		if res := b.post("/settings/preferences", url.Values{"s": {s}, "discreet": {"on"}, "resurface": {"on"}}); res.status != http.StatusOK {
			t.Fatalf("%d\n%s", res.status, res.body)
		}
		if got := b.subscriber(sub.ID).Preferences; got != (steady.Preferences{Discreet: true, SummariesOff: true, Resurface: true}) {
			t.Errorf("stored %+v", got)
		}
		if res := b.post("/settings/preferences", url.Values{"s": {s}, "summaries": {"on"}}); res.status != http.StatusOK {
			t.Fatalf("%d\n%s", res.status, res.body)
		}
		if got := b.subscriber(sub.ID).Preferences; got != (steady.Preferences{}) {
			t.Errorf("stored %+v", got)
		}
	})
}

// personal is what a page about nobody must not show.
func personal(t *testing.T, what string, res response) {
	t.Helper()
	for _, s := range []string{"example.com", "Europe/London", "Your next prompt", `name="s"`} {
		if strings.Contains(res.body, s) {
			t.Errorf("%s: the page shows %q:\n%s", what, s, res.body)
		}
	}
}

// After an unsubscribe, a settings link made before it (and a page
// already open) shows nothing personal and changes nothing, even once the
// person has signed up again.
func TestSettingsRevokedByUnsubscribe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		ctx := context.Background()
		sub := b.active("kim@example.com")
		link := b.links.SettingsURL(sub)
		s := session(t, b.get(link).body)
		b.clock.Advance(time.Minute)
		if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "one-click", Wording: "test"}, b.clock.Now()); err != nil {
			t.Fatal(err)
		}
		res := b.get(link)
		if res.status != http.StatusGone {
			t.Errorf("a link after unsubscribe: %d", res.status)
		}
		personal(t, "after unsubscribe", res)
		posted := b.post("/settings/pause", url.Values{"s": {s}, "for": {"2w"}})
		personal(t, "an open page after unsubscribe", posted)
		if posted.status != http.StatusGone {
			t.Errorf("a form after unsubscribe: %d", posted.status)
		}
		b.clock.Advance(time.Minute)
		again := b.active("kim@example.com")
		if res := b.get(link); res.status != http.StatusGone {
			t.Errorf("the old link after a new sign-up: %d", res.status)
		}
		if got := b.subscriber(again.ID); !got.PausedUntil.IsZero() {
			t.Errorf("the refused pause was stored: %v", got.PausedUntil)
		}
		b.clock.Advance(time.Minute)
		if res := b.get(b.links.SettingsURL(again)); res.status != http.StatusOK {
			t.Errorf("a new link after the new sign-up: %d", res.status)
		}
	})
}

// A forged or tampered link, a forged session, an expired session or link
// and a cross-site form show nothing personal and change nothing.
func TestSettingsForgedAndExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.active("ash@example.com")
		link := b.links.SettingsURL(sub)
		tampered := link[:len(link)-3] + "aaa"
		if strings.HasSuffix(link, "aaa") {
			tampered = link[:len(link)-3] + "bbb"
		}
		res := b.get(tampered)
		personal(t, "a tampered link", res)
		if res.status == http.StatusOK {
			t.Error("a tampered link opened the page")
		}
		res = b.get("/settings?s=abcdefghijklmnopqrstuvwxyz234567abcdefgh")
		personal(t, "a forged session", res)
		res = b.post("/settings/pause", url.Values{"s": {"abcdefghijklmnopqrstuvwxyz234567"}, "for": {"2w"}})
		personal(t, "a forged session's form", res)
		res = b.post("/settings/pause", url.Values{"for": {"2w"}})
		personal(t, "a form with no session", res)

		s := session(t, b.get(link).body)
		req, _ := http.NewRequest(http.MethodPost, b.url+"/settings/pause", strings.NewReader(url.Values{"s": {s}, "for": {"2w"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := b.do(req); res.status != http.StatusForbidden {
			t.Errorf("a cross-site form: %d", res.status)
		}

		b.clock.Advance(61 * time.Minute)
		res = b.post("/settings/pause", url.Values{"s": {s}, "for": {"2w"}})
		personal(t, "an expired session", res)
		if res.status != http.StatusGone || !strings.Contains(res.body, "open your link again") {
			t.Errorf("an expired session: %d\n%s", res.status, res.body)
		}
		if got := b.subscriber(sub.ID); !got.PausedUntil.IsZero() {
			t.Errorf("a refused form paused until %v", got.PausedUntil)
		}
		b.clock.Advance(61 * 24 * time.Hour)
		res = b.get(link)
		personal(t, "an expired link", res)
		if res.status != http.StatusGone {
			t.Errorf("an expired link: %d", res.status)
		}
	})
}
