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
