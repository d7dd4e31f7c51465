package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/mailhook"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/web"
)

// withInbox is preview mode with the outbox's reply box filing through a
// real inbox processor over the same store and links.
func withInbox(t *testing.T) option {
	return func(c *web.Config) {
		c.Preview = true
		proc, err := inbox.NewProcessor(inbox.ProcessorConfig{Store: c.Store.(*store.DB), Links: c.Links, Clock: c.Clock})
		if err != nil {
			t.Fatal(err)
		}
		c.InboundMail = func(ctx context.Context, raw []byte) (string, error) {
			res, err := proc.Process(ctx, raw)
			if err != nil {
				return "", err
			}
			return mailhook.Phrase(res), nil
		}
	}
}

// keptPrompt sends addr a prompt into the outbox as the preview sender
// would keep it, composed by the real templates.
func (b *bundle) keptPrompt(addr string) (steady.Subscriber, steady.Delivery, int64) {
	b.t.Helper()
	sub, d := b.prompted(addr)
	set, err := templates.Load("")
	if err != nil {
		b.t.Fatal(err)
	}
	msg, err := (&templates.Composer{Set: set, Links: b.links, ProgramName: "Steady", EmailReplies: true}).Compose(d, sub)
	if err != nil {
		b.t.Fatal(err)
	}
	if msg.ReplyTo == "" || msg.MessageID == "" {
		b.t.Fatalf("the prompt has no Reply-To or Message-ID: %+v", msg)
	}
	id, err := b.db.SavePreview(context.Background(), msg, b.clock.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	return sub, d, id
}

func (b *bundle) replies(subID int64) []steady.Reply {
	b.t.Helper()
	rs, err := b.db.Replies(context.Background(), subID)
	if err != nil {
		b.t.Fatal(err)
	}
	return rs
}

func TestOutboxReplyBox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withInbox(t))
		sub, d, id := b.keptPrompt("ola@example.org")
		path := "/outbox/" + strconv.FormatInt(id, 10)

		page := b.get(path)

		if page.status != http.StatusOK || !strings.Contains(page.body, "Reply to this email") ||
			!strings.Contains(page.body, `action="`+path+`/reply#reply"`) {
			t.Fatalf("no reply box: %d\n%s", page.status, page.body)
		}

		const words = "He stood by me at dinner with my parents"
		same := headers{"Sec-Fetch-Site": "same-origin", "Origin": b.url}
		for i, want := range []string{"Stored as a reply.", "Already stored"} {
			res := b.postWith(path+"/reply", same, "application/x-www-form-urlencoded", url.Values{"text": {words}}.Encode())
			if res.status != http.StatusOK || !strings.Contains(res.body, want) {
				t.Fatalf("post %d: %d, want %q:\n%s", i+1, res.status, want, res.body)
			}
			if strings.Contains(res.body, words) {
				t.Errorf("post %d: the page repeats the reply's text", i+1)
			}
		}
		rs := b.replies(sub.ID)
		if len(rs) != 1 {
			t.Fatalf("%d replies stored, want 1", len(rs))
		}
		if rs[0].DeliveryID != d.ID || rs[0].Body != words || rs[0].Channel != steady.ChannelEmail {
			t.Errorf("stored %+v, want %q under prompt %d (the quoted prompt cut off)", rs[0], words, d.ID)
		}

		// A raw message pasted whole takes the same path.
		m, err := db.Preview(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		raw := fmt.Sprintf("From: <%s>\r\nTo: <%s>\r\nSubject: Re: %s\r\nMessage-ID: <pasted-1@example.org>\r\nIn-Reply-To: <%s>\r\n\r\nA second thought\r\n",
			m.To, m.ReplyTo, m.Subject, m.MessageID)
		res := b.postWith(path+"/reply", same, "application/x-www-form-urlencoded", url.Values{"raw": {raw}}.Encode())
		if res.status != http.StatusOK || !strings.Contains(res.body, "Stored as a reply.") {
			t.Fatalf("raw: %d\n%s", res.status, res.body)
		}
		if n := len(b.replies(sub.ID)); n != 2 {
			t.Errorf("%d replies after the raw message, want 2", n)
		}
	})
}

func TestOutboxReplyBoxRefusals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withInbox(t))
		sub, _, id := b.keptPrompt("ola@example.org")
		path := "/outbox/" + strconv.FormatInt(id, 10) + "/reply"
		form := "application/x-www-form-urlencoded"

		res := b.postWith(path, headers{"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"}, form, url.Values{"text": {"forged"}}.Encode())
		if res.status != http.StatusForbidden {
			t.Errorf("cross-site: %d, want 403", res.status)
		}
		if res := b.post(path, form, ""); res.status != http.StatusBadRequest || !strings.Contains(res.body, "empty") {
			t.Errorf("empty: %d\n%s", res.status, res.body)
		}
		both := url.Values{"text": {"typed words"}, "raw": {"From: a@example.org\r\n\r\npasted words"}}
		res = b.post(path, form, both.Encode())
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, html.EscapeString("typed words")) {
			t.Errorf("both: %d, want 400 with the text kept:\n%s", res.status, res.body)
		}
		if n := len(b.replies(sub.ID)); n != 0 {
			t.Errorf("%d replies stored by refused posts", n)
		}

		// A message that is not a prompt has no reply box.
		other, err := db.SavePreview(context.Background(), steady.Message{Channel: steady.ChannelEmail, To: "ola@example.org", Subject: "Please confirm", Text: "Press"}, b.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		otherPath := "/outbox/" + strconv.FormatInt(other, 10)
		if page := b.get(otherPath); strings.Contains(page.body, "Reply to this email") {
			t.Errorf("a confirmation offers a reply box")
		}
		if res := b.post(otherPath+"/reply", form, url.Values{"text": {"hi"}}.Encode()); res.status != http.StatusBadRequest {
			t.Errorf("reply to a confirmation: %d, want 400", res.status)
		}
	})
}

// Without InboundMail the outbox has no reply box and no reply route.
func TestOutboxReplyBoxNeedsAnInbox(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t), withPreview)
	_, _, id := b.keptPrompt("ola@example.org")
	path := "/outbox/" + strconv.FormatInt(id, 10)
	if page := b.get(path); strings.Contains(page.body, "Reply to this email") {
		t.Errorf("a reply box without an inbox")
	}
	if res := b.post(path+"/reply", "application/x-www-form-urlencoded", "text=hi"); res.status == http.StatusOK {
		t.Errorf("reply route without an inbox: %d", res.status)
	}
}
