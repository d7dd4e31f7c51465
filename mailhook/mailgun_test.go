package mailhook_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

const mgToken = "c0ffee5b9ac33c8e2b1b6e4d1cd0ad0a5e7c5bd5c3f0a8e5a1"

// mailgunSign adds Mailgun's signature fields: hex HMAC-SHA256 of
// timestamp + token under the signing key.
func mailgunSign(v url.Values, key string, at time.Time, token string) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(ts + token))
	v.Set("timestamp", ts)
	v.Set("token", token)
	v.Set("signature", hex.EncodeToString(mac.Sum(nil)))
}

// mailgunParsed is what a Mailgun route posts for a reply when the URL
// does not end in "mime": the parsed message (see Mailgun's "Receiving
// messages via HTTP through a forward() action").
func (b *bundle) mailgunParsed(r reply) url.Values {
	to := cmpOr(r.to, b.links.ReplyAddress(b.prompt))
	from := "Alex Example <" + cmpOr(r.from, subAddress) + ">"
	mid := "<" + b.links.MessageID(b.prompt) + ">"
	headers := [][]string{
		{"Received", "from mail.example.net by mxa.mailgun.org with ESMTP id 65f1; Mon, 02 Mar 2026 10:00:01 +0000"},
		{"Mime-Version", "1.0"},
		{"From", from},
		{"To", to},
		{"Subject", "Re: Today's reflection — honesty"},
		{"Date", "Mon, 2 Mar 2026 10:00:00 +0000"},
		{"Message-Id", "<reply-1@mail.example.net>"},
		{"In-Reply-To", mid},
		{"References", mid},
		{"Content-Type", "multipart/alternative; boundary=\"000000000000a1b2c3\""},
		{"X-Mailgun-Spf", "Pass"},
		{"X-Mailgun-Dkim-Check-Result", "Pass"},
	}
	mh, _ := json.Marshal(headers)
	quoted := "\n\nOn Mon, 2 Mar 2026 at 09:00, Steady <steady@example.org> wrote:\n> Do you feel heard?\n"
	return url.Values{
		"recipient":          {to},
		"sender":             {cmpOr(r.from, subAddress)},
		"from":               {from},
		"subject":            {"Re: Today's reflection — honesty"},
		"body-plain":         {r.body + quoted},
		"stripped-text":      {r.body},
		"stripped-signature": {""},
		"body-html":          {"<div dir=\"ltr\">" + r.body + "</div><blockquote>Do you feel heard?</blockquote>"},
		"stripped-html":      {"<div dir=\"ltr\">" + r.body + "</div>"},
		"attachment-count":   {"0"},
		"message-headers":    {string(mh)},
		"From":               {from},
		"To":                 {to},
		"Subject":            {"Re: Today's reflection — honesty"},
		"Message-Id":         {"<reply-1@mail.example.net>"},
		"In-Reply-To":        {mid},
		"References":         {mid},
		"X-Mailgun-Spf":      {"Pass"},
	}
}

// multipartBody writes v (and one attachment, as Mailgun sends files) as
// multipart/form-data.
func multipartBody(t *testing.T, v url.Values, attachment bool) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	// In a fixed order, so a test that cuts the body cuts the same part
	// every run (a map's order made one flaky).
	for _, k := range slices.Sorted(maps.Keys(v)) {
		for _, s := range v[k] {
			if err := w.WriteField(k, s); err != nil {
				t.Fatal(err)
			}
		}
	}
	if attachment {
		f, err := w.CreateFormFile("attachment-1", "notes.txt")
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("an attachment"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), buf.Bytes()
}

func (b *bundle) postMailgun(path string, v url.Values, multi bool) response {
	b.t.Helper()
	if multi {
		ct, body := multipartBody(b.t, v, true)
		return b.post(path, ct, body, "", "")
	}
	return b.post(path, "application/x-www-form-urlencoded", []byte(v.Encode()), "", "")
}

func TestMailgunStoresAReplyOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		path  string
		multi bool
		form  func(b *bundle) url.Values
	}{
		{"parsed, urlencoded", "/inbound/mailgun", false, func(b *bundle) url.Values {
			return b.mailgunParsed(reply{body: "I felt heard today " + secretWords})
		}},
		{"parsed, multipart with an attachment", "/inbound/mailgun", true, func(b *bundle) url.Values {
			return b.mailgunParsed(reply{body: "I felt heard today " + secretWords})
		}},
		{"raw MIME", "/inbound/mailgun/mime", true, func(b *bundle) url.Values {
			return url.Values{
				"recipient": {b.links.ReplyAddress(b.prompt)}, "sender": {subAddress},
				"from": {"Alex Example <" + subAddress + ">"}, "subject": {"Re: Today's reflection"},
				"body-mime": {b.raw(reply{body: "I felt heard today " + secretWords + "\n\n> Do you feel heard?\n"})},
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				b := setup(t, db)
				v := tc.form(b)
				mailgunSign(v, mailgunKey, t0.Add(-30*time.Second), mgToken)
				if res := b.postMailgun(tc.path, v, tc.multi); res.status != http.StatusOK || strings.TrimSpace(res.body) != "stored" {
					t.Fatalf("got %d %q, want 200 stored", res.status, res.body)
				}
				rs := b.wantReplies(1)
				if want := "I felt heard today " + secretWords; rs[0].Body != want {
					t.Errorf("stored %q, want %q", rs[0].Body, want)
				}
				// Mailgun's own retry, or someone replaying the request.
				if res := b.postMailgun(tc.path, v, tc.multi); res.status != http.StatusNotAcceptable {
					t.Errorf("replayed request: got %d %q, want 406", res.status, res.body)
				}
				// The same message under a fresh token (a second delivery
				// of one email) is still one reply: the Message-ID is the key.
				mailgunSign(v, mailgunKey, t0, strings.Repeat("a", 50))
				if res := b.postMailgun(tc.path, v, tc.multi); res.status != http.StatusOK || strings.TrimSpace(res.body) != "duplicate" {
					t.Errorf("same message, new token: got %d %q, want 200 duplicate", res.status, res.body)
				}
				b.wantReplies(1)
			})
		})
	}
}

func TestMailgunRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		good := func() url.Values { return b.mailgunParsed(reply{body: "Yes " + secretWords}) }
		for _, tc := range []struct {
			name   string
			form   func() url.Values
			status int
		}{
			{"no signature", good, http.StatusForbidden},
			{"signed with another key", func() url.Values {
				v := good()
				mailgunSign(v, "key-not-the-real-one-0000000000", t0, mgToken)
				return v
			}, http.StatusForbidden},
			{"signature of another token", func() url.Values {
				v := good()
				mailgunSign(v, mailgunKey, t0, mgToken)
				v.Set("token", strings.Repeat("b", 50))
				return v
			}, http.StatusForbidden},
			{"stale timestamp", func() url.Values {
				v := good()
				mailgunSign(v, mailgunKey, t0.Add(-10*time.Hour), mgToken)
				return v
			}, http.StatusNotAcceptable},
			{"timestamp in the future", func() url.Values {
				v := good()
				mailgunSign(v, mailgunKey, t0.Add(10*time.Minute), mgToken)
				return v
			}, http.StatusNotAcceptable},
			{"signed but no message", func() url.Values {
				v := url.Values{"recipient": {b.links.ReplyAddress(b.prompt)}}
				mailgunSign(v, mailgunKey, t0, mgToken)
				return v
			}, http.StatusBadRequest},
			{"signed but message-headers is not JSON", func() url.Values {
				v := good()
				v.Set("message-headers", "[[\"From\"")
				mailgunSign(v, mailgunKey, t0, mgToken)
				return v
			}, http.StatusBadRequest},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if res := b.postMailgun("/inbound/mailgun", tc.form(), false); res.status != tc.status {
					t.Errorf("got %d %q, want %d", res.status, res.body, tc.status)
				}
				b.wantReplies(0)
			})
		}
		t.Run("not a form", func(t *testing.T) {
			if res := b.post("/inbound/mailgun", "application/json", []byte(`{"a":1}`), "", ""); res.status != http.StatusUnsupportedMediaType {
				t.Errorf("got %d, want 415", res.status)
			}
		})
		t.Run("too large", func(t *testing.T) {
			v := good()
			v.Set("body-plain", strings.Repeat("x", 2<<20))
			mailgunSign(v, mailgunKey, t0, mgToken)
			if res := b.postMailgun("/inbound/mailgun", v, false); res.status != http.StatusRequestEntityTooLarge {
				t.Errorf("got %d, want 413", res.status)
			}
		})
		b.wantReplies(0)
		// None of the refusals spent the token: the genuine request with it
		// is still filed.
		v := good()
		mailgunSign(v, mailgunKey, t0, mgToken)
		if res := b.postMailgun("/inbound/mailgun", v, false); res.status != http.StatusOK {
			t.Fatalf("genuine request after the refusals: got %d %q", res.status, res.body)
		}
		b.wantReplies(1)
	})
}

// A passing failure answers 503 and leaves the token unspent, so Mailgun's
// retry (same token, same signature, minutes later) is filed.
func TestMailgunRetryAfterATemporaryFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		b.fault.fails = 1
		v := b.mailgunParsed(reply{body: "Retried " + secretWords})
		mailgunSign(v, mailgunKey, t0, mgToken)
		if res := b.postMailgun("/inbound/mailgun", v, false); res.status != http.StatusServiceUnavailable {
			t.Fatalf("got %d %q, want 503", res.status, res.body)
		}
		b.wantReplies(0)
		b.clock.Advance(10 * time.Minute) // Mailgun's first retry
		if res := b.postMailgun("/inbound/mailgun", v, false); res.status != http.StatusOK {
			t.Fatalf("retry: got %d %q, want 200", res.status, res.body)
		}
		b.wantReplies(1)
	})
}

// A reply without the token address, with a From header naming the
// subscriber, In-Reply-To naming their prompt and an Authentication-Results
// line claiming the trusted server passed it, is what anyone can write: it
// must not be filed as the subscriber's reply.
func TestMailgunForgedFromIsNotStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		forged := reply{
			to:    "steady@example.org",
			body:  "Forged " + secretWords,
			extra: "Authentication-Results: " + trustedAuthServ + "; spf=pass smtp.mailfrom=example.net; dkim=pass header.d=example.net; dmarc=pass header.from=example.net\r\n",
		}
		v := url.Values{"recipient": {"steady@example.org"}, "body-mime": {b.raw(forged)}}
		mailgunSign(v, mailgunKey, t0, mgToken)
		res := b.postMailgun("/inbound/mailgun/mime", v, true)
		if res.status != http.StatusOK {
			t.Fatalf("got %d %q, want 200 (held or dropped, not refused)", res.status, res.body)
		}
		if strings.TrimSpace(res.body) == "stored" {
			t.Errorf("a forged reply was stored")
		}
		b.wantReplies(0)
	})
}
