package smtptest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/steadyapp/steady/messages/smtptest"
)

func TestServerRecordsAndWaits(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	if _, err := srv.Wait(1, 10*time.Millisecond); err == nil {
		t.Fatal("Wait on an empty server succeeded")
	}
	if !strings.HasPrefix(srv.URL(), "smtp://127.0.0.1:") || !strings.HasSuffix(srv.URL(), "?tls=none") {
		t.Errorf("URL() = %q", srv.URL())
	}

	body := "Subject: hi\r\n\r\nhello\r\n"
	go func() { _ = sendMail(srv.Addr(), body) }()
	got := srv.WaitMessages(t, 1, 5*time.Second)
	if got[0].From != "a@example.org" || len(got[0].To) != 1 || got[0].To[0] != "b@example.org" || string(got[0].Data) != body {
		t.Errorf("received %+v", got[0])
	}
}

func TestServerRejectRcpt(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.WithFault(smtptest.RejectRcpt))
	err := sendMail(srv.Addr(), "\r\nx\r\n")
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 550 {
		t.Fatalf("SendMail error = %v, want a 550", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages recorded", n)
	}
}

// sendMail sends over plain text with go-smtp's client.
func sendMail(addr, body string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader(body)); err != nil {
		return err
	}
	return c.Quit()
}

func TestServerDelayAndOnMessage(t *testing.T) {
	t.Parallel()
	seen := make(chan smtptest.Received, 1)
	srv := smtptest.Start(t, smtptest.WithDelay(300*time.Millisecond),
		smtptest.WithOnMessage(func(r smtptest.Received) { seen <- r }))
	start := time.Now()
	sent := make(chan error, 1)
	go func() { sent <- sendMail(srv.Addr(), "Subject: hi\r\n\r\nhello\r\n") }()

	// Recorded (and reported) as soon as it is read, answered later.
	select {
	case r := <-seen:
		if len(r.To) != 1 || r.To[0] != "b@example.org" {
			t.Errorf("OnMessage got %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnMessage was not called")
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("send took %v, want at least the 300ms delay", took)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages recorded, want 1", n)
	}
}
