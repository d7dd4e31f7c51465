package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

const outboxPassword = "a long preview password"

func TestLoopbackHost(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true,
		"": false, "0.0.0.0": false, "::": false, "192.0.2.7": false, "steady.example.org": false,
		"localhost.example.org": false, "127.0.0.1.nip.io": false, "::ffff:192.0.2.7": false,
	} {
		if got := web.LoopbackHost(host); got != want {
			t.Errorf("LoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// keep puts one message in the outbox and returns its path.
func (b *bundle) keep(subject string) string {
	b.t.Helper()
	id, err := b.db.SavePreview(context.Background(), steady.Message{Channel: steady.ChannelEmail, To: "ola@example.org",
		Subject: subject, Text: "private words"}, b.clock.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	return "/outbox/" + strconv.FormatInt(id, 10)
}

// getWith is get with a Host header and, when user is set, Basic auth.
func (b *bundle) getWith(path, host, user, password string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.url+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	if user != "" || password != "" {
		req.SetBasicAuth(user, password)
	}
	return b.do(req)
}

// Without a password the outbox is for this machine: a request addressed
// to another name (DNS rebinding) is refused.
func TestOutboxWithoutPasswordOnlyForThisMachine(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withPreview)
		msg := b.keep("Open to this machine")
		for _, path := range []string{"/outbox", msg} {
			for _, host := range []string{"", "localhost:8080", "127.0.0.1", "[::1]:8080"} {
				if res := b.getWith(path, host, "", ""); res.status != http.StatusOK {
					t.Errorf("%s, Host %q: %d, want 200", path, host, res.status)
				}
			}
			for _, host := range []string{"steady.example.org", "rebind.example:8080", "192.0.2.7:8080"} {
				res := b.getWith(path, host, "", "")
				if res.status != http.StatusForbidden || strings.Contains(res.body, "Open to this machine") || strings.Contains(res.body, "private words") {
					t.Errorf("%s, Host %q: %d, want 403 and no message", path, host, res.status)
				}
			}
		}
	})
}

// With a password, /outbox and /outbox/{id} need HTTP Basic auth with
// that password and any user name, from any host.
func TestOutboxPassword(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withPreview, func(c *web.Config) { c.PreviewPassword = outboxPassword })
		msg := b.keep("Behind the password")
		for _, path := range []string{"/outbox", msg} {
			for _, c := range []struct{ user, password string }{
				{"", ""}, {"steady", "wrong"}, {"steady", outboxPassword[:len(outboxPassword)-1]},
				{"steady", outboxPassword + " "}, {outboxPassword, ""},
			} {
				res := b.getWith(path, "localhost", c.user, c.password)
				if res.status != http.StatusUnauthorized || res.header.Get("WWW-Authenticate") != `Basic realm="Steady outbox", charset="UTF-8"` ||
					strings.Contains(res.body, "Behind the password") || !strings.Contains(res.body, "STEADY_PREVIEW_PASSWORD") {
					t.Errorf("%s as %q/%q: %d, WWW-Authenticate %q", path, c.user, c.password, res.status, res.header.Get("WWW-Authenticate"))
				}
			}
			for _, c := range []struct{ user, host string }{{"steady", "steady.example.org"}, {"", "localhost"}, {"anyone at all", "192.0.2.7"}} {
				if res := b.getWith(path, c.host, c.user, outboxPassword); res.status != http.StatusOK || !strings.Contains(res.body, "Behind the password") {
					t.Errorf("%s as %q from %s with the password: %d", path, c.user, c.host, res.status)
				}
			}
		}
		if logs := b.logs.String(); strings.Contains(logs, outboxPassword) || strings.Contains(logs, "level=ERROR") {
			t.Errorf("the log shows the password or an error:\n%s", logs)
		}
		// The password guards only the outbox.
		if res := b.get("/"); res.status != http.StatusOK {
			t.Errorf("subscribe page: %d", res.status)
		}
	})
}

func withSMSOnly(db *store.DB) option {
	return func(c *web.Config) {
		withSMS(db)(c)
		c.SMSOnly = true
	}
}

func TestSMSOnlyNeedsSMSAndNoPreview(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	b := setup(t, db)
	for name, cfg := range map[string]web.Config{
		"no SMS":      {Store: db, Links: b.links, Clock: b.clock, SMSOnly: true},
		"and preview": {Store: db, Links: b.links, Clock: b.clock, SMSOnly: true, Preview: true},
	} {
		if name == "and preview" {
			withSMS(db)(&cfg)
			cfg.SMS.BaseURL = b.url
		}
		if _, err := web.New(cfg); err == nil {
			t.Errorf("%s: web.New accepted SMSOnly", name)
		}
	}
}

// SMS-only: sign-up is by phone number; an email address is refused on
// the API (field "email") and on the form (shown on the page), and
// nothing is stored.
func TestSMSOnlyRefusesEmail(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMSOnly(db))
		page := b.get("/")
		for _, want := range []string{`name="phone"`, "Your mobile number", "signs up by phone number", html.EscapeString(web.SMSConsentWording("Steady"))} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the subscribe page lacks %q", want)
			}
		}
		for _, unwanted := range []string{`name="email"`, web.ConsentWording("Steady"), "email you a link"} {
			if strings.Contains(page.body, unwanted) {
				t.Errorf("the subscribe page shows %q", unwanted)
			}
		}
		for _, path := range []string{"/outbox", "/outbox/1"} {
			if res := b.get(path); res.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.status)
			}
		}

		before := b.counts()
		for name, c := range map[string]struct{ body, field string }{
			"email":           {`{"email":"ola@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`, "email"},
			"email and phone": {`{"email":"ola@example.org","phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`, "email"},
			"neither":         {`{"timezone":"Europe/London","cadence":"daily","time":"20:30"}`, "phone"},
		} {
			res := b.postJSON(c.body)
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, `"field":"`+c.field+`"`) || !strings.Contains(res.body, "signs up by phone number") {
				t.Errorf("%s: %d %s", name, res.status, res.body)
			}
		}
		res := b.postForm("/subscribe", url.Values{"email": {"ola@example.org"}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, `id="email-error" role="alert">This programme signs up by phone number only`) ||
			!strings.Contains(res.body, `aria-describedby="phone-hint email-error"`) || strings.Contains(res.body, `name="email"`) {
			t.Errorf("form: %d %s", res.status, res.body)
		}
		b.unchanged(before)
		if b.wakes.Load() != 0 {
			t.Errorf("the sender was woken %d times for refused sign-ups", b.wakes.Load())
		}

		// A phone number still signs up, through the API and the form.
		if res := b.postJSON(`{"phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`); res.status != http.StatusAccepted {
			t.Fatalf("phone sign-up: %d %s", res.status, res.body)
		}
		res = b.postForm("/subscribe", url.Values{"phone": {"+44 7400 654321"}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}})
		if res.status != http.StatusOK || !strings.Contains(res.body, "Check your phone") {
			t.Fatalf("phone sign-up by form: %d %s", res.status, res.body)
		}
		sub, err := db.SubscriberByAddress(context.Background(), steady.ChannelSMS, "+447400654321")
		if err != nil {
			t.Fatal(err)
		}
		cs, err := db.Consents(context.Background(), sub.ID)
		if err != nil || len(cs) != 1 || cs[0].Wording != web.SMSConsentWording("Steady") {
			t.Errorf("the form's consent record does not keep the words it showed: %+v, %v", cs, err)
		}
	})
}
