package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestSubscribePageWithSMS(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		page := b.get("/")
		for _, want := range []string{
			"input[type=tel]", // styled like the other inputs
			"A number without + is read as a number in the United Kingdom (+44)",
			"or text you if you give a phone number",
		} {
			if !strings.Contains(html.UnescapeString(page.body), want) {
				t.Errorf("the page lacks %q", want)
			}
		}

		// Both empty: say either will do.
		res := b.postForm("/subscribe", url.Values{"timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "An email address or a phone number is required.") {
			t.Errorf("both empty: %d %s", res.status, res.body)
		}

		// A phone sign-up is answered in SMS words.
		res = b.postForm("/subscribe", url.Values{"phone": {phoneTyped}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}})
		if res.status != http.StatusOK || !strings.Contains(res.body, "Check your phone") || !strings.Contains(res.body, "No text yet?") {
			t.Errorf("phone sign-up: %d %s", res.status, res.body)
		}
		for _, bad := range []string{"spam or promotions", "ask for a new link"} {
			if strings.Contains(res.body, bad) {
				t.Errorf("phone sign-up page says %q", bad)
			}
		}
	})
}

func TestSubscribePageWithoutSMS(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		page := b.get("/")
		if !strings.Contains(page.body, "We'll first email you a link to confirm. Nothing else") || strings.Contains(page.body, "text you") {
			t.Errorf("email-only page:\n%s", page.body)
		}
		// Every mistake at once: a bad address and weekly with no day.
		res := b.postForm("/subscribe", url.Values{"email": {"not-an-address"}, "timezone": {"Europe/London"}, "cadence": {"weekly"}, "time": {"20:30"}})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, `id="email-error"`) || !strings.Contains(res.body, `id="days-error"`) {
			t.Errorf("both errors: %d %s", res.status, res.body)
		}
	})
}

// Confirming again while active (a new sign-up's link: a confirm link
// works once) names the next prompt, not the first.
func TestConfirmAgainSaysNext(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.subscribe("eve@example.org")
		form := url.Values{"t": {tokenOf(t, b.links.ConfirmURL(sub))}}
		if res := b.postForm("/confirm", form); !strings.Contains(res.body, "Your first prompt will arrive") {
			t.Errorf("first confirmation: %s", res.body)
		}
		b.clock.Advance(11 * time.Minute)
		sub = b.subscribe("eve@example.org")
		form = url.Values{"t": {tokenOf(t, b.links.ConfirmURL(sub))}}
		if res := b.postForm("/confirm", form); !strings.Contains(res.body, "Your next prompt will arrive") {
			t.Errorf("second confirmation: %s", res.body)
		}
	})
}

// The reply page is honest about who can read a reply.
func TestReplyPagePrivacyWording(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		_, d := b.prompted("fay@example.org")
		page := b.get(pathOf(t, b.links.ReplyURL(d)))
		if strings.Contains(page.body, "Only you will read this") || !strings.Contains(page.body, "kept privately for your reflection and your monthly summary; it is never shared") {
			t.Errorf("reply page:\n%s", page.body)
		}
	})
}

// Long addresses and links wrap instead of overflowing a phone's screen.
func TestOutboxWraps(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withPreview)
		if page := b.get("/outbox"); !strings.Contains(page.body, "overflow-wrap: anywhere") {
			t.Errorf("outbox CSS does not wrap long words")
		}
	})
}
