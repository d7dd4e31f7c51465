package main

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// previewPassword is the outbox password of the tests that force preview mode.
const previewPassword = "correct-horse-battery-staple"

// serveBriefly runs `steady serve` as the binary would, but gives up after
// a few seconds: a serve that should have refused to start would otherwise
// run for ever.
func serveBriefly(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	all := map[string]string{"STEADY_DATABASE_URL": filepath.Join(t.TempDir(), "steady.db")}
	for k, v := range vars {
		all[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out, errOut lockedBuffer
	e := env{
		getenv: func(k string) string { return all[k] },
		stdout: &out, stderr: &errOut,
		clock: steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)),
	}
	err = run(ctx, e, append([]string{"serve"}, args...))
	if strings.Contains(out.String(), "Steady is running") {
		t.Errorf("serve started:\n%s", out.String())
	}
	return out.String(), errOut.String(), err
}

// getAs fetches u with a Host header and, when user is set, Basic auth.
func getAs(t *testing.T, u, host, user, password string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// (a) With no SMTP server, a server only this machine can reach (listener
// and base URL on loopback, as `go run ./cmd/steady serve` is) keeps every
// email in the outbox and shows it without a password, but only to
// requests addressed to this machine: a page elsewhere that rebinds its
// own name to 127.0.0.1 gets nothing.
func TestOutboxOnThisMachine(t *testing.T) {
	t.Parallel()
	r := startApp(t, storetest.SQLite(t), steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), nil)
	if !strings.Contains(r.stdout.String(), r.baseURL+"/outbox") {
		t.Errorf("serve does not say where the outbox is:\n%s", r.stdout)
	}
	resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
		`{"email":"kim@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("subscribe: %d %s", resp.StatusCode, readAll(t, resp))
	}
	var list string
	eventually(t, "the confirmation reaches the outbox", func() bool {
		resp := get(t, r.baseURL+"/outbox")
		list = readAll(t, resp)
		return resp.StatusCode == http.StatusOK && strings.Contains(list, "kim@example.org")
	})
	msg := regexp.MustCompile(`/outbox/[0-9]+`).FindString(list)
	if msg == "" {
		t.Fatalf("no message link in the outbox:\n%s", list)
	}
	for _, host := range []string{"localhost", "127.0.0.1:8080", "[::1]:8080"} {
		if resp := getAs(t, r.listenURL+msg, host, "", ""); resp.StatusCode != http.StatusOK {
			t.Errorf("Host %s: %d, want 200", host, resp.StatusCode)
		}
	}
	for _, host := range []string{"rebind.attacker.example", "steady.example.org:8080", "127.0.0.1.nip.io"} {
		for _, path := range []string{"/outbox", msg} {
			resp := getAs(t, r.listenURL+path, host, "", "")
			if body := readAll(t, resp); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "kim@example.org") {
				t.Errorf("Host %s %s: %d, want 403 and no message", host, path, resp.StatusCode)
			}
		}
	}
}

// (b) With no SMTP server, a server others can reach refuses to start
// (exit status 2) and names the setting to add, and the alternative.
func TestServeRefusesAnOutboxOthersCanReach(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"listening everywhere", nil, []string{"--addr", "0.0.0.0:0"}},
		{"listening everywhere, IPv6", nil, []string{"--addr", "[::]:0"}},
		{"behind a reverse proxy", map[string]string{"STEADY_BASE_URL": "https://steady.example.org"}, []string{"--addr", "127.0.0.1:0"}},
		{"public base URL over http", nil, []string{"--addr", "127.0.0.1:0", "--base-url", "http://steady.example.org:8080"}},
		{"preview turned off", map[string]string{"STEADY_PREVIEW": "false"}, []string{"--addr", "0.0.0.0:0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := serveBriefly(t, c.vars, c.args...)
			if exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want a usage error", err, exitCode(err))
			}
			for _, want := range []string{"STEADY_SMTP_URL", "--preview", "STEADY_PREVIEW_PASSWORD"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the refusal does not name %s: %v", want, err)
				}
			}
		})
	}
}

// (c) --preview puts the outbox on a server others can reach, and then
// only behind the password in STEADY_PREVIEW_PASSWORD, which is never
// logged.
func TestPreviewOffThisMachineNeedsAPassword(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, password, want string
	}{
		{"no password", "", "STEADY_PREVIEW_PASSWORD"},
		{"short password", "hunter2", "12 characters"},
	} {
		vars := map[string]string{"STEADY_BASE_URL": "https://steady.example.org", "STEADY_PREVIEW_PASSWORD": c.password}
		_, _, err := serveBriefly(t, vars, "--addr", "127.0.0.1:0", "--preview")
		if exitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v (exit %d), want a usage error naming %q", c.name, err, exitCode(err), c.want)
		}
		if c.password != "" && strings.Contains(err.Error(), c.password) {
			t.Errorf("%s: the refusal shows the password: %v", c.name, err)
		}
	}

	r := startApp(t, storetest.SQLite(t), steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)),
		map[string]string{"STEADY_BASE_URL": "https://steady.example.org", "STEADY_PREVIEW_PASSWORD": previewPassword,
			"STEADY_SECRET": "3c9e1a7f5b2d8c4e6a0f9b1d3e5c7a8f"}, "--preview") // a server needs its own secret
	// Sign up through the listener, so the outbox has a message to guard.
	resp := post(t, r.listenURL+"/api/subscriptions", "application/json",
		`{"email":"kim@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("subscribe: %d %s", resp.StatusCode, readAll(t, resp))
	}
	var list string
	eventually(t, "the confirmation reaches the outbox", func() bool {
		resp := getAs(t, r.listenURL+"/outbox", "steady.example.org", "anyone", previewPassword)
		list = readAll(t, resp)
		return resp.StatusCode == http.StatusOK && strings.Contains(list, "kim@example.org")
	})
	msg := regexp.MustCompile(`/outbox/[0-9]+`).FindString(list)
	if msg == "" {
		t.Fatalf("no message link in the outbox:\n%s", list)
	}
	for _, path := range []string{"/outbox", msg} {
		for _, c := range []struct {
			user, password string
		}{{"", ""}, {"anyone", "wrong-password-entirely"}, {"anyone", previewPassword + "x"}, {"anyone", ""}} {
			resp := getAs(t, r.listenURL+path, "steady.example.org", c.user, c.password)
			body := readAll(t, resp)
			if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") ||
				strings.Contains(body, "kim@example.org") {
				t.Errorf("%s as %q/%q: %d, WWW-Authenticate %q; want 401 with a Basic challenge and no message",
					path, c.user, c.password, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
		}
		// Any user name; the password even from this machine's own name.
		for _, host := range []string{"steady.example.org", "localhost"} {
			if resp := getAs(t, r.listenURL+path, host, "steady", previewPassword); resp.StatusCode != http.StatusOK {
				t.Errorf("%s with the password, Host %s: %d, want 200", path, host, resp.StatusCode)
			}
		}
	}
	if resp := getAs(t, r.listenURL+"/outbox", "localhost", "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a password-protected outbox answered %d to this machine without the password", resp.StatusCode)
	}
	for name, out := range map[string]string{"log": r.logs.String(), "stdout": r.stdout.String()} {
		if strings.Contains(out, previewPassword) {
			t.Errorf("the %s contains the preview password:\n%s", name, out)
		}
	}
}

// (d) With Twilio and no SMTP server there is no outbox: sign-up is by
// phone number only, and an email address is refused with a clear
// message, on the API and the form, storing nothing.
func TestSMSOnlyHasNoOutboxAndRefusesEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r, tw := startServeSMS(t, db, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
		ctx := context.Background()
		for _, path := range []string{"/outbox", "/outbox/1"} {
			if resp := get(t, r.baseURL+path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
		}
		page := readAll(t, get(t, r.baseURL+"/"))
		if strings.Contains(page, `name="email"`) || !strings.Contains(page, `name="phone"`) {
			t.Errorf("the subscribe page offers email, or no phone number")
		}

		for _, body := range []string{
			`{"email":"kim@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`,
			`{"email":"kim@example.org","phone":"07400 123456","timezone":"Europe/London","cadence":"daily","time":"20:30"}`,
		} {
			resp := post(t, r.baseURL+"/api/subscriptions", "application/json", body)
			answer := readAll(t, resp)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(answer, `"field":"email"`) || !strings.Contains(answer, "phone number") {
				t.Errorf("API email sign-up %s: %d %s; want 400 on field email saying sign-up is by phone number", body, resp.StatusCode, answer)
			}
		}
		resp := postForm(t, r.baseURL+"/subscribe", url.Values{"email": {"kim@example.org"}, "timezone": {"Europe/London"},
			"cadence": {"daily"}, "time": {"20:30"}})
		if form := readAll(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(form, "signs up by phone number") {
			t.Errorf("form email sign-up: %d, want 400 saying sign-up is by phone number:\n%s", resp.StatusCode, form)
		}
		if subs, err := db.ListSubscribers(ctx); err != nil || len(subs) != 0 {
			t.Fatalf("an email sign-up was stored: %+v, %v", subs, err)
		}
		if n := len(tw.Requests()); n != 0 {
			t.Errorf("%d requests reached Twilio after email sign-ups, want 0", n)
		}

		resp = post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"phone":"07400 123456","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("phone sign-up: %d %s", resp.StatusCode, readAll(t, resp))
		}
		eventually(t, "the opt-in text reaches Twilio", func() bool { return len(tw.Sent()) == 1 })
		if sub, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, "+447400123456"); err != nil || sub.Status != steady.StatusPending {
			t.Errorf("phone subscriber: %+v, %v", sub, err)
		}
		if !strings.Contains(r.stdout.String(), "phone number") {
			t.Errorf("serve does not say sign-up is by phone number only:\n%s", r.stdout)
		}
	})
}

// Email subscribers left from before Twilio replaced SMTP would have every
// prompt fail without a word: serve says so at start-up.
func TestSMSOnlyWarnsOfActiveEmailSubscribers(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: "kept@example.org", TimeZone: "UTC",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20},
		Consent:  steady.Consent{Method: "web", Wording: "Send me prompts"}, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, now,
		func(steady.Subscriber) (time.Time, error) { return now.Add(8 * time.Hour), nil }); err != nil {
		t.Fatal(err)
	}
	r, _ := startServeSMS(t, db, now)
	if logs := r.logs.String(); !strings.Contains(logs, "email subscribers are active but no SMTP server is configured") ||
		!strings.Contains(logs, "email_subscribers=1") {
		t.Errorf("no warning about the email subscriber:\n%s", logs)
	}
}
