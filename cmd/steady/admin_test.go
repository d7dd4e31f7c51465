package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/admin"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// hashPassword runs `steady admin hash-password` with stdin.
func hashPassword(t *testing.T, stdin string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{getenv: func(string) string { return "" }, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		clock: steady.NewManualClock(time.Now())}
	err := run(context.Background(), e, []string{"admin", "hash-password"})
	return out.String(), errOut.String(), err
}

func TestAdminHashPassword(t *testing.T) {
	t.Parallel()
	out, _, err := hashPassword(t, "a good long password\n")
	if err != nil {
		t.Fatal(err)
	}
	hash := strings.TrimSpace(out)
	ops, err := admin.ParseOperators("sam:" + hash)
	if err != nil || !ops[0].Check("a good long password") || ops[0].Check("a good long password\n") {
		t.Fatalf("the printed hash %q does not check: %v", hash, err)
	}
	if _, _, err := hashPassword(t, "short\n"); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("a short password: %v", err)
	}
	if _, stderr, err := hashPassword(t, ""); err == nil || strings.Contains(stderr, "Password:") {
		t.Errorf("empty stdin: %v; a pipe is not prompted: %q", err, stderr)
	}
}

func TestAdminUsersAreChecked(t *testing.T) {
	t.Parallel()
	_, _, err := runCLI(t, map[string]string{"STEADY_ADMIN_USERS": "sam:$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$TOPSECRETHASHxx"},
		"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "steady.db"))
	if err == nil || !strings.Contains(err.Error(), "STEADY_ADMIN_USERS entry 1") || strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("a bad entry: %v", err)
	}
}

// TestConsoleInTheProgram: `steady serve` mounts the console behind its
// login, behind the web server's cross-origin check, with the settings
// page masking secrets.
func TestConsoleInTheProgram(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		hash, err := admin.HashPassword("console password")
		if err != nil {
			t.Fatal(err)
		}
		mail := smtptest.Start(t).URL()
		r := startApp(t, db, steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), map[string]string{
			"STEADY_SMTP_URL": mail, "STEADY_FROM": "Steady <steady@example.org>",
			"STEADY_ADMIN_USERS": "sam:" + hash, "TWILIO_AUTH_TOKEN": "",
		})
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar}
		resp, err := hc.Get(r.baseURL + "/admin")
		if err != nil {
			t.Fatal(err)
		}
		page := readAll(t, resp)
		if resp.Request.URL.Path != "/admin/login" || !strings.Contains(page, `name="password"`) {
			t.Fatalf("/admin without a session ended at %s", resp.Request.URL)
		}
		// A sign-in posted from another site is refused before it is read.
		req, _ := http.NewRequest(http.MethodPost, r.baseURL+"/admin/login", strings.NewReader(url.Values{"name": {"sam"}, "password": {"console password"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if resp, err := hc.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site login: %v %v", resp.StatusCode, err)
		}
		resp, err = hc.PostForm(r.baseURL+"/admin/login", url.Values{"name": {"sam"}, "password": {"console password"}})
		if err != nil {
			t.Fatal(err)
		}
		if page := readAll(t, resp); resp.Request.URL.Path != "/admin" || !strings.Contains(page, "Prompts per day") {
			t.Fatalf("after login at %s: %.500s", resp.Request.URL, page)
		}
		resp, err = hc.Get(r.baseURL + "/admin/config")
		if err != nil {
			t.Fatal(err)
		}
		page = readAll(t, resp)
		for _, want := range []string{"STEADY_ADMIN_USERS</th><td>1 operator(s)", "STEADY_SECRET</th><td>not set", "STEADY_SMTP_URL", "STEADY_ADMIN_SHOW_REPLIES</th><td>false"} {
			if !strings.Contains(page, want) {
				t.Errorf("config page lacks %q", want)
			}
		}
		if strings.Contains(page, hash) || regexp.MustCompile(`\$argon2id\$`).MatchString(page) {
			t.Error("the config page shows a hash")
		}
		if resp.Header.Get("Content-Security-Policy") == "" {
			t.Error("the console is not behind the web server's headers")
		}
	})
}

// consoleClient signs in to the console of r as sam (password pw).
func consoleClient(t *testing.T, r *running, pw string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	resp, err := hc.PostForm(r.baseURL+"/admin/login", url.Values{"name": {"sam"}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	if readAll(t, resp); resp.Request.URL.Path != "/admin" {
		t.Fatalf("login ended at %s", resp.Request.URL)
	}
	return hc
}

var consoleCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestConsoleReleasesHeldMailThroughTheInbox: "release" files a held
// message through serve's own inbox processor: a reply to a prompt is
// stored and no longer held; one that still matches nobody stays held.
func TestConsoleReleasesHeldMailThroughTheInbox(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	hash, err := admin.HashPassword("console password")
	if err != nil {
		t.Fatal(err)
	}
	clock := steady.NewManualClock(time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
	smtp := smtptest.Start(t)
	r := startApp(t, db, clock, map[string]string{
		"STEADY_SMTP_URL": smtp.URL(), "STEADY_FROM": "Steady <steady@example.org>",
		"STEADY_POSTMARK_INBOUND_PASSWORD": testPostmarkPassword, "STEADY_ADMIN_USERS": "sam:" + hash,
	})
	sub := activePrompted(t, r, "jo@example.net")
	prompt := parseMail(t, smtp.WaitMessages(t, 2, 10*time.Second)[1])
	replyTo, err := mail.ParseAddress(prompt.header.Get("Reply-To"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hold := func(to, id, body string) int64 {
		raw := "From: Jo <jo@example.net>\r\nTo: " + to + "\r\nSubject: Re: " + prompt.subject + "\r\nMessage-ID: <" + id +
			"@mail.example.net>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
		hid, _, err := db.HoldInbound(ctx, store.HeldMessage{ReceivedAt: clock.Now(), Source: "postmark", Reason: "unmatched", Raw: []byte(raw)})
		if err != nil {
			t.Fatal(err)
		}
		return hid
	}
	matching := hold(replyTo.Address, "m1", "We walked and talked.")
	stranger := hold("nobody@example.org", "m2", "Who is this?")

	hc := consoleClient(t, r, "console password")
	release := func(id int64) string {
		resp, err := hc.Get(r.baseURL + "/admin/held")
		if err != nil {
			t.Fatal(err)
		}
		m := consoleCSRF.FindStringSubmatch(readAll(t, resp))
		if m == nil {
			t.Fatal("no form token on the held page")
		}
		resp, err = hc.PostForm(r.baseURL+"/admin/held/"+strconv.FormatInt(id, 10)+"/release", url.Values{"csrf": {m[1]}})
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		return resp.Request.URL.RawQuery
	}
	if got := release(stranger); got != "done=still-held" {
		t.Errorf("releasing mail that matches nobody: %q", got)
	}
	if _, err := db.HeldMessage(ctx, stranger); err != nil {
		t.Errorf("it is no longer held: %v", err)
	}
	if got := release(matching); got != "done=released" {
		t.Errorf("releasing a reply: %q", got)
	}
	if _, err := db.HeldMessage(ctx, matching); err == nil {
		t.Error("the filed reply is still held")
	}
	replies, err := db.Replies(ctx, sub.ID)
	if err != nil || len(replies) != 1 || !strings.Contains(replies[0].Body, "We walked and talked.") {
		t.Errorf("replies after release: %+v %v", replies, err)
	}
}
