package web_test

import (
	"context"
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestOutboxOnlyInPreview(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		for _, path := range []string{"/outbox", "/outbox/1"} {
			if res := b.get(path); res.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.status)
			}
		}
	})
}

func TestOutbox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withPreview)
		sub := b.subscribe("ola@example.org")
		confirm := b.links.ConfirmURL(sub)
		ctx := context.Background()
		older, err := db.SavePreview(ctx, steady.Message{
			Channel: steady.ChannelEmail, To: "ola@example.org", Subject: "Please confirm",
			Text: "Press the button: " + confirm + "\n",
			HTML: `<p><a href="` + html.EscapeString(confirm) + `">Confirm</a></p><script>alert(1)</script>`,
		}, b.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		newer, err := db.SavePreview(ctx, steady.Message{Channel: steady.ChannelEmail, To: "ola@example.org", Subject: "A question for today"}, b.clock.Now().Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}

		list := b.get("/outbox")
		if list.status != http.StatusOK || !strings.Contains(list.body, "not sent") {
			t.Fatalf("list: %d\n%s", list.status, list.body)
		}
		i, j := strings.Index(list.body, "/outbox/"+strconv.FormatInt(newer, 10)), strings.Index(list.body, "/outbox/"+strconv.FormatInt(older, 10))
		if i < 0 || j < 0 || i > j {
			t.Errorf("want both messages, newest first:\n%s", list.body)
		}

		msg := b.get("/outbox/" + strconv.FormatInt(older, 10))
		if msg.status != http.StatusOK {
			t.Fatalf("message: %d", msg.status)
		}
		for _, want := range []string{
			`<a href="` + html.EscapeString(confirm) + `">`, // the link works from the text
			`sandbox="allow-popups allow-popups-to-escape-sandbox"`,
			`srcdoc="`,
			"not sent",
		} {
			if !strings.Contains(msg.body, want) {
				t.Errorf("the page lacks %q:\n%s", want, msg.body)
			}
		}
		if strings.Contains(msg.body, "<script>alert") || strings.Contains(msg.body, "allow-scripts") {
			t.Errorf("the message's HTML is not contained:\n%s", msg.body)
		}
		for _, path := range []string{"/outbox/999999", "/outbox/abc"} {
			if res := b.get(path); res.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.status)
			}
		}
	})
}
