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
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestReply(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub, d := b.prompted("kit@example.org")
		link := b.links.ReplyURL(d)
		page := b.get(pathOf(t, link))
		if page.status != http.StatusOK || !strings.Contains(page.body, html.EscapeString(promptText)) ||
			!strings.Contains(page.body, "<textarea") {
			t.Fatalf("reply page: %d\n%s", page.status, page.body)
		}
		nonce := nonceIn(t, page.body)
		form := url.Values{"t": {tokenOf(t, link)}, "nonce": {nonce}, "reply": {"  YES. He stood up for me at dinner.\n"}}
		first := b.postForm("/reply", form)
		if first.status != http.StatusOK || !strings.Contains(first.body, "Thank you") {
			t.Fatalf("POST: %d\n%s", first.status, first.body)
		}
		// The same form sent twice (a double click, a reload) stores once.
		if again := b.postForm("/reply", form); again.status != first.status || again.body != first.body {
			t.Errorf("second POST: %d, want the same thank-you page", again.status)
		}
		rs, err := db.Replies(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 {
			t.Fatalf("%d replies, want 1", len(rs))
		}
		r := rs[0]
		if r.Body != "YES. He stood up for me at dinner." || r.DeliveryID != d.ID || r.Channel != steady.ChannelWeb ||
			r.SourceID != "web:"+nonce || !r.ReceivedAt.Equal(b.clock.Now()) {
			t.Errorf("reply %+v", r)
		}
		// A fresh showing of the form is a new answer.
		form.Set("nonce", nonceIn(t, b.get(pathOf(t, link)).body))
		if res := b.postForm("/reply", form); res.status != http.StatusOK {
			t.Fatalf("third POST: %d", res.status)
		}
		if rs, _ := db.Replies(context.Background(), sub.ID); len(rs) != 2 {
			t.Errorf("%d replies, want 2", len(rs))
		}
		if logs := b.logs.String(); strings.Contains(logs, "stood up") || strings.Contains(logs, "kit@") || strings.Contains(logs, form.Get("t")) {
			t.Errorf("the log holds private data:\n%s", logs)
		}
	})
}

func TestReplyKeepsTextOnError(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		_, d := b.prompted("lee@example.org")
		link := b.links.ReplyURL(d)
		nonce := nonceIn(t, b.get(pathOf(t, link)).body)
		long := strings.Repeat("I keep thinking about it. ", steady.MaxReplyLength/26+1)
		tests := []struct {
			name, nonce, body string
			status            int
		}{
			{"empty", nonce, "", http.StatusBadRequest},
			{"only spaces", nonce, " \n\t ", http.StatusBadRequest},
			{"oversized", nonce, long, http.StatusRequestEntityTooLarge},
			{"no nonce", "", "NO. I felt alone.", http.StatusBadRequest},
			{"bad nonce", "xyz", "NO. I felt alone.", http.StatusBadRequest},
		}
		before := b.counts()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := b.postForm("/reply", url.Values{"t": {tokenOf(t, link)}, "nonce": {tt.nonce}, "reply": {tt.body}})
				if res.status != tt.status {
					t.Fatalf("status %d, want %d", res.status, tt.status)
				}
				if !strings.Contains(res.body, `<textarea`) || !strings.Contains(res.body, html.EscapeString(tt.body)) {
					t.Errorf("the text was not kept:\n%.2000s", res.body)
				}
				if !strings.Contains(res.body, `role="alert"`) {
					t.Errorf("no error message shown")
				}
				nonceIn(t, res.body) // the form can be sent again
			})
		}
		b.unchanged(before)
	})
}

func TestReplyRefusesBadTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub, d := b.prompted("max@example.org")
		token := tokenOf(t, b.links.ReplyURL(d))
		confirms, err := db.Deliveries(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, token string
			status      int
		}{
			{"no token", "", http.StatusBadRequest},
			{"tampered", tamper(token), http.StatusBadRequest},
			{"a confirm token", tokenOf(t, b.links.ConfirmURL(sub)), http.StatusBadRequest},
			{"names a confirmation, not a prompt", b.links.Token(links.PurposeReply, confirms[0].ID), http.StatusBadRequest},
			{"unknown delivery", b.links.Token(links.PurposeReply, 999999), http.StatusNotFound},
		}
		const text = "NO. Still thinking."
		before := b.counts()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if res := b.get("/reply?t=" + url.QueryEscape(tt.token)); res.status != tt.status {
					t.Errorf("GET: %d, want %d", res.status, tt.status)
				}
				res := b.postForm("/reply", url.Values{"t": {tt.token}, "nonce": {strings.Repeat("ab", 16)}, "reply": {text}})
				if res.status != tt.status {
					t.Errorf("POST: %d, want %d", res.status, tt.status)
				}
				if !strings.Contains(res.body, text) {
					t.Errorf("the text was not shown back")
				}
			})
		}
		t.Run("expired", func(t *testing.T) {
			b.clock.Advance(links.ReplyTTL + 2*time.Hour)
			if res := b.get("/reply?t=" + token); res.status != http.StatusGone {
				t.Errorf("GET: %d, want 410", res.status)
			}
			res := b.postForm("/reply", url.Values{"t": {token}, "nonce": {strings.Repeat("cd", 16)}, "reply": {text}})
			if res.status != http.StatusGone || !strings.Contains(res.body, text) {
				t.Errorf("POST: %d, want 410 with the text shown back", res.status)
			}
		})
		b.unchanged(before)
	})
}

func TestReplyAfterUnsubscribe(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub, d := b.prompted("ned@example.org")
		link := b.links.ReplyURL(d)
		nonce := nonceIn(t, b.get(pathOf(t, link)).body)
		if res := b.postForm("/unsubscribe", url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(sub))}}); res.status != http.StatusOK {
			t.Fatalf("unsubscribe: %d", res.status)
		}
		before := b.counts()
		if res := b.get(pathOf(t, link)); res.status != http.StatusGone {
			t.Errorf("GET: %d, want 410", res.status)
		}
		res := b.postForm("/reply", url.Values{"t": {tokenOf(t, link)}, "nonce": {nonce}, "reply": {"YES"}})
		if res.status != http.StatusGone {
			t.Errorf("POST: %d, want 410", res.status)
		}
		b.unchanged(before)
	})
}

// A reply with NUL bytes and invalid UTF-8 is thanked for and stored
// cleaned on both databases; one with nothing left once cleaned is the
// usual "empty" answer with the text kept, never a 500.
func TestReplyCleansBadBytes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub, d := b.prompted("nul@example.org")
		link := b.links.ReplyURL(d)
		nonce := nonceIn(t, b.get(pathOf(t, link)).body)
		form := url.Values{"t": {tokenOf(t, link)}, "nonce": {nonce}, "reply": {"  YES\x00 he \xff\xfeheard me.\x00\n"}}
		res := b.postForm("/reply", form)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Thank you") {
			t.Fatalf("POST: %d\n%.2000s", res.status, res.body)
		}
		rs, err := db.Replies(context.Background(), sub.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("Replies = %+v, %v", rs, err)
		}
		if want := "YES he \uFFFDheard me."; rs[0].Body != want || rs[0].SourceID != "web:"+nonce || rs[0].DeliveryID != d.ID {
			t.Errorf("stored %+v, want body %q", rs[0], want)
		}

		before := b.counts()
		empty := url.Values{"t": {tokenOf(t, link)}, "nonce": {nonceIn(t, b.get(pathOf(t, link)).body)}, "reply": {" \x00 \x00 "}}
		if res := b.postForm("/reply", empty); res.status != http.StatusBadRequest || !strings.Contains(res.body, "empty") ||
			!strings.Contains(res.body, "<textarea") {
			t.Errorf("only NULs: %d\n%.2000s", res.status, res.body)
		}
		b.unchanged(before)
	})
}
