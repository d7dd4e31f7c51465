package health_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/health"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
)

var (
	_ health.Contact = (*messages.SMTPSender)(nil)
	_ health.Contact = (*inbox.Poller)(nil)
)

// contactAt is a Contact whose last success and failure are given, for
// the rule's edge cases.
type contactAt struct{ ok, failed time.Time }

func (c contactAt) LastContact() (time.Time, time.Time) { return c.ok, c.failed }

func TestReachableRule(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	min := func(n int) time.Time { return start.Add(time.Duration(n) * time.Minute) }
	tests := []struct {
		name       string
		now        time.Time
		ok, failed time.Time
		want       string // "" is ready, else a part of the line
	}{
		{"never tried (an idle SMTP server)", min(60), time.Time{}, time.Time{}, ""},
		{"last attempt succeeded", min(60), min(50), min(40), ""},
		{"failed just now, reached 5 minutes ago", min(60), min(55), min(60), ""},
		{"failed, last reached 11 minutes ago", min(60), min(49), min(59), "last reached 11m0s ago"},
		{"never reached, within the grace after start", min(9), time.Time{}, min(1), ""},
		{"never reached, grace over", min(11), time.Time{}, min(10), "not reached since start (11m0s ago)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			chk := health.Reachable("smtp", contactAt{tt.ok, tt.failed}, steady.NewManualClock(tt.now), start, 10*time.Minute, 0)
			err := chk.Run(context.Background())
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("not ready: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestReachableWithARealSMTPServer: a sender whose server is gone turns
// the check red once the grace is over; a send the server answers turns
// it green again.
func TestReachableWithARealSMTPServer(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	clock := steady.NewManualClock(start)
	srv := smtptest.Start(t)
	cfg, err := messages.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	good := cfg
	cfg.Port = closedPort(t)
	msg := steady.Message{Channel: steady.ChannelEmail, To: "x@example.org", Subject: "s", Text: "t", MessageID: "a@steady.example"}

	gone, err := messages.NewSMTPSender(cfg, "Steady <steady@steady.example>", messages.WithSMTPClock(clock), messages.WithSMTPTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	chk := health.Reachable("smtp", gone, clock, start, 10*time.Minute, 0)
	if _, err := gone.Send(context.Background(), msg); err == nil {
		t.Fatal("a send to a closed port succeeded")
	}
	if err := chk.Run(context.Background()); err != nil {
		t.Errorf("within the grace: %v", err)
	}
	clock.Set(start.Add(11 * time.Minute))
	if err := chk.Run(context.Background()); err == nil {
		t.Error("unreachable since start, grace over: ready")
	}

	up, err := messages.NewSMTPSender(good, "Steady <steady@steady.example>", messages.WithSMTPClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if err := health.Reachable("smtp", up, clock, start, 10*time.Minute, 0).Run(context.Background()); err != nil {
		t.Errorf("after a delivered message: %v", err)
	}
	if ok, _ := up.LastContact(); !ok.Equal(clock.Now()) {
		t.Errorf("LastContact ok = %v, want %v", ok, clock.Now())
	}
}
