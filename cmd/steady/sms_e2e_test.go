package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// startServeSMS runs `steady serve` with Twilio pointed
// at a twiliotest server, configured through the same getenv a real run
// reads.
func startServeSMS(t *testing.T, db *store.DB, now time.Time) (*running, *twiliotest.Server) {
	t.Helper()
	clock := steady.NewManualClock(now)
	tw := twiliotest.New(t, clock)
	r := startApp(t, db, clock, map[string]string{
		"TWILIO_ACCOUNT_SID": twiliotest.AccountSID, "TWILIO_AUTH_TOKEN": twiliotest.AuthToken,
		"STEADY_TWILIO_FROM": "+15005550006", "STEADY_TWILIO_API_URL": tw.URL,
		// The manual clock never moves by itself, so the limiter's waits
		// are real: keep them to milliseconds.
		"STEADY_SMS_MPS": "1000", "STEADY_SMS_COUNTRIES": "GB", "STEADY_SMS_REGION": "GB",
		"STEADY_SMS_HELP": "Questions? help@steady.example",
	})
	return r, tw
}

// TestEndToEndSMS walks the loop by text: sign up with a phone number, get
// the opt-in text from Twilio, reply YES, receive a prompt, answer it by
// text (the webhook replayed three times), get the delivery report, STOP.
func TestEndToEndSMS(t *testing.T) {
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
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("webhook %q: %d %s", body, resp.StatusCode, readAll(t, resp))
			}
			return readAll(t, resp)
		}

		// Texts are discreet by default; this run asks for the question
		// itself (discreet_e2e_test.go runs the default).
		resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"phone":"07400 123456","timezone":"Europe/London","cadence":"daily","time":"20:30","discreet":false}`)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("subscribe: %d %s", resp.StatusCode, readAll(t, resp))
		}
		eventually(t, "the opt-in text reaches Twilio", func() bool { return len(tw.Sent()) == 1 })
		optIn := tw.Sent()[0].Form
		if optIn.Get("To") != "+447400123456" || optIn.Get("From") != "+15005550006" ||
			optIn.Get("StatusCallback") != r.baseURL+"/twilio/status" ||
			!strings.Contains(optIn.Get("Body"), "Msg & data rates may apply. Reply YES to confirm, HELP for help, STOP to opt out.") {
			t.Fatalf("opt-in text: %v", optIn)
		}
		if answer := sms("YES", "SMin1"); !strings.Contains(answer, "subscribed") {
			t.Fatalf("YES: %s", answer)
		}
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, "+447400123456")
		if err != nil || sub.Status != steady.StatusActive {
			t.Fatalf("%+v %v", sub, err)
		}
		cs, _ := db.Consents(ctx, sub.ID)
		if len(cs) != 2 || !strings.Contains(cs[1].Wording, optIn.Get("Body")) {
			t.Errorf("the YES consent does not keep the exact opt-in text: %+v", cs)
		}

		r.clock.Set(sub.NextSlot.Add(time.Minute))
		if n, err := r.app.scheduler.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("tick: %d %v", n, err)
		}
		eventually(t, "the prompt reaches Twilio", func() bool { return len(tw.Sent()) == 2 })
		prompt := tw.Sent()[1]
		if !strings.HasPrefix(prompt.Form.Get("Body"), "Steady: ") || !strings.Contains(prompt.Form.Get("Body"), "STOP to end") {
			t.Errorf("prompt text %q", prompt.Form.Get("Body"))
		}
		var promptDelivery steady.Delivery
		eventually(t, "the prompt is recorded as sent", func() bool {
			ds, _ := db.Deliveries(ctx, sub.ID)
			for _, d := range ds {
				if d.Kind == steady.KindPrompt && d.Status == steady.DeliverySent {
					promptDelivery = d
					return true
				}
			}
			return false
		})
		if promptDelivery.ProviderID != prompt.SID {
			t.Errorf("provider id %q, Twilio SID %q", promptDelivery.ProviderID, prompt.SID)
		}

		for range 3 {
			sms("4. He listened when I told him about work.", "SMreply1")
		}
		replies, _ := db.Replies(ctx, sub.ID)
		if len(replies) != 1 || replies[0].DeliveryID != promptDelivery.ID || replies[0].Channel != steady.ChannelSMS {
			t.Fatalf("replies %+v", replies)
		}

		// Twilio's delivery report.
		v := url.Values{"MessageSid": {prompt.SID}, "MessageStatus": {"delivered"}, "AccountSid": {twiliotest.AccountSID}}
		req, _ := http.NewRequest(http.MethodPost, r.baseURL+"/twilio/status", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", twiliotest.Sign(twiliotest.AuthToken, r.baseURL+"/twilio/status", v))
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("status callback: %v %v", resp, err)
		}
		if d, _ := db.Delivery(ctx, promptDelivery.ID); d.ProviderStatus != "delivered" {
			t.Errorf("provider status %q", d.ProviderStatus)
		}

		// STOP: one confirmation, and the next slot sends nothing.
		if answer := sms("stop", "SMin2"); !strings.Contains(answer, "unsubscribed") {
			t.Fatalf("STOP: %s", answer)
		}
		r.clock.Set(sub.NextSlot.Add(24*time.Hour + time.Minute))
		if n, err := r.app.scheduler.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("tick after STOP: %d %v", n, err)
		}
		if n, err := r.app.dispatcher.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("send after STOP: %d %v", n, err)
		}
		if n := len(tw.Requests()); n != 2 {
			t.Errorf("%d requests reached Twilio, want 2", n)
		}
		logs := r.logs.String()
		for _, secret := range []string{"+447400123456", "7400123456", "listened when", twiliotest.AuthToken} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log contains %q:\n%s", secret, logs)
			}
		}
	})
}
