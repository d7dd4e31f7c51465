package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/themes"
	"github.com/steadyapp/steady/web"
)

func withCatalog(c *web.Config) { c.Prompts = themes.Default() }

// promptedWith confirms addr and queues catalogue prompt id for it.
func (b *bundle) promptedWith(addr, id string) (steady.Subscriber, steady.Delivery) {
	b.t.Helper()
	p, ok := themes.Default().Prompt(id)
	if !ok {
		b.t.Fatalf("no prompt %s in the catalogue", id)
	}
	sub := b.confirmed(addr)
	b.clock.Set(sub.NextSlot)
	ctx := context.Background()
	_, err := b.db.ClaimDue(ctx, sub.NextSlot, 10, func(s steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
		loc, err := s.Location()
		if err != nil {
			return steady.Delivery{}, time.Time{}, err
		}
		return steady.Delivery{
			SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: s.Channel, Slot: s.NextSlot,
			PromptID: p.ID, Theme: p.Theme, PromptText: p.Text,
		}, s.Schedule.Next(s.NextSlot, loc), nil
	})
	if err != nil {
		b.t.Fatal(err)
	}
	ds, err := b.db.Deliveries(ctx, sub.ID)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, d := range ds {
		if d.Kind == steady.KindPrompt {
			return sub, d
		}
	}
	b.t.Fatal("no prompt was queued")
	return sub, steady.Delivery{}
}

// The reply page offers the quick answer the prompt asks for, stores it
// with the words beside it, and shows it when the link is opened again.
func TestReplyQuickAnswers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withCatalog)
		for _, tc := range []struct {
			addr, prompt, quick, words, stored string
			want, not                          []string
		}{
			{"yn@example.org", "honesty-1", "yes", "He told me about the bill.", "yes\nHe told me about the bill.",
				[]string{`<legend>Your answer</legend>`, `name="quick" value="yes"`, `name="quick" value="no"`, "Anything you want to say (optional)"},
				[]string{`value="4"`, `name="reply" required`}},
			{"sc@example.org", "honesty-2", "4", "", "4",
				[]string{`<legend>Your answer, from 1 to 5</legend>`, `name="quick" value="1"`, `name="quick" value="5"`},
				[]string{`value="yes"`}},
			{"wd@example.org", "keeping_word-1", "", "Mostly, yes.", "Mostly, yes.", nil, nil},
		} {
			_, d := b.promptedWith(tc.addr, tc.prompt)
			link := b.links.ReplyURL(d)
			page := b.get(pathOf(t, link))
			if page.status != http.StatusOK || !strings.Contains(page.body, html.EscapeString(d.PromptText)) {
				t.Fatalf("%s: reply page %d", tc.prompt, page.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(page.body, w) {
					t.Errorf("%s: the page lacks %q", tc.prompt, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(page.body, w) {
					t.Errorf("%s: the page has %q", tc.prompt, w)
				}
			}
			form := url.Values{"t": {tokenOf(t, link)}, "nonce": {nonceIn(t, page.body)}, "reply": {tc.words}}
			if tc.quick != "" {
				form.Set("quick", tc.quick)
			}
			if res := b.postForm("/reply", form); res.status != http.StatusOK || !strings.Contains(res.body, "Thank you") {
				t.Fatalf("%s: POST %d %s", tc.prompt, res.status, res.body)
			}
			rs, err := db.Replies(context.Background(), d.SubscriberID)
			if err != nil || len(rs) != 1 || rs[0].Body != tc.stored || rs[0].DeliveryID != d.ID {
				t.Fatalf("%s: replies %+v, %v; want one %q", tc.prompt, rs, err, tc.stored)
			}
			again := b.get(pathOf(t, link))
			for _, w := range []string{"What you answered", html.EscapeString(tc.stored), "Add to my answer"} {
				if !strings.Contains(again.body, w) {
					t.Errorf("%s: reopened, the page lacks %q:\n%s", tc.prompt, w, again.body)
				}
			}
			// Adding to it keeps both.
			form = url.Values{"t": {tokenOf(t, link)}, "nonce": {nonceIn(t, again.body)}, "reply": {"And one more thing."}}
			if res := b.postForm("/reply", form); res.status != http.StatusOK {
				t.Fatalf("%s: adding: %d", tc.prompt, res.status)
			}
			if rs, _ := db.Replies(context.Background(), d.SubscriberID); len(rs) != 2 {
				t.Errorf("%s: %d replies after adding, want 2", tc.prompt, len(rs))
			}
		}
	})
}

// A quick answer the prompt does not offer is refused, words kept, nothing
// stored; an empty answer says what to do.
func TestReplyQuickAnswerRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withCatalog)
		_, d := b.promptedWith("bad@example.org", "honesty-2")
		link := b.links.ReplyURL(d)
		page := b.get(pathOf(t, link))
		before := b.counts()
		form := url.Values{"t": {tokenOf(t, link)}, "nonce": {nonceIn(t, page.body)}, "reply": {"my words stay"}, "quick": {"yes"}}
		res := b.postForm("/reply", form)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "my words stay") || !strings.Contains(res.body, "not one this question offers") {
			t.Errorf("yes to a scale: %d %s", res.status, res.body)
		}
		form.Set("quick", "")
		form.Set("reply", " ")
		res = b.postForm("/reply", form)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Choose a number from 1 to 5") {
			t.Errorf("empty: %d %s", res.status, res.body)
		}
		b.unchanged(before)
	})
}

// Support numbers on the thank-you page are links a phone can follow.
func TestRepliedSupportLinks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, func(c *web.Config) {
			c.Support = func(steady.Subscriber, string, string) []web.SupportLine {
				return []web.SupportLine{
					{Name: "Samaritans", Contact: "call 116 123"},
					{Name: "Shout", Contact: "text SHOUT to 85258"},
					{Name: "Refuge", Contact: "https://refuge.example/chat"},
				}
			}
		})
		_, d := b.prompted("sos@example.org")
		link := b.links.ReplyURL(d)
		page := b.get(pathOf(t, link))
		res := b.postForm("/reply", url.Values{"t": {tokenOf(t, link)}, "nonce": {nonceIn(t, page.body)}, "reply": {"I am scared of him"}})
		for _, want := range []string{`<a href="tel:116123">call 116 123</a>`, `<a href="sms:85258">text SHOUT to 85258</a>`, "<strong>https://refuge.example/chat</strong>"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the thank-you page lacks %q:\n%s", want, res.body)
			}
		}
	})
}
