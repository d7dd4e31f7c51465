package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

var hiddenTokenRE = regexp.MustCompile(`name="t" value="([^"]+)"`)

// The "stop showing me past words" link: opening it (as a link scanner
// would) only shows the button; pressing it turns resurfacing off and
// leaves the other preferences alone. A bad link changes nothing.
func TestPastWordsLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		ctx := context.Background()
		sub := b.confirmed("sam@example.org")
		if _, err := db.SetPreferences(ctx, sub.ID, steady.Preferences{Resurface: true, SummariesOff: true}); err != nil {
			t.Fatal(err)
		}
		link := b.links.ResurfaceOffURL(sub)
		if !strings.HasPrefix(link, b.url+"/past-words?t=") {
			t.Fatalf("link %q", link)
		}
		page := b.get(pathOf(t, link))
		if page.status != http.StatusOK || !strings.Contains(page.body, "Stop showing my past words") {
			t.Fatalf("GET: %d %s", page.status, page.body)
		}
		for range 3 {
			b.get(pathOf(t, link))
		}
		if got := b.subscriber("sam@example.org"); !got.Resurface {
			t.Fatal("opening the link turned resurfacing off")
		}
		if res := b.postForm("/past-words", url.Values{"t": {tamper(tokenOf(t, link))}}); res.status == http.StatusOK {
			t.Errorf("a tampered token: %d", res.status)
		}
		if got := b.subscriber("sam@example.org"); !got.Resurface {
			t.Fatal("a tampered token turned resurfacing off")
		}
		m := hiddenTokenRE.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("no token in the page's form:\n%s", page.body)
		}
		for range 2 { // idempotent
			res := b.postForm("/past-words", url.Values{"t": {m[1]}})
			if res.status != http.StatusOK || !strings.Contains(res.body, "Your past words will not be shown") {
				t.Fatalf("POST: %d %s", res.status, res.body)
			}
		}
		got := b.subscriber("sam@example.org")
		if got.Resurface || !got.SummariesOff || got.Discreet {
			t.Errorf("preferences after the button: %+v, want only resurfacing off", got.Preferences)
		}
		if page := b.get(pathOf(t, link)); !strings.Contains(page.body, "Your past words will not be shown") {
			t.Errorf("GET after: %s", page.body)
		}
		// An unknown subscriber is an error, not a silent success.
		if err := db.StopResurfacing(ctx, sub.ID+1000); err == nil {
			t.Error("StopResurfacing of no one: no error")
		}
	})
}

// Every GET page of the web mux carries the Leave quickly button (a plain
// link that works without scripts, with an accessible name, first in the
// page so the keyboard reaches it first) and its script.
func TestLeaveQuicklyOnEveryPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db), withPreview)
		sub, d := b.prompted("sam@example.org")
		pages := []string{"/", "/safety", "/outbox", "/no-such-page", "/reply", "/confirm", "/unsubscribe", "/past-words",
			pathOf(t, b.links.ConfirmURL(sub)), pathOf(t, b.links.UnsubscribeURL(sub)), pathOf(t, b.links.ReplyURL(d)),
			pathOf(t, b.links.ResurfaceOffURL(sub))}
		for _, p := range pages {
			res := b.get(p)
			i := strings.Index(res.body, `<a class="leave-quickly" id="leave-quickly" href="https://www.bbc.com/weather" rel="noreferrer" aria-label="Leave quickly`)
			if i < 0 || !strings.Contains(res.body, `<script src="/static/leave.js" defer></script>`) {
				t.Errorf("GET %s (%d) has no Leave quickly button:\n%s", p, res.status, res.body)
				continue
			}
			if j := strings.Index(res.body, "<a "); j != i {
				t.Errorf("GET %s: Leave quickly is not the first link on the page", p)
			}
		}
		js := b.get("/static/leave.js")
		if js.status != http.StatusOK || !strings.Contains(js.body, "window.location.replace(link.href)") || !strings.Contains(js.body, `"Escape"`) {
			t.Errorf("leave.js: %d %s", js.status, js.body)
		}
		safety := b.get("/safety")
		for _, want := range []string{"history", "discreet", "Text messages are discreet"} {
			if !strings.Contains(safety.body, want) {
				t.Errorf("/safety does not speak of %q", want)
			}
		}
	})
}
