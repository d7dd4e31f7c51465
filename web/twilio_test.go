package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// A valid British mobile number, as typed and in E.164.
const (
	phoneTyped = "+44 7400 123456"
	phone      = "+447400123456"
)

func withSMS(db *store.DB) option {
	return func(c *web.Config) {
		c.SMS = &web.SMSConfig{
			Store:     db,
			AuthToken: twiliotest.AuthToken,
			Phones:    phones.Rules{DefaultRegion: "GB", Countries: []string{"GB", "US"}},
			HelpText:  "Questions? help@steady.example",
			ConfirmText: func(s steady.Subscriber) (string, error) {
				return "CONFIRMATION TEXT for " + s.Schedule.Describe(), nil
			},
		}
	}
}

// sidCounter numbers the fresh message sids of every test; the tests run
// in parallel, so it is atomic.
var sidCounter atomic.Int64

// text posts an inbound SMS from number, signed as Twilio signs it. An
// empty sid gets a fresh one.
func (b *bundle) text(from, body, sid string) response {
	b.t.Helper()
	if sid == "" {
		sid = fmt.Sprintf("SMin%030d", sidCounter.Add(1))
	}
	v := url.Values{"MessageSid": {sid}, "AccountSid": {twiliotest.AccountSID}, "From": {from},
		"To": {"+15005550006"}, "Body": {body}, "NumMedia": {"0"}}
	res := b.signed("/twilio/sms", v, twiliotest.AuthToken)
	checkAnswer(b.t, res.body)
	return res
}

var messageRE = regexp.MustCompile(`<Message>(.*)</Message>`)

// checkAnswer fails if a TwiML answer would take more than two segments
// or leave GSM-7 (every answer in every test passes through here).
func checkAnswer(t *testing.T, body string) {
	t.Helper()
	m := messageRE.FindStringSubmatch(body)
	if m == nil {
		return
	}
	text := html.UnescapeString(m[1])
	if enc, n := messages.Segments(text); n > 2 || enc != messages.GSM7 {
		t.Errorf("answer takes %d %s segments: %q", n, enc, text)
	}
}

func (b *bundle) signed(path string, v url.Values, token string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.url+path, strings.NewReader(v.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(token, b.url+path, v))
	return b.do(req)
}

func smsSubscriber(b *bundle) steady.Subscriber {
	b.t.Helper()
	sub, err := b.db.SubscriberByAddress(context.Background(), steady.ChannelSMS, phone)
	if err != nil {
		b.t.Fatal(err)
	}
	return sub
}

