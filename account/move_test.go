package account_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/scheduler"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/themes"
	"github.com/steadyapp/steady/web"
)

// moveBundle is the real web server with SMS, the abuse limits and the
// settings page mounted as cmd/steady mounts them (with the sign-up's
// address rules), the real scheduler and dispatcher sending to the
// preview outbox, all on one manual clock.
type moveBundle struct {
	*bundle
	dispatch *scheduler.Dispatcher
}

func moveSetup(t *testing.T, db *store.DB, policy abuse.Policy) *moveBundle {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	b := &bundle{t: t, db: db, clock: steady.NewManualClock(start), url: base}
	l, err := links.New(base, "steady@example.org", secret, b.clock)
	if err != nil {
		t.Fatal(err)
	}
	b.links = l
	keyer, err := abuse.NewKeyer([]byte("move-test-abuse-key-0123456789ab"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := web.Config{Store: db, Links: l, Clock: b.clock,
		SMS: &web.SMSConfig{Store: db, AuthToken: twiliotest.AuthToken, BaseURL: base,
			Phones: phones.Rules{DefaultRegion: "GB", Countries: []string{"GB", "US"}}},
		Limits: &web.Limits{Store: db, Keyer: keyer, Policy: policy}}
	acct, err := account.New(account.Config{Store: db, Links: l, Clock: b.clock, Addresses: web.NewAddressRules(cfg),
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Extra = map[string]http.Handler{"/settings": acct.Handler(), "/settings/": acct.Handler()}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.handler = &swappable{h: srv.Handler()}
	ts.Config.Handler = b.handler
	ts.Start()
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	b.client = &http.Client{Jar: jar}
	if b.sched, err = scheduler.New(scheduler.Config{Store: db, Catalog: themes.Default(), Clock: b.clock}); err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	b.compose = &templates.Composer{Set: set, Links: l}
	d, err := scheduler.NewDispatcher(scheduler.DispatcherConfig{Store: db, Sender: messages.NewPreviewSender(db, b.clock),
		Composer: b.compose, Clock: b.clock})
	if err != nil {
		t.Fatal(err)
	}
	return &moveBundle{bundle: b, dispatch: d}
}

// send runs the real dispatcher on everything due.
func (b *moveBundle) send() {
	b.t.Helper()
	if _, err := b.dispatch.RunOnce(context.Background()); err != nil {
		b.t.Fatal(err)
	}
}

// sentTo are the messages the dispatcher sent to address, oldest first.
func (b *moveBundle) sentTo(address string) []steady.PreviewMessage {
	b.t.Helper()
	all, err := b.db.Previews(context.Background(), 1000)
	if err != nil {
		b.t.Fatal(err)
	}
	var out []steady.PreviewMessage
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].To == address {
			out = append(out, all[i])
		}
	}
	return out
}

// text posts an inbound SMS signed as Twilio signs it.
func (b *moveBundle) text(from, body string) response {
	b.t.Helper()
	v := url.Values{"MessageSid": {fmt.Sprintf("SMmove%028d", sidCount.Add(1))}, "AccountSid": {twiliotest.AccountSID}, "From": {from},
		"To": {"+15005550006"}, "Body": {body}, "NumMedia": {"0"}}
	req, err := http.NewRequest(http.MethodPost, b.url+"/twilio/sms", strings.NewReader(v.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(twiliotest.AuthToken, b.url+"/twilio/sms", v))
	return b.do(req)
}

var sidCount atomic.Int64 // the tests run in parallel

// openSettings opens the subscriber's settings from a fresh link and
// returns the page's session value.
func (b *moveBundle) openSettings(sub steady.Subscriber) string {
	b.t.Helper()
	page := b.get(b.links.SettingsURL(sub))
	if page.status != http.StatusOK || !strings.Contains(page.body, "Where prompts come") {
		b.t.Fatalf("settings page: %d\n%s", page.status, page.body)
	}
	return session(b.t, page.body)
}

// reflect stores a reply of the subscriber's, to check it stays theirs.
func (b *moveBundle) reflect(sub steady.Subscriber, body string) {
	b.t.Helper()
	if _, _, err := b.db.RecordReply(context.Background(), steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelWeb,
		Body: body, ReceivedAt: b.clock.Now(), SourceID: "move-test-" + body}); err != nil {
		b.t.Fatal(err)
	}
}

var moveLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/settings/move\?t=[a-z2-7]+`)

const newPhone = "+447400123456"

// Email to phone: the text asking for YES goes to the new number, the old
// address keeps getting prompts until the YES; then prompts go to the
// number, the subscriber is the same (their reflection stays), the consent
// records name the move, and one notice goes to the number.
func TestMoveEmailToPhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := moveSetup(t, db, abuse.Defaults)
		sub := b.active("mover@example.com")
		b.send() // the sign-up's own confirmation
		old := len(b.sentTo(sub.Address))
		b.reflect(sub, "we talked on the walk")
		s := b.openSettings(sub)
		res := b.post("/settings/move", url.Values{"s": {s}, "phone": {"07400 123456"}})
		if res.status != http.StatusOK || !strings.Contains(res.body, "We sent a confirmation to the new number") {
			t.Fatalf("move request: %d %q", res.status, errorsIn(res.body))
		}
		b.send()
		got := b.sentTo(newPhone)
		if len(got) != 1 || got[0].Channel != steady.ChannelSMS || !strings.Contains(got[0].Text, "Reply YES to confirm") {
			t.Fatalf("to the new number: %+v", got)
		}
		if len(b.sentTo(sub.Address)) != old {
			t.Error("the move's confirmation went to the old address")
		}
		// Until the YES, prompts still come by email.
		b.clock.Set(sub.NextSlot)
		b.tick()
		b.send()
		if n := len(b.sentTo(sub.Address)) - old; n != 1 {
			t.Fatalf("%d prompts to the old address before the YES, want 1", n)
		}
		if cur := b.subscriber(sub.ID); cur.Channel != steady.ChannelEmail || cur.Address != sub.Address {
			t.Fatalf("moved before the YES: %+v", cur)
		}

		yes := b.text(newPhone, "YES")
		if !strings.Contains(yes.body, "your prompts come to this number") {
			t.Fatalf("YES answered: %s", yes.body)
		}
		moved := b.subscriber(sub.ID)
		if moved.Channel != steady.ChannelSMS || moved.Address != newPhone || moved.Status != steady.StatusActive {
			t.Fatalf("after YES: %+v", moved)
		}
		b.clock.Advance(time.Minute)
		b.send()
		notes := b.sentTo(newPhone)
		if len(notes) != 2 || !strings.Contains(notes[1].Text, "settings saved") {
			t.Errorf("notice to the new number: %+v", notes)
		}
		// The next prompt goes to the number, nothing more to the email.
		b.clock.Set(moved.NextSlot)
		b.tick()
		b.send()
		if n := len(b.sentTo(sub.Address)) - old; n != 1 {
			t.Errorf("%d messages to the old address, want only the one prompt before the move", n)
		}
		if n := len(b.sentTo(newPhone)); n != 3 {
			t.Errorf("%d messages to the new number, want 3 (confirmation, notice, prompt)", n)
		}
		rs, err := db.Replies(context.Background(), sub.ID)
		if err != nil || len(rs) != 1 {
			t.Errorf("reflections after the move: %d, %v", len(rs), err)
		}
		cs, err := db.Consents(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		var moves []steady.ConsentAction
		for _, c := range cs {
			if strings.Contains(c.Wording, "Move to a new phone number") {
				moves = append(moves, c.Action)
			}
		}
		if fmt.Sprint(moves) != "[requested confirmed]" {
			t.Errorf("consent records of the move: %v", moves)
		}
		// A second YES changes nothing and confirms nothing.
		if again := b.text(newPhone, "YES"); strings.Contains(again.body, "come to this number from now on") {
			t.Errorf("a second YES: %s", again.body)
		}
	})
}

// Phone to email: the confirmation email goes to the new address; its
// link shows a button (a GET changes nothing), the button moves; the link
// used twice does nothing more.
func TestMovePhoneToEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := moveSetup(t, db, abuse.Defaults)
		sub := b.activeOn(steady.ChannelSMS, newPhone)
		b.send() // the sign-up's own confirmation
		old := len(b.sentTo(newPhone))
		b.clock.Advance(time.Hour)
		b.reflect(sub, "a calm week")
		s := b.openSettings(sub)
		res := b.post("/settings/move", url.Values{"s": {s}, "email": {"  New.Address@Example.com "}})
		if res.status != http.StatusOK || !strings.Contains(res.body, "We sent a confirmation to the new email address") {
			t.Fatalf("move request: %d %q", res.status, errorsIn(res.body))
		}
		b.send()
		mails := b.sentTo("new.address@example.com")
		if len(mails) != 1 || mails[0].Channel != steady.ChannelEmail {
			t.Fatalf("to the new address: %+v", mails)
		}
		if len(b.sentTo(newPhone)) != old {
			t.Error("the move's confirmation went to the old number")
		}
		link := moveLinkRE.FindString(mails[0].Text)
		if link == "" || !strings.Contains(mails[0].HTML, link) {
			t.Fatalf("no move link in:\n%s", mails[0].Text)
		}
		page := b.get(link)
		if page.status != http.StatusOK || !strings.Contains(page.body, account.MoveConfirmWording) {
			t.Fatalf("move page: %d\n%s", page.status, page.body)
		}
		if cur := b.subscriber(sub.ID); cur.Channel != steady.ChannelSMS {
			t.Fatal("opening the link moved the subscriber")
		}
		done := b.post("/settings/move/confirm", url.Values{"s": {session(t, page.body)}})
		if done.status != http.StatusOK || !strings.Contains(done.body, "prompts now come here") {
			t.Fatalf("confirm: %d\n%s", done.status, done.body)
		}
		moved := b.subscriber(sub.ID)
		if moved.Channel != steady.ChannelEmail || moved.Address != "new.address@example.com" {
			t.Fatalf("after confirming: %+v", moved)
		}
		// Used twice: nothing more happens.
		again := b.get(link)
		if again.status != http.StatusGone || !strings.Contains(again.body, "used already") {
			t.Errorf("the link again: %d\n%s", again.status, again.body)
		}
		b.clock.Advance(time.Minute)
		b.send()
		b.clock.Set(moved.NextSlot)
		b.tick()
		b.send()
		if n := len(b.sentTo(newPhone)) - old; n != 0 {
			t.Errorf("%d messages to the old number after the move", n)
		}
		if n := len(b.sentTo(moved.Address)); n != 3 {
			t.Errorf("%d messages to the new address, want 3 (confirmation, notice, prompt)", n)
			for _, d := range b.allDeliveries(sub.ID) {
				t.Logf("%s %s %s %s %s", d.Kind, d.PromptID, d.Channel, d.Status, d.LastError)
			}
		}
		rs, err := db.Replies(context.Background(), sub.ID)
		if err != nil || len(rs) != 1 {
			t.Errorf("reflections after the move: %d, %v", len(rs), err)
		}
	})
}

// testWriter sends the settings page's log to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var errorRE = regexp.MustCompile(`class="(?:error|saved)"[^>]*>([^<]*)<`)

// errorsIn are the error and saved lines of a page.
func errorsIn(page string) []string {
	var out []string
	for _, m := range errorRE.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}
