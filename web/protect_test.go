package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// withBaseURL gives the server links under base (the public URL it is
// configured with) while the test still reaches it on its local address.
func withBaseURL(t *testing.T, base string) option {
	return func(c *web.Config) {
		l, err := links.New(base, "steady@example.org", secret, c.Clock)
		if err != nil {
			t.Fatal(err)
		}
		c.Links = l
	}
}

// headers are request headers a browser (or not) adds.
type headers map[string]string

func (b *bundle) postWith(path string, h headers, contentType, body string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.url+path, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	return b.do(req)
}

const formType = "application/x-www-form-urlencoded"

var (
	crossSite   = headers{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	sameSite    = headers{"Sec-Fetch-Site": "same-site", "Origin": "https://www.steady.example"}
	evilOrigin  = headers{"Origin": "https://evil.example"} // a browser from before Sec-Fetch-Site
	sameOrigin  = headers{"Sec-Fetch-Site": "same-origin"}
	typedByUser = headers{"Sec-Fetch-Site": "none"}
)

// A browser on another site cannot make the sign-up form act: a POST
// marked cross-site (or same-site: another subdomain), or from an Origin
// that is not this one, is refused with 403 and stores nothing. The same
// form from this site, or from something that is not a browser (no
// Sec-Fetch-Site, no Origin), works.
func TestCrossSiteSubscribeIsRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		form := func(addr string) string {
			return url.Values{"email": {addr}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}}.Encode()
		}
		for name, h := range map[string]headers{"cross-site": crossSite, "same-site": sameSite, "other origin": evilOrigin} {
			before := b.counts()
			res := b.postWith("/subscribe", h, formType, form("victim@example.org"))
			if res.status != http.StatusForbidden || !strings.Contains(res.body, "another website") {
				t.Errorf("%s: %d, want 403 saying it came from another website:\n%s", name, res.status, res.body)
			}
			if res.header.Get("Content-Security-Policy") == "" {
				t.Errorf("%s: the refusal lacks the security headers", name)
			}
			b.unchanged(before)
		}
		if b.wakes.Load() != 0 {
			t.Errorf("a refused sign-up woke the sender %d times", b.wakes.Load())
		}
		for i, h := range []headers{sameOrigin, typedByUser, {"Origin": b.url}, {}} {
			addr := []string{"same@example.org", "typed@example.org", "origin@example.org", "script@example.org"}[i]
			if res := b.postWith("/subscribe", h, formType, form(addr)); res.status != http.StatusOK {
				t.Errorf("headers %v: %d, want 200:\n%s", h, res.status, res.body)
			}
			b.subscriber(addr) // stored
		}
	})
}

// Confirm, the unsubscribe button and the reply form refuse a cross-site
// POST that would otherwise have worked, and change nothing; the same
// POST from this site then works.
func TestCrossSiteTokenFormsAreRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		ctx := context.Background()

		pending := b.subscribe("pat@example.org")
		confirm := url.Values{"t": {tokenOf(t, b.links.ConfirmURL(pending))}}.Encode()
		if res := b.postWith("/confirm", crossSite, formType, confirm); res.status != http.StatusForbidden {
			t.Errorf("cross-site confirm: %d", res.status)
		}
		if got := b.subscriber("pat@example.org"); got.Status != steady.StatusPending {
			t.Errorf("after a cross-site confirm: %s", got.Status)
		}
		if res := b.postWith("/confirm", sameOrigin, formType, confirm); res.status != http.StatusOK {
			t.Errorf("confirm: %d", res.status)
		}

		sub, d := b.prompted("ria@example.org")
		link := b.links.ReplyURL(d)
		reply := url.Values{"t": {tokenOf(t, link)}, "nonce": {nonceIn(t, b.get(pathOf(t, link)).body)}, "reply": {"NO, not this week."}}.Encode()
		if res := b.postWith("/reply", crossSite, formType, reply); res.status != http.StatusForbidden {
			t.Errorf("cross-site reply: %d", res.status)
		}
		if rs, _ := db.Replies(ctx, sub.ID); len(rs) != 0 {
			t.Errorf("a cross-site reply stored %d replies", len(rs))
		}
		if res := b.postWith("/reply", sameOrigin, formType, reply); res.status != http.StatusOK {
			t.Errorf("reply: %d", res.status)
		}

		button := url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(sub))}}.Encode()
		if res := b.postWith("/unsubscribe", evilOrigin, formType, button); res.status != http.StatusForbidden {
			t.Errorf("unsubscribe from another origin: %d", res.status)
		}
		if got := b.subscriber("ria@example.org"); got.Status != steady.StatusActive {
			t.Errorf("after a cross-site unsubscribe: %s", got.Status)
		}
		if res := b.postWith("/unsubscribe", sameOrigin, formType, button); res.status != http.StatusOK {
			t.Errorf("unsubscribe: %d", res.status)
		}
	})
}

