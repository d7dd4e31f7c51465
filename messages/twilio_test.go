package messages_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/twiliotest"
)

func newTwilio(t *testing.T, srv *twiliotest.Server, mod func(*messages.TwilioConfig)) *messages.TwilioSender {
	t.Helper()
	cfg := messages.TwilioConfig{
		AccountSID:     twiliotest.AccountSID,
		AuthToken:      twiliotest.AuthToken,
		From:           "+15005550006",
		APIURL:         srv.URL,
		StatusCallback: "https://steady.example/twilio/status",
		Timeout:        2 * time.Second,
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := messages.NewTwilioSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func smsMessage(text string) steady.Message {
	return steady.Message{DeliveryID: 1, Channel: steady.ChannelSMS, To: "+447700900123", Text: text}
}

func TestTwilioSendsTheFormFields(t *testing.T) {
	t.Parallel()
	srv := twiliotest.New(t, nil)
	sid, err := newTwilio(t, srv, nil).Send(context.Background(), smsMessage("Steady: hello"))
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].SID != sid || !strings.HasPrefix(sid, "SM") {
		t.Fatalf("sid %q, requests %+v", sid, reqs)
	}
	f := reqs[0].Form
	for k, want := range map[string]string{"To": "+447700900123", "From": "+15005550006", "Body": "Steady: hello",
		"StatusCallback": "https://steady.example/twilio/status", "MessagingServiceSid": ""} {
		if got := f.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestTwilioMessagingService(t *testing.T) {
	t.Parallel()
	srv := twiliotest.New(t, nil)
	s := newTwilio(t, srv, func(c *messages.TwilioConfig) { c.From, c.MessagingServiceSID = "", "MG0123" })
	if _, err := s.Send(context.Background(), smsMessage("hi")); err != nil {
		t.Fatal(err)
	}
	f := srv.Requests()[0].Form
	if f.Get("MessagingServiceSid") != "MG0123" || f.Has("From") {
		t.Fatalf("form %v", f)
	}
}

func TestTwilioErrors(t *testing.T) {
	t.Parallel()
	type want struct {
		rejected, optedOut, invalid, unknown bool
		retryAfter                           time.Duration
	}
	for _, tc := range []struct {
		name  string
		fault twiliotest.Fault
		want  want
	}{
		{"429 with Retry-After", twiliotest.Fault{Status: 429, Code: 20429, RetryAfter: "7"}, want{retryAfter: 7 * time.Second}},
		{"429 without Retry-After", twiliotest.Fault{Status: 429, Code: 20429}, want{}},
		{"500 with no JSON", twiliotest.Fault{Status: 500}, want{}},
		{"503 with Retry-After", twiliotest.Fault{Status: 503, Code: 20503, RetryAfter: "30"}, want{retryAfter: 30 * time.Second}},
		{"21610 opted out", twiliotest.Fault{Status: 400, Code: 21610}, want{rejected: true, optedOut: true}},
		{"21211 invalid number", twiliotest.Fault{Status: 400, Code: 21211}, want{rejected: true, invalid: true}},
		{"21614 not a mobile", twiliotest.Fault{Status: 400, Code: 21614}, want{rejected: true, invalid: true}},
		{"other 400", twiliotest.Fault{Status: 400, Code: 21602}, want{rejected: true}},
		{"hangs past the timeout", twiliotest.Fault{Hang: true}, want{unknown: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := twiliotest.New(t, nil)
			srv.FailNext(tc.fault)
			s := newTwilio(t, srv, func(c *messages.TwilioConfig) { c.Timeout = 300 * time.Millisecond })
			sid, err := s.Send(context.Background(), smsMessage("hello"))
			if err == nil || sid != "" {
				t.Fatalf("sid %q, err %v", sid, err)
			}
			if strings.Contains(err.Error(), "+447700900123") {
				t.Errorf("error quotes the number: %v", err)
			}
			got := want{
				rejected: errors.Is(err, steady.ErrRejected),
				optedOut: errors.Is(err, steady.ErrOptedOut),
				invalid:  errors.Is(err, steady.ErrAddressInvalid),
				unknown:  errors.Is(err, steady.ErrOutcomeUnknown),
			}
			var te *messages.TwilioError
			if errors.As(err, &te) {
				got.retryAfter = te.RetryAfter()
			} else if !tc.want.rejected && !tc.want.unknown {
				t.Errorf("retryable error is not a *TwilioError: %v", err)
			}
			if got != tc.want {
				t.Errorf("err %v: got %+v, want %+v", err, got, tc.want)
			}
			if len(srv.Requests()) != 1 {
				t.Errorf("%d requests, want 1", len(srv.Requests()))
			}
			// The next send goes through.
			if _, err := s.Send(context.Background(), smsMessage("again")); err != nil {
				t.Errorf("send after the fault: %v", err)
			}
		})
	}
}

func TestTwilioRetryAfterDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := twiliotest.New(t, nil)
	srv.FailNext(twiliotest.Fault{Status: 429, Code: 20429, RetryAfter: now.Add(90 * time.Second).Format("Mon, 02 Jan 2006 15:04:05 GMT")})
	s := newTwilio(t, srv, func(c *messages.TwilioConfig) { c.Clock = steady.NewManualClock(now) })
	_, err := s.Send(context.Background(), smsMessage("hello"))
	var te *messages.TwilioError
	if !errors.As(err, &te) || te.RetryAfter() != 90*time.Second {
		t.Fatalf("err %v", err)
	}
}

func TestTwilioCannotConnectIsRetried(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(nil)
	url := closed.URL
	closed.Close()
	s, err := messages.NewTwilioSender(messages.TwilioConfig{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken,
		From: "+15005550006", APIURL: url, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), smsMessage("hello"))
	if err == nil || errors.Is(err, steady.ErrRejected) || errors.Is(err, steady.ErrOutcomeUnknown) {
		t.Fatalf("want a plain retryable error, got %v", err)
	}
}

func TestTwilioRefusesBadMessages(t *testing.T) {
	t.Parallel()
	srv := twiliotest.New(t, nil)
	s := newTwilio(t, srv, nil)
	for name, m := range map[string]steady.Message{
		"over 1600 characters": smsMessage(strings.Repeat("é", messages.MaxSMSLength+1)),
		"email channel":        {Channel: steady.ChannelEmail, To: "a@example.org", Text: "hi"},
		"no recipient":         {Channel: steady.ChannelSMS, Text: "hi"},
		"no text":              {Channel: steady.ChannelSMS, To: "+447700900123"},
	} {
		if _, err := s.Send(context.Background(), m); !errors.Is(err, steady.ErrRejected) {
			t.Errorf("%s: err %v, want rejected", name, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached Twilio", n)
	}
	if _, err := s.Send(context.Background(), smsMessage(strings.Repeat("é", messages.MaxSMSLength))); err != nil {
		t.Errorf("exactly 1600 characters: %v", err)
	}
}

func TestNewTwilioSenderChecksConfig(t *testing.T) {
	t.Parallel()
	ok := messages.TwilioConfig{AccountSID: "AC1", AuthToken: "tok", From: "+15005550006"}
	for name, mod := range map[string]func(*messages.TwilioConfig){
		"no account":       func(c *messages.TwilioConfig) { c.AccountSID = "" },
		"no token":         func(c *messages.TwilioConfig) { c.AuthToken = "" },
		"no sender":        func(c *messages.TwilioConfig) { c.From = "" },
		"both senders":     func(c *messages.TwilioConfig) { c.MessagingServiceSID = "MG1" },
		"From not E.164":   func(c *messages.TwilioConfig) { c.From = "5005550006" },
		"API URL not http": func(c *messages.TwilioConfig) { c.APIURL = "ftp://x" },
	} {
		c := ok
		mod(&c)
		if _, err := messages.NewTwilioSender(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := messages.NewTwilioSender(ok); err != nil {
		t.Error(err)
	}
}

func TestSignMatchesTwilioVector(t *testing.T) {
	t.Parallel()
	// The vector from twilio-go's request_validator_test.go.
	params := map[string][]string{"Digits": {"1234"}, "CallSid": {"CA1234567890ABCDE"}, "To": {"+18005551212"},
		"Caller": {"+14158675309"}, "From": {"+14158675309"}, "ReasonConferenceEnded": {"test"}, "Reason": {"Participant"}}
	if got := twiliotest.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params); got != "vOEb5UThFn24KEfnOFLQY2AE5FY=" {
		t.Fatalf("signature %q", got)
	}
}
