package messages

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

func TestValidateTwilioCredentials(t *testing.T) {
	t.Parallel()
	const sid, token = "AC00000000000000000000000000000001", "0123456789abcdef0123456789abcdef"
	for _, c := range []struct {
		name, sid, token, want string
	}{
		{"good", sid, token, ""},
		{"trailing newline", sid, token + "\n", "TWILIO_AUTH_TOKEN has a character other than a letter or digit at position 33"},
		{"quoted", sid, `"` + token + `"`, "TWILIO_AUTH_TOKEN"},
		{"dash", sid, "abc-def", "TWILIO_AUTH_TOKEN"},
		{"sid with space", sid + " ", token, "TWILIO_ACCOUNT_SID"},
		{"empty", "", token, "required"},
	} {
		err := ValidateTwilioCredentials(c.sid, c.token)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := NewTwilioSender(TwilioConfig{AccountSID: sid, AuthToken: token + " ", From: "+15005550006"}); err == nil {
		t.Error("NewTwilioSender accepted a token with a space")
	}
}

// Should a bad token get past start-up, the error says twilio-go refused it
// and nothing reached Twilio, instead of blaming the provider.
func TestTwilioRefusedCredentialsAreReportedHonestly(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	s := &TwilioSender{cfg: TwilioConfig{AccountSID: "AC00000000000000000000000000000001", AuthToken: "tok-en",
		From: "+15005550006", Timeout: time.Second, Transport: http.DefaultTransport, Clock: steady.SystemClock{}}, target: target}
	_, err := s.Send(context.Background(), steady.Message{Channel: steady.ChannelSMS, To: "+447400123456", Text: "hi"})
	if !errors.Is(err, steady.ErrRejected) || !strings.Contains(err.Error(), "twilio-go refuses") || strings.Contains(err.Error(), "HTTP 400") {
		t.Errorf("error: %v", err)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}
