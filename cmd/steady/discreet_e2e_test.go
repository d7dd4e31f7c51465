package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Renamed with --program-name (and a --from without a display name),
// every email and page names the new programme and none says Steady; the
// From display name follows the name; every page has Leave quickly.
func TestProgramNameEverywhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mail := smtptest.Start(t)
		r := startApp(t, db, steady.NewManualClock(time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)), map[string]string{
			"STEADY_SMTP_URL": mail.URL(), "STEADY_FROM": "steady@example.org", "STEADY_PROGRAM_NAME": "Harbor",
			"STEADY_SECRET": e2eSecret,
		}, "--leave-url", "https://weather.example/today")
		ctx := context.Background()
		lk, err := links.New(r.baseURL, "steady@example.org", []byte(e2eSecret), r.clock)
		if err != nil {
			t.Fatal(err)
		}
		resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"email":"sam@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("subscribe: %d %s", resp.StatusCode, readAll(t, resp))
		}
		confirm := parseMail(t, mail.WaitMessages(t, 1, 10*time.Second)[0])
		if from := confirm.header.Get("From"); from != `"Harbor" <steady@example.org>` {
			t.Errorf("From %q, want the programme's name", from)
		}
		confirmURL := findLink(t, confirm.text, r.baseURL+"/confirm")
		if resp := postForm(t, r.baseURL+"/confirm", url.Values{"t": {mustQuery(t, confirmURL, "t")}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm: %d", resp.StatusCode)
		}
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "sam@example.org")
		if err != nil {
			t.Fatal(err)
		}
		r.clock.Set(sub.NextSlot.Add(time.Minute))
		if n, err := r.app.scheduler.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("tick: %d %v", n, err)
		}
		prompt := parseMail(t, mail.WaitMessages(t, 2, 10*time.Second)[1])
		replyURL := findLink(t, prompt.text, r.baseURL+"/reply")
		for name, m := range map[string]parsedMail{"confirmation": confirm, "prompt": prompt} {
			for part, s := range map[string]string{"subject": m.subject, "text": m.text, "html": m.html} {
				if strings.Contains(s, "Steady") {
					t.Errorf("the %s's %s says Steady:\n%s", name, part, s)
				}
			}
			if !strings.Contains(m.text, "Harbor") {
				t.Errorf("the %s does not name Harbor:\n%s", name, m.text)
			}
		}

		// Every page a subscriber can GET: the sign-up page, Staying safe,
		// the link pages, the past-words page, an error page.
		pages := []string{r.baseURL + "/", r.baseURL + "/safety", confirmURL, replyURL,
			lk.ResurfaceOffURL(sub), lk.UnsubscribeURL(sub), r.baseURL + "/no-such-page"}
		for _, u := range pages {
			resp := get(t, u)
			body := readAll(t, resp)
			path := strings.SplitN(strings.TrimPrefix(u, r.baseURL), "?", 2)[0]
			if !strings.Contains(body, `<a class="leave-quickly" id="leave-quickly" href="https://weather.example/today" rel="noreferrer" aria-label="`) ||
				!strings.Contains(body, `<script src="/static/leave.js" defer></script>`) {
				t.Errorf("GET %s (%d) has no Leave quickly button:\n%s", path, resp.StatusCode, body)
			}
			if strings.Contains(body, "Steady") {
				t.Errorf("GET %s says Steady:\n%s", path, body)
			}
		}
		if resp := get(t, r.baseURL+"/static/leave.js"); resp.StatusCode != http.StatusOK ||
			!strings.Contains(readAll(t, resp), "location.replace(") {
			t.Error("leave.js is not served, or does not replace the page")
		}
	})
}

const e2eSecret = "discreet-e2e-secret-0123456789abcdef"

var replyLinkRE = regexp.MustCompile(`^Your check-in is ready: (http://[^ ]+/reply\?t=[a-z0-9]+)$`)

// A text sign-up is discreet by default: its confirmation, HELP and
// prompts say nothing about relationships, and the prompt is only the
// neutral line and the reply page's link.
func TestEndToEndDiscreetSMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r, tw := startServeSMS(t, db, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
		ctx := context.Background()
		sms := func(body, sid string) string {
			v := url.Values{"MessageSid": {sid}, "AccountSid": {twiliotest.AccountSID}, "From": {"+447400123456"},
				"To": {"+15005550006"}, "Body": {body}}
			req, _ := http.NewRequest(http.MethodPost, r.baseURL+"/twilio/sms", strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", twiliotest.Sign(twiliotest.AuthToken, r.baseURL+"/twilio/sms", v))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return readAll(t, resp)
		}
		if answer := sms("START", "SMdisc1"); strings.Contains(answer, "relationship") || strings.Contains(answer, "reflection") {
			t.Errorf("START answer: %s", answer)
		}
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, "+447400123456")
		if err != nil || !sub.Discreet {
			t.Fatalf("after START: %+v %v", sub, err)
		}
		if answer := sms("YES", "SMdisc2"); !strings.Contains(answer, "subscribed") {
			t.Fatalf("YES: %s", answer)
		}
		if answer := sms("HELP", "SMdisc3"); strings.Contains(answer, "relationship") || !strings.Contains(answer, "check-ins by text") {
			t.Errorf("HELP: %s", answer)
		}
		sub, _ = db.Subscriber(ctx, sub.ID)
		r.clock.Set(sub.NextSlot.Add(time.Minute))
		if n, err := r.app.scheduler.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("tick: %d %v", n, err)
		}
		eventually(t, "the prompt reaches Twilio", func() bool {
			for _, m := range tw.Sent() {
				if strings.Contains(m.Form.Get("Body"), "/reply?t=") {
					return true
				}
			}
			return false
		})
		for _, m := range tw.Sent() {
			body := m.Form.Get("Body")
			if strings.Contains(body, "relationship") || strings.Contains(body, "reflection") || strings.Contains(body, "partner") {
				t.Errorf("a text says too much: %q", body)
			}
			if strings.Contains(body, "/reply?t=") && !replyLinkRE.MatchString(body) {
				t.Errorf("prompt %q is not just the neutral line and the link", body)
			}
		}
	})
}