// smsActive signs phone up through the API and confirms it by texting YES.
func smsActive(b *bundle) steady.Subscriber {
	b.t.Helper()
	res := b.postJSON(`{"phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
	if res.status != http.StatusAccepted {
		b.t.Fatalf("subscribe: %d %s", res.status, res.body)
	}
	if res := b.text(phone, "YES", ""); res.status != http.StatusOK || !strings.Contains(res.body, "subscribed") {
		b.t.Fatalf("YES: %d %s", res.status, res.body)
	}
	return smsSubscriber(b)
}

// smsPrompted makes phone active and sends it one prompt, as the
// dispatcher would (claimed, then recorded sent with a Twilio SID).
func smsPrompted(b *bundle) (steady.Subscriber, steady.Delivery) {
	b.t.Helper()
	sub := smsActive(b)
	ctx := context.Background()
	// The confirmation queued at sign-up goes first.
	if ds := storetest.Claim(b.t, b.db, b.clock.Now()); len(ds) != 1 {
		b.t.Fatalf("claim confirmation: %v", ds)
	} else if err := b.db.FinishDelivery(ctx, ds[0], store.Outcome{Status: steady.DeliverySent, ProviderID: "SMconfirm", Now: b.clock.Now()}); err != nil {
		b.t.Fatal(err)
	}
	b.clock.Set(sub.NextSlot)
	if _, err := b.db.ClaimDue(ctx, sub.NextSlot, 10, func(s steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
		return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: s.Channel, Slot: s.NextSlot,
			PromptID: "support-1", Theme: "support", PromptText: promptText}, s.NextSlot.Add(24 * time.Hour), nil
	}); err != nil {
		b.t.Fatal(err)
	}
	ds := storetest.Claim(b.t, b.db, sub.NextSlot)
	if len(ds) != 1 || ds[0].Kind != steady.KindPrompt {
		b.t.Fatalf("claim prompt: %v", ds)
	}
	if err := b.db.FinishDelivery(ctx, ds[0], store.Outcome{Status: steady.DeliverySent, ProviderID: "SMprompt1", Now: sub.NextSlot}); err != nil {
		b.t.Fatal(err)
	}
	return smsSubscriber(b), ds[0].Delivery
}

// noLeaks fails if the log holds the full number or a text's body.
func noLeaks(b *bundle, bodies ...string) {
	b.t.Helper()
	logs := b.logs.String()
	if strings.Contains(logs, phone) || strings.Contains(logs, "7400123456") {
		b.t.Errorf("a phone number was logged:\n%s", logs)
	}
	for _, body := range bodies {
		if strings.Contains(logs, body) {
			b.t.Errorf("a message body was logged:\n%s", logs)
		}
	}
}

func TestTwilioWebhookSignature(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		smsActive(b)
		before := b.counts()
		v := url.Values{"MessageSid": {"SMforged"}, "From": {phone}, "To": {"+15005550006"}, "Body": {"STOP"}}
		good := twiliotest.Sign(twiliotest.AuthToken, b.url+"/twilio/sms", v)
		tampered := url.Values{"MessageSid": {"SMforged"}, "From": {phone}, "To": {"+15005550006"}, "Body": {"START"}}
		for name, sig := range map[string]string{
			"missing":          "",
			"garbage":          "bm90IGEgc2lnbmF0dXJl",
			"wrong auth token": twiliotest.Sign("fedcba9876543210fedcba9876543210", b.url+"/twilio/sms", v),
			"another URL":      twiliotest.Sign(twiliotest.AuthToken, "https://elsewhere.example/twilio/sms", v),
			"for another body": twiliotest.Sign(twiliotest.AuthToken, b.url+"/twilio/sms", tampered),
			"status URL's":     twiliotest.Sign(twiliotest.AuthToken, b.url+"/twilio/status", v),
			"valid but reused": good, // posted with tampered params below
		} {
			params := v
			if name == "valid but reused" {
				params = tampered
			}
			req, _ := http.NewRequest(http.MethodPost, b.url+"/twilio/sms", strings.NewReader(params.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if sig != "" {
				req.Header.Set("X-Twilio-Signature", sig)
			}
			if res := b.do(req); res.status != http.StatusForbidden {
				t.Errorf("%s: %d %s", name, res.status, res.body)
			}
		}
		for _, path := range []string{"/twilio/status"} {
			req, _ := http.NewRequest(http.MethodPost, b.url+path, strings.NewReader("MessageSid=SMprompt1&MessageStatus=failed"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if res := b.do(req); res.status != http.StatusForbidden {
				t.Errorf("%s unsigned: %d", path, res.status)
			}
		}
		b.unchanged(before)
		if s := smsSubscriber(b); s.Status != steady.StatusActive {
			t.Errorf("a forged STOP changed the subscriber: %s", s.Status)
		}
		noLeaks(b)
	})
}

func TestSMSSignUpAndYes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		res := b.postJSON(`{"phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
		if res.status != http.StatusAccepted || !strings.Contains(res.body, "Reply YES") {
			t.Fatalf("%d %s", res.status, res.body)
		}
		sub := smsSubscriber(b)
		if sub.Status != steady.StatusPending || sub.Channel != steady.ChannelSMS {
			t.Fatalf("%+v", sub)
		}
		ds, _ := b.db.Deliveries(context.Background(), sub.ID)
		if len(ds) != 1 || ds[0].Kind != steady.KindConfirm || ds[0].Channel != steady.ChannelSMS {
			t.Fatalf("deliveries %+v", ds)
		}
		// A text that is not YES does not activate.
		if res := b.text(phone, "hello?", ""); !strings.Contains(res.body, "reply YES to confirm") {
			t.Errorf("pending text: %s", res.body)
		}
		if s := smsSubscriber(b); s.Status != steady.StatusPending {
			t.Fatalf("activated by a plain text: %s", s.Status)
		}
		res = b.text(phone, " yes ", "")
		if !strings.Contains(res.body, "<Message>Steady: you&#39;re subscribed") || res.header.Get("Content-Type") != "text/xml; charset=utf-8" {
			t.Fatalf("YES answer: %s %v", res.body, res.header)
		}
		if s := smsSubscriber(b); s.Status != steady.StatusActive || s.NextSlot.IsZero() {
			t.Fatalf("after YES: %+v", s)
		}
		cs, _ := b.db.Consents(context.Background(), sub.ID)
		if len(cs) != 2 || cs[0].Wording != web.APIConsentWording(steady.ChannelSMS) || cs[0].Method != "api" ||
			cs[1].Method != "sms" || cs[1].Wording != `Replied "yes" by SMS to: CONFIRMATION TEXT for every day at 20:30` {
			t.Errorf("consents %+v", cs)
		}
		noLeaks(b, "hello?")
	})
}

func TestSubscribeByPhoneBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		before := b.counts()
		for name, body := range map[string]string{
			"invalid number":       `{"phone":"+44 7700 900123","timezone":"Europe/London","cadence":"daily","time":"20:30"}`,
			"not a number":         `{"phone":"call me","timezone":"Europe/London","cadence":"daily","time":"20:30"}`,
			"disallowed country":   `{"phone":"+33 6 12 34 56 78","timezone":"Europe/Paris","cadence":"daily","time":"20:30"}`,
			"email and phone both": `{"email":"a@example.org","phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`,
		} {
			res := b.postJSON(body)
			want := http.StatusBadRequest
			if name == "disallowed country" {
				want = http.StatusUnprocessableEntity // a real number, from a country not served
			}
			if res.status != want || !strings.Contains(res.body, `"phone"`) {
				t.Errorf("%s: %d %s", name, res.status, res.body)
			}
		}
		// The form keeps what was typed and says what is wrong.
		res := b.postForm("/subscribe", url.Values{"phone": {"+33 6 12 34 56 78"}, "timezone": {"Europe/Paris"}, "cadence": {"daily"}, "time": {"20:30"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "only be sent to numbers in the United Kingdom or the United States") || !strings.Contains(res.body, `value="&#43;33 6 12 34 56 78"`) {
			t.Errorf("form: %d %s", res.status, res.body)
		}
		b.unchanged(before)

		off := setup(t, db) // SMS not configured
		if res := off.postJSON(`{"phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`); res.status != http.StatusBadRequest || !strings.Contains(res.body, "not available") {
			t.Errorf("SMS off: %d %s", res.status, res.body)
		}
		if res := off.post("/twilio/sms", "application/x-www-form-urlencoded", "From=%2B1"); res.status != http.StatusNotFound {
			t.Errorf("webhook with SMS off: %d", res.status)
		}
		b.unchanged(before)
	})
}

func TestSMSReplyReplayedStoresOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		sub, prompt := smsPrompted(b)
		b.clock.Advance(time.Hour)
		for range 3 {
			if res := b.text(phone, "  Yes, she stood by me at dinner.  ", "SMreply0000000000000000000000001"); res.status != http.StatusOK {
				t.Fatalf("%d %s", res.status, res.body)
			}
		}
		rs, _ := b.db.Replies(context.Background(), sub.ID)
		if len(rs) != 1 || rs[0].DeliveryID != prompt.ID || rs[0].Body != "Yes, she stood by me at dinner." ||
			rs[0].Channel != steady.ChannelSMS || rs[0].SourceID != "twilio:SMreply0000000000000000000000001" {
			t.Fatalf("replies %+v", rs)
		}
		// Past the reply window, a text is an unprompted reflection.
		b.clock.Advance(8 * 24 * time.Hour)
		b.text(phone, "A better week.", "")
		rs, _ = b.db.Replies(context.Background(), sub.ID)
		if len(rs) != 2 || rs[1].DeliveryID != 0 {
			t.Fatalf("unprompted: %+v", rs)
		}
		noLeaks(b, "stood by me", "better week")
	})
}

func TestSMSStopThenDueSlotSendsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		sub, _ := smsPrompted(b)
		res := b.text(phone, "Stop", "SMstop")
		if !strings.Contains(res.body, "you are unsubscribed") {
			t.Fatalf("STOP answer %s", res.body)
		}
		before := b.counts()
		// Replayed: no second confirmation, nothing recorded.
		if res := b.text(phone, "Stop", "SMstop"); strings.Contains(res.body, "<Message>") {
			t.Errorf("replayed STOP answered again: %s", res.body)
		}
		b.unchanged(before)
		if s := smsSubscriber(b); s.Status != steady.StatusUnsubscribed {
			t.Fatalf("after STOP: %s", s.Status)
		}
		n, err := b.db.ClaimDue(context.Background(), sub.NextSlot.Add(48*time.Hour), 10, func(s steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
			t.Errorf("planned a prompt for subscriber %d", s.ID)
			return steady.Delivery{}, time.Time{}, fmt.Errorf("unexpected")
		})
		if err != nil || n != 0 {
			t.Errorf("claimed %d, %v", n, err)
		}
		// Every stop word works.
		for _, w := range []string{"STOPALL", "unsubscribe", "Cancel", "END", "quit", "OPTOUT", "revoke"} {
			smsResubscribe(b)
			if res := b.text(phone, w, ""); !strings.Contains(res.body, "you are unsubscribed") {
				t.Errorf("%s: %s", w, res.body)
			}
		}
	})
}

// smsResubscribe texts START, which rejoins an unsubscribed number at once.
func smsResubscribe(b *bundle) {
	b.t.Helper()
	b.clock.Advance(time.Minute)
	b.text(phone, "START", "")
	if s := smsSubscriber(b); s.Status != steady.StatusActive {
		b.t.Fatalf("after START: %s", s.Status)
	}
}

func TestSMSKeywords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		smsActive(b)
		for _, w := range []string{"HELP", "info"} {
			if res := b.text(phone, w, ""); !strings.Contains(res.body, "help@steady.example") || !strings.Contains(res.body, "Msg &amp; data rates may apply") {
				t.Errorf("%s: %s", w, res.body)
			}
		}
		if res := b.text(phone, "start", ""); !strings.Contains(res.body, "already subscribed") {
			t.Errorf("START while active: %s", res.body)
		}
		res := b.text(phone, "PAUSE", "SMpause")
		s := smsSubscriber(b)
		if again := b.text(phone, "PAUSE", "SMpause"); strings.Contains(again.body, "<Message>") {
			t.Errorf("replayed PAUSE answered again: %s", again.body)
		}
		if !strings.Contains(res.body, "paused until") || !s.PausedUntil.Equal(b.clock.Now().Add(14*24*time.Hour)) ||
			s.NextSlot.Before(s.PausedUntil) {
			t.Errorf("PAUSE: %s, %+v", res.body, s)
		}
		res = b.text(phone, "resume", "")
		s = smsSubscriber(b)
		if !strings.Contains(res.body, "start again") || !s.PausedUntil.IsZero() || s.NextSlot.After(b.clock.Now().Add(24*time.Hour)) {
			t.Errorf("RESUME: %s, %+v", res.body, s)
		}
		// A keyword inside a longer message is a reply, not a keyword.
		b.text(phone, "please stop asking about my sister", "")
		if s := smsSubscriber(b); s.Status != steady.StatusActive {
			t.Errorf("a sentence with stop in it unsubscribed: %s", s.Status)
		}
		rs, _ := b.db.Replies(context.Background(), s.ID)
		if len(rs) != 1 {
			t.Errorf("replies %+v", rs)
		}
	})
}

func TestSMSFromUnknownNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		before := b.counts()
		stranger := "+447400999888"
		first := b.text(stranger, "is this the reflection thing?", "")
		second := b.text(stranger, "hello??", "")
		if !strings.Contains(first.body, "not subscribed") || strings.Contains(second.body, "<Message>") {
			t.Errorf("first %s, second %s", first.body, second.body)
		}
		b.unchanged(before)
		// START from a number whose zone cannot be guessed (South Dakota: Central and Mountain): asked for it.
		res := b.text("+16055550100", "START", "")
		if !strings.Contains(res.body, "reply with your time zone") {
			t.Errorf("START without a zone: %s", res.body)
		}
		b.unchanged(before)
		for _, answer := range []string{"Central", "america/chicago"} {
			b.clock.Advance(time.Hour)
			b.text("+16055550100", answer, "")
			sub, err := b.db.SubscriberByAddress(context.Background(), steady.ChannelSMS, "+16055550100")
			if err != nil || sub.Status != steady.StatusPending || sub.TimeZone != "America/Chicago" {
				t.Fatalf("after %q: %+v %v", answer, sub, err)
			}
		}
		if err := b.db.DeleteSubscriber(context.Background(), mustSMS(t, b, "+16055550100").ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		b.unchanged(before)
		// START from a British number: a pending sign-up, confirmation queued.
		b.text(stranger, "START", "")
		sub, err := b.db.SubscriberByAddress(context.Background(), steady.ChannelSMS, stranger)
		if err != nil || sub.Status != steady.StatusPending || sub.TimeZone != "Europe/London" {
			t.Fatalf("%+v %v", sub, err)
		}
		ds, _ := b.db.Deliveries(context.Background(), sub.ID)
		cs, _ := b.db.Consents(context.Background(), sub.ID)
		if len(ds) != 1 || ds[0].Kind != steady.KindConfirm || len(cs) != 1 || cs[0].Wording != `Texted "START" to the programme number` {
			t.Errorf("deliveries %+v consents %+v", ds, cs)
		}
		noLeaks(b, "reflection thing")
	})
}

func TestSMSWebhookBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		smsPrompted(b)
		before := b.counts()
		full := url.Values{"MessageSid": {"SMbad"}, "From": {phone}, "To": {"+15005550006"}, "Body": {"hi"}}
		for name, mod := range map[string]func(url.Values){
			"no MessageSid":  func(v url.Values) { v.Del("MessageSid") },
			"no From":        func(v url.Values) { v.Del("From") },
			"no Body":        func(v url.Values) { v.Del("Body") },
			"From not E.164": func(v url.Values) { v.Set("From", "07400123456") },
			"body over 1600": func(v url.Values) { v.Set("Body", strings.Repeat("a", 1601)) },
		} {
			v := url.Values{}
			for k, vs := range full {
				v[k] = append([]string(nil), vs...)
			}
			mod(v)
			if res := b.signed("/twilio/sms", v, twiliotest.AuthToken); res.status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", name, res.status, res.body)
			}
		}
		b.unchanged(before)
	})
}

func TestTwilioStatusCallback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		_, prompt := smsPrompted(b)
		status := func(v url.Values) response { return b.signed("/twilio/status", v, twiliotest.AuthToken) }
		for _, st := range []string{"queued", "sent", "delivered"} {
			if res := status(url.Values{"MessageSid": {"SMprompt1"}, "MessageStatus": {st}}); res.status != http.StatusNoContent {
				t.Fatalf("%s: %d %s", st, res.status, res.body)
			}
		}
		if d, _ := b.db.Delivery(context.Background(), prompt.ID); d.ProviderStatus != "delivered" || d.Status != steady.DeliverySent {
			t.Errorf("after delivered: %+v", d)
		}
		for name, v := range map[string]url.Values{
			"unknown status":   {"MessageSid": {"SMprompt1"}, "MessageStatus": {"exploded"}},
			"no MessageStatus": {"MessageSid": {"SMprompt1"}},
			"no MessageSid":    {"MessageStatus": {"failed"}},
		} {
			if res := status(v); res.status != http.StatusBadRequest {
				t.Errorf("%s: %d", name, res.status)
			}
		}
		if res := status(url.Values{"MessageSid": {"SMnotours"}, "MessageStatus": {"sent"}}); res.status != http.StatusNoContent {
			t.Errorf("unknown sid: %d", res.status)
		}
		if d, _ := b.db.Delivery(context.Background(), prompt.ID); d.ProviderStatus != "delivered" {
			t.Errorf("bad input changed the delivery: %+v", d)
		}
		// A failure report keeps the error code.
		status(url.Values{"MessageSid": {"SMconfirm"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}})
		ds, _ := b.db.Deliveries(context.Background(), prompt.SubscriberID)
		if ds[0].Kind != steady.KindConfirm || ds[0].Status != steady.DeliveryFailed || ds[0].ProviderError != "30003" {
			t.Errorf("confirm after undelivered: %+v", ds[0])
		}
	})
}

