package messages_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/metrics"
)

var _ messages.Metrics = (*metrics.Recorder)(nil)

// classCount is steady_<provider>_errors_total{class}.
func classCount(t *testing.T, rec *metrics.Recorder, provider, class string) float64 {
	t.Helper()
	v, ok := rec.Value("steady_"+provider+"_errors_total", map[string]string{"class": class})
	if !ok {
		t.Fatalf("no steady_%s_errors_total{class=%q}", provider, class)
	}
	return v
}

func closedAddr(t *testing.T) (string, int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	a := l.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

// TestSMTPErrorClasses sends to a real SMTP server that fails in each way
// and checks the one class each failure is counted under.
func TestSMTPErrorClasses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		opts []smtptest.Option
		// edit changes the sender's settings (a wrong password, a port
		// nothing listens on); timeout bounds the send.
		edit    func(*messages.SMTPConfig)
		timeout time.Duration
		want    string
	}{
		{"recipient refused for good", []smtptest.Option{smtptest.WithFault(smtptest.RejectRcpt)}, nil, 0, messages.ErrorClassRejectedPermanent},
		{"554 after DATA", []smtptest.Option{smtptest.WithFault(smtptest.RejectData)}, nil, 0, messages.ErrorClassRejectedPermanent},
		{"451 after DATA", []smtptest.Option{smtptest.WithFault(smtptest.TempFailData)}, nil, 0, messages.ErrorClassRejectedTemporary},
		{"dropped after DATA", []smtptest.Option{smtptest.WithFault(smtptest.DropAfterData)}, nil, 0, messages.ErrorClassConnection},
		{"wrong password", []smtptest.Option{smtptest.WithSTARTTLS(), smtptest.WithAuth("steady", "right-password")},
			func(c *messages.SMTPConfig) { c.Password = "wrong-password" }, 0, messages.ErrorClassAuth},
		{"nothing listening", nil, func(c *messages.SMTPConfig) { _, c.Port = closedAddr(t) }, 0, messages.ErrorClassConnection},
		{"too slow", []smtptest.Option{smtptest.WithDelay(3 * time.Second)}, nil, 500 * time.Millisecond, messages.ErrorClassTimeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.Start(t, c.opts...)
			cfg, err := messages.ParseSMTPURL(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			if c.edit != nil {
				c.edit(&cfg)
			}
			rec := metrics.New()
			opts := []messages.SMTPOption{messages.WithSMTPMetrics(rec), messages.WithSMTPTimeout(5 * time.Second)}
			if c.timeout != 0 {
				opts = append(opts, messages.WithSMTPTimeout(c.timeout))
			}
			if tc := srv.ClientTLSConfig(); tc != nil {
				opts = append(opts, messages.WithSMTPTLSConfig(tc))
			}
			sender, err := messages.NewSMTPSender(cfg, testFrom, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := sender.Send(context.Background(), testMessage()); err == nil {
				t.Fatal("the send succeeded")
			}
			for _, class := range []string{messages.ErrorClassTimeout, messages.ErrorClassConnection, messages.ErrorClassRejectedPermanent,
				messages.ErrorClassRejectedTemporary, messages.ErrorClassAuth, messages.ErrorClassOther} {
				want := 0.0
				if class == c.want {
					want = 1
				}
				if got := classCount(t, rec, "smtp", class); got != want {
					t.Errorf("class %s: %v, want %v", class, got, want)
				}
			}
		})
	}
}

// TestTwilioErrorClasses does the same against the fake Twilio API.
func TestTwilioErrorClasses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		fault *twiliotest.Fault
		down  bool
		want  string
	}{
		{"bad credentials", &twiliotest.Fault{Status: 401, Code: 20003}, false, messages.ErrorClassAuth},
		{"too many requests", &twiliotest.Fault{Status: 429, Code: 20429}, false, messages.ErrorClassRejectedTemporary},
		{"server error", &twiliotest.Fault{Status: 500}, false, messages.ErrorClassRejectedTemporary},
		{"invalid number", &twiliotest.Fault{Status: 400, Code: 21211}, false, messages.ErrorClassRejectedPermanent},
		{"hangs", &twiliotest.Fault{Hang: true}, false, messages.ErrorClassTimeout},
		{"nothing listening", nil, true, messages.ErrorClassConnection},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := twiliotest.New(t, nil)
			if c.fault != nil {
				srv.FailNext(*c.fault)
			}
			rec := metrics.New()
			s := newTwilio(t, srv, func(cfg *messages.TwilioConfig) {
				cfg.Metrics = rec
				cfg.Timeout = 500 * time.Millisecond
				if c.down {
					host, port := closedAddr(t)
					cfg.APIURL = "http://" + net.JoinHostPort(host, strconv.Itoa(port))
				}
			})
			if _, err := s.Send(context.Background(), smsMessage("Steady: hello")); err == nil {
				t.Fatal("the send succeeded")
			}
			if got := classCount(t, rec, "twilio", c.want); got != 1 {
				t.Errorf("class %s: %v, want 1", c.want, got)
			}
			if got := classCount(t, rec, "smtp", c.want); got != 0 {
				t.Errorf("counted as an SMTP error too")
			}
		})
	}
}
