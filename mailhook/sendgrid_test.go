package mailhook_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// sendgridForm is what Inbound Parse posts (multipart/form-data): the raw
// message as email when "POST the raw, full MIME message" is checked,
// otherwise headers, text, html and charsets.
func (b *bundle) sendgridForm(r reply, raw bool) url.Values {
	to := cmpOr(r.to, b.links.ReplyAddress(b.prompt))
	v := url.Values{
		"to":         {to},
		"from":       {"Alex Example <" + cmpOr(r.from, subAddress) + ">"},
		"subject":    {"Re: Today's reflection"},
		"envelope":   {`{"to":["` + to + `"],"from":"` + cmpOr(r.from, subAddress) + `"}`},
		"SPF":        {"pass"},
		"dkim":       {"{@example.net : pass}"},
		"sender_ip":  {"209.85.160.180"},
		"spam_score": {"0.1"},
	}
	if raw {
		v.Set("email", b.raw(r))
		return v
	}
	whole := b.raw(r)
	head, _, _ := strings.Cut(whole, "\r\n\r\n")
	// The original was multipart; SendGrid reports its header as it was.
	head = strings.Replace(head, "Content-Type: text/plain; charset=utf-8", "Content-Type: multipart/alternative;\r\n boundary=\"0000000000001\"", 1)
	v.Set("headers", "Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn Mon, 02 Mar 2026 10:00:01 +0000 (UTC)\r\n"+head+"\r\n")
	// The text in ISO-8859-1, as charsets says.
	latin := strings.ReplaceAll(r.body, "é", "\xe9")
	v.Set("text", latin+"\n\nOn Mon, 2 Mar 2026, Steady wrote:\n> Do you feel heard?\n")
	v.Set("html", "<p>"+r.body+"</p>")
	v.Set("charsets", `{"to":"UTF-8","html":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"iso-8859-1"}`)
	return v
}

func (b *bundle) postSendGrid(v url.Values, user, password string) response {
	b.t.Helper()
	ct, body := multipartBody(b.t, v, false)
	return b.post("/inbound/sendgrid", ct, body, user, password)
}

func TestSendGridStoresAReplyOnce(t *testing.T) {
	for _, raw := range []bool{false, true} {
		name := map[bool]string{false: "parsed", true: "raw MIME"}[raw]
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				b := setup(t, db)
				v := b.sendgridForm(reply{body: "Café talk helped " + secretWords}, raw)
				for i, want := range []string{"stored", "duplicate"} {
					res := b.postSendGrid(v, sendgridUser, sendgridPassword)
					if res.status != http.StatusOK || strings.TrimSpace(res.body) != want {
						t.Fatalf("post %d: got %d %q, want 200 %s", i+1, res.status, res.body, want)
					}
				}
				rs := b.wantReplies(1)
				if want := "Café talk helped " + secretWords; rs[0].Body != want {
					t.Errorf("stored %q, want %q", rs[0].Body, want)
				}
			})
		})
	}
}

// The token address in the envelope alone (the To header lost it, as with
// a Bcc) still files the reply.
func TestSendGridEnvelopeRecipient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		v := b.sendgridForm(reply{to: "undisclosed-recipients:;", body: "Bcc'd " + secretWords}, true)
		v.Set("envelope", `{"to":["`+b.links.ReplyAddress(b.prompt)+`"],"from":"`+subAddress+`"}`)
		if res := b.postSendGrid(v, sendgridUser, sendgridPassword); res.status != http.StatusOK || strings.TrimSpace(res.body) != "stored" {
			t.Fatalf("got %d %q, want 200 stored", res.status, res.body)
		}
		b.wantReplies(1)
	})
}

func TestSendGridRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		good := b.sendgridForm(reply{body: "Yes " + secretWords}, true)
		for _, tc := range []struct {
			name, user, password string
			form                 url.Values
			status               int
		}{
			{"no credentials", "", "", good, http.StatusUnauthorized},
			{"wrong password", sendgridUser, "guessed-password-000", good, http.StatusUnauthorized},
			{"Postmark's password", postmarkUser, postmarkPassword, good, http.StatusUnauthorized},
			{"no message", sendgridUser, sendgridPassword, url.Values{"to": {"x@example.org"}}, http.StatusBadRequest},
			{"envelope not JSON", sendgridUser, sendgridPassword, url.Values{"email": good["email"], "envelope": {"{to:"}}, http.StatusBadRequest},
			{"charsets not JSON", sendgridUser, sendgridPassword, url.Values{"headers": {"From: a@example.net"}, "text": {"hi"}, "charsets": {"{"}}, http.StatusBadRequest},
			{"too large", sendgridUser, sendgridPassword, url.Values{"email": {strings.Repeat("x", 2<<20)}}, http.StatusRequestEntityTooLarge},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if res := b.postSendGrid(tc.form, tc.user, tc.password); res.status != tc.status {
					t.Errorf("got %d %q, want %d", res.status, res.body, tc.status)
				}
				b.wantReplies(0)
			})
		}
		t.Run("a truncated multipart body", func(t *testing.T) {
			// Cut everywhere, part headers included: a cut inside a part's
			// header used to read as a shorter whole form and was stored.
			ct, body := multipartBody(t, good, false)
			for n := 1; n < len(body)-8; n += 23 {
				if res := b.post("/inbound/sendgrid", ct, body[:n], sendgridUser, sendgridPassword); res.status != http.StatusBadRequest {
					t.Errorf("cut at %d of %d: got %d %q, want 400", n, len(body), res.status, res.body)
				}
			}
		})
		b.wantReplies(0)
	})
}

func TestSendGridForgedFromIsNotStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		forged := reply{to: "steady@example.org", body: "Forged " + secretWords,
			extra: "Authentication-Results: " + trustedAuthServ + "; dkim=pass header.d=example.net; dmarc=pass header.from=example.net\r\n"}
		for _, raw := range []bool{true, false} {
			v := b.sendgridForm(forged, raw)
			v.Set("envelope", `{"to":["steady@example.org"],"from":"`+subAddress+`"}`)
			if res := b.postSendGrid(v, sendgridUser, sendgridPassword); res.status != http.StatusOK || strings.TrimSpace(res.body) == "stored" {
				t.Errorf("raw %v: got %d %q, want 200 and not stored", raw, res.status, res.body)
			}
		}
		b.wantReplies(0)
	})
}