func mustSMS(t *testing.T, b *bundle, number string) steady.Subscriber {
	t.Helper()
	sub, err := b.db.SubscriberByAddress(context.Background(), steady.ChannelSMS, number)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// Texts and status reports carrying NUL bytes or invalid UTF-8 pass the
// signature check (it covers the raw values), are answered 2xx and are
// stored cleaned on both databases; a cleaned keyword still acts.
func TestSMSCleansBadBytes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		sub, prompt := smsPrompted(b)
		b.clock.Advance(time.Hour)
		const sid = "SMbad\x00bytes\xff000000000000000000001"
		for range 2 {
			if res := b.text(phone, "  Yes\x00 she \xff\xfestood by me.\x00 ", sid); res.status != http.StatusOK {
				t.Fatalf("reply: %d %s", res.status, res.body)
			}
		}
		rs, err := b.db.Replies(context.Background(), sub.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("Replies = %+v, %v", rs, err)
		}
		if want := "Yes she \uFFFDstood by me."; rs[0].Body != want || rs[0].DeliveryID != prompt.ID ||
			rs[0].SourceID != "twilio:SMbadbytes\uFFFD000000000000000000001" {
			t.Errorf("stored %+v, want body %q", rs[0], want)
		}

		// Delivery reports: a status with a stray NUL is the status; an
		// error code is kept cleaned; a status that is garbage once cleaned
		// is refused as unknown (4xx), and an unknown message id is ignored.
		status := func(v url.Values) response { return b.signed("/twilio/status", v, twiliotest.AuthToken) }
		if res := status(url.Values{"MessageSid": {"SMprompt1"}, "MessageStatus": {"delivered\x00"}}); res.status != http.StatusNoContent {
			t.Errorf("status with NUL: %d %s", res.status, res.body)
		}
		if res := status(url.Values{"MessageSid": {"SMconfirm"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"300\x0003\xff"}}); res.status != http.StatusNoContent {
			t.Errorf("error code with bad bytes: %d %s", res.status, res.body)
		}
		if res := status(url.Values{"MessageSid": {"SMprompt1"}, "MessageStatus": {"sent\xff"}}); res.status != http.StatusBadRequest {
			t.Errorf("status with invalid UTF-8: %d %s", res.status, res.body)
		}
		if res := status(url.Values{"MessageSid": {"SMnot\x00ours\xff"}, "MessageStatus": {"sent"}}); res.status != http.StatusNoContent {
			t.Errorf("unknown sid with bad bytes: %d %s", res.status, res.body)
		}
		ds, _ := b.db.Deliveries(context.Background(), sub.ID)
		if ds[0].Kind != steady.KindConfirm || ds[0].Status != steady.DeliveryFailed || ds[0].ProviderError != "30003\uFFFD" {
			t.Errorf("confirm after undelivered: %+v", ds[0])
		}
		if d, _ := b.db.Delivery(context.Background(), prompt.ID); d.ProviderStatus != "delivered" {
			t.Errorf("prompt after delivered: %+v", d)
		}

		// STOP with a NUL in it is STOP.
		if res := b.text(phone, "STOP\x00", ""); res.status != http.StatusOK || !strings.Contains(res.body, "you are unsubscribed") {
			t.Errorf("STOP with NUL: %d %s", res.status, res.body)
		}
		if s := smsSubscriber(b); s.Status != steady.StatusUnsubscribed {
			t.Errorf("after STOP with NUL: %s", s.Status)
		}
		noLeaks(b, "stood by me")
	})
}