// RFC 8058: a mail provider's one-click unsubscribe comes from its servers,
// without Sec-Fetch-Site or Origin, and must keep working.
func TestOneClickUnsubscribeFromAMailServerWorks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.confirmed("gmail-user@example.org")
		res := b.postWith(pathOf(t, b.links.UnsubscribeURL(sub)), headers{"User-Agent": "GoogleOneClickUnsubscribe"},
			formType, "List-Unsubscribe=One-Click")
		if res.status != http.StatusOK {
			t.Fatalf("one-click: %d\n%s", res.status, res.body)
		}
		if got := b.subscriber("gmail-user@example.org"); got.Status != steady.StatusUnsubscribed {
			t.Errorf("after one-click: %s", got.Status)
		}
	})
}

// The JSON API is for other sites' servers and is left to its own guard:
// it reads only application/json, a type no browser sends to another site
// without a CORS preflight, which Steady never grants. So the form a
// cross-site page can send gets 415 and stores nothing, while a server's
// JSON request is served whatever headers it forwards.
func TestCrossSiteAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		before := b.counts()
		for _, ct := range []string{formType, "text/plain", "multipart/form-data; boundary=x"} {
			body := `{"email":"victim@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`
			if res := b.postWith("/api/subscriptions", crossSite, ct, body); res.status != http.StatusUnsupportedMediaType {
				t.Errorf("cross-site %s: %d, want 415", ct, res.status)
			}
		}
		b.unchanged(before)
		if res := b.postWith("/api/subscriptions", crossSite, "application/json",
			`{"email":"partner@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`); res.status != http.StatusAccepted {
			t.Errorf("JSON from a partner's server: %d", res.status)
		}
		if res := b.get("/"); res.status != http.StatusOK {
			t.Errorf("GET /: %d", res.status)
		}
	})
}

// The keyed API under /api/v1/ answers a cross-site request itself (in
// its JSON shape, refusing it without a key) rather than with the web
// pages' HTML 403.
func TestKeyedAPIIsNotCrossOriginChecked(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	reached := false
	b := setup(t, db, func(c *web.Config) {
		c.Extra = map[string]http.Handler{"POST /api/v1/subscribers": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reached = true
			w.WriteHeader(http.StatusUnauthorized)
		})}
	})
	if res := b.postWith("/api/v1/subscribers", crossSite, "application/json", "{}"); res.status != http.StatusUnauthorized || !reached {
		t.Errorf("cross-site POST to the keyed API: %d, reached the API %v", res.status, reached)
	}
	if res := b.postWith("/subscribe", crossSite, formType, "email=x%40example.org"); res.status != http.StatusForbidden {
		t.Errorf("cross-site form still refused? %d", res.status)
	}
}

// Twilio's webhooks are checked by their signature, not by the browser's
// headers, so a signed webhook is served whatever those say.
func TestTwilioWebhooksAreNotCrossOriginChecked(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	b := setup(t, db, withSMS(db))
	v := url.Values{"MessageSid": {"SMin-cross-origin"}, "AccountSid": {twiliotest.AccountSID}, "From": {phone},
		"To": {"+15005550006"}, "Body": {"HELP"}, "NumMedia": {"0"}}
	h := headers{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example",
		"X-Twilio-Signature": twiliotest.Sign(twiliotest.AuthToken, b.url+"/twilio/sms", v)}
	if res := b.postWith("/twilio/sms", h, formType, v.Encode()); res.status != http.StatusOK {
		t.Errorf("signed webhook with cross-site headers: %d\n%s", res.status, res.body)
	}
}

// With an https base URL every answer carries HSTS, a refusal and a 404
// included; with an http one, none does. An Origin equal to the base URL
// is this site even when the Host header is not (behind a proxy).
func TestHSTS(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		plain := setup(t, db)
		secure := setup(t, db, withBaseURL(t, "https://steady.example"))
		get := func(b *bundle, path string) response { return b.get(path) }
		answers := map[string]func(*bundle) response{
			"GET /":        func(b *bundle) response { return get(b, "/") },
			"GET /healthz": func(b *bundle) response { return get(b, "/healthz") },
			"404":          func(b *bundle) response { return get(b, "/nowhere") },
			"static":       func(b *bundle) response { return get(b, "/static/app.js") },
			"refused":      func(b *bundle) response { return b.postWith("/subscribe", crossSite, formType, "") },
		}
		for name, answer := range answers {
			if got := answer(secure).header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
				t.Errorf("https base, %s: Strict-Transport-Security %q, want max-age=31536000", name, got)
			}
			if got, ok := answer(plain).header["Strict-Transport-Security"]; ok {
				t.Errorf("http base, %s: Strict-Transport-Security %q, want none", name, got)
			}
		}
		form := url.Values{"email": {"proxied@example.org"}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}}.Encode()
		if res := secure.postWith("/subscribe", headers{"Origin": "https://steady.example"}, formType, form); res.status != http.StatusOK {
			t.Errorf("Origin = the base URL, Host another: %d", res.status)
		}
	})
}
