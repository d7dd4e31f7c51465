package messages_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/metrics"
)

// poolSender is a sender for srv with the given pool options.
func poolSender(t *testing.T, srv *smtptest.Server, opts ...messages.SMTPOption) *messages.SMTPSender {
	t.Helper()
	cfg, err := messages.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	base := []messages.SMTPOption{
		messages.WithSMTPTimeout(5 * time.Second),
		messages.WithSMTPClock(steady.NewManualClock(testNow)),
		messages.WithSMTPHELO("steady.test"),
	}
	sender, err := messages.NewSMTPSender(cfg, testFrom, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sender.Close() })
	return sender
}

func numberedMessage(i int) steady.Message {
	m := testMessage()
	m.DeliveryID = int64(i)
	m.MessageID = fmt.Sprintf("d%d.pool@steady.example.org", i)
	return m
}

// waitOpen waits until the server has want sessions open.
func waitOpen(t *testing.T, srv *smtptest.Server, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, open := srv.Sessions()
		if open == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server has %d sessions open, want %d", open, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSMTPPoolReusesSessions(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	sender := poolSender(t, srv, messages.WithSMTPConnections(3))
	ctx := context.Background()

	for i := range 10 {
		if _, err := sender.Send(ctx, numberedMessage(i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if got := sender.Sessions(); got != 1 {
		t.Errorf("10 sends one after another opened %d sessions, want 1", got)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := range 60 {
		wg.Go(func() {
			if _, err := sender.Send(ctx, numberedMessage(100+i)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := srv.WaitMessages(t, 70, 5*time.Second)
	if len(got) != 70 {
		t.Fatalf("server got %d messages, want 70", len(got))
	}
	opened, open := srv.Sessions()
	if s := sender.Sessions(); s > 3 || int64(opened) != s {
		t.Errorf("70 sends with 3 connections: sender opened %d sessions, server saw %d; want at most 3, the same", s, opened)
	}
	if open > 3 {
		t.Errorf("%d sessions open, want at most 3", open)
	}
	if err := sender.Close(); err != nil {
		t.Fatal(err)
	}
	waitOpen(t, srv, 0)
}

func TestSMTPPoolReconnectsAfterServerDrop(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	sender := poolSender(t, srv, messages.WithSMTPConnections(1))
	ctx := context.Background()

	if _, err := sender.Send(ctx, numberedMessage(1)); err != nil {
		t.Fatal(err)
	}
	srv.DropConnections()
	waitOpen(t, srv, 0)
	// The idle session is dead; the send notices before MAIL FROM and
	// opens a new one instead of failing.
	if _, err := sender.Send(ctx, numberedMessage(2)); err != nil {
		t.Fatalf("send after the server dropped the idle session: %v", err)
	}
	if got := sender.Sessions(); got != 2 {
		t.Errorf("opened %d sessions, want 2", got)
	}
	if got := srv.WaitMessages(t, 2, 5*time.Second); len(got) != 2 {
		t.Fatalf("server got %d messages, want 2", len(got))
	}
}

// A session used a moment ago is sent on without NOOP; one idle for a
// second or more (by the sender's clock) is checked with NOOP first. No
// RSET follows a message the server took: the next MAIL FROM starts a
// transaction of its own, with its own recipient and data.
func TestSMTPPoolChecksOnlyIdleSessions(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.WithCommandCount())
	clock := steady.NewManualClock(testNow)
	sender := poolSender(t, srv, messages.WithSMTPConnections(1), messages.WithSMTPClock(clock))
	ctx := context.Background()

	send := func(i int) {
		t.Helper()
		if _, err := sender.Send(ctx, numberedMessage(i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	for i := range 5 {
		send(i)
		clock.Advance(999 * time.Millisecond)
	}
	if got := srv.Count("NOOP"); got != 0 {
		t.Errorf("5 sends under a second apart sent %d NOOPs, want 0", got)
	}
	clock.Advance(time.Millisecond) // the session is now idle for a second
	send(5)
	if got := srv.Count("NOOP"); got != 1 {
		t.Errorf("a send after a second idle sent %d NOOPs, want 1", got)
	}
	send(6)
	if got := srv.Count("NOOP"); got != 1 {
		t.Errorf("a send right after it sent %d NOOPs in all, want 1", got)
	}
	if got := sender.Sessions(); got != 1 {
		t.Errorf("opened %d sessions, want 1", got)
	}
	if got := srv.Count("RSET"); got != 0 {
		t.Errorf("7 sends sent %d RSETs, want 0", got)
	}
	got := srv.WaitMessages(t, 7, 5*time.Second)
	if len(got) != 7 {
		t.Fatalf("server got %d messages, want 7", len(got))
	}
	for i, r := range got {
		id := fmt.Sprintf("Message-ID: <d%d.pool@steady.example.org>", i)
		if len(r.To) != 1 || r.To[0] != testTo || !strings.Contains(string(r.Data), id) || strings.Count(string(r.Data), "Message-ID:") != 1 {
			t.Errorf("message %d: to %q, want only %q, with %q once", i, r.To, testTo, id)
		}
	}
}

// A session the server dropped while idle for a while fails its NOOP and
// is replaced before anything is sent; a session it dropped a moment after
// the last send (no NOOP) fails at MAIL FROM and is replaced then. Either
// way the message goes out once, in a new session, and no failure counts.
func TestSMTPPoolReplacesDroppedSession(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		idle time.Duration
	}{
		{"idle a minute, checked by NOOP", time.Minute},
		{"idle a moment, found at MAIL FROM", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.Start(t, smtptest.WithCommandCount())
			clock := steady.NewManualClock(testNow)
			rec := metrics.New()
			sender := poolSender(t, srv, messages.WithSMTPConnections(1), messages.WithSMTPClock(clock),
				messages.WithSMTPIdleTimeout(time.Hour), messages.WithSMTPMetrics(rec))
			ctx := context.Background()
			if _, err := sender.Send(ctx, numberedMessage(1)); err != nil {
				t.Fatal(err)
			}
			srv.DropConnections()
			waitOpen(t, srv, 0)
			clock.Advance(c.idle)
			if _, err := sender.Send(ctx, numberedMessage(2)); err != nil {
				t.Fatalf("send after the server dropped the idle session: %v", err)
			}
			if got := sender.Sessions(); got != 2 {
				t.Errorf("opened %d sessions, want 2", got)
			}
			got := srv.WaitMessages(t, 2, 5*time.Second)
			if len(got) != 2 {
				t.Fatalf("server got %d messages, want 2", len(got))
			}
			for _, class := range []string{messages.ErrorClassConnection, messages.ErrorClassTimeout, messages.ErrorClassOther} {
				if n := classCount(t, rec, "smtp", class); n != 0 {
					t.Errorf("%v failed sends of class %s counted, want none", n, class)
				}
			}
		})
	}
}

// A server that answers MAIL FROM with a refusal has not dropped the
// session: the send fails as it is, without a second session.
func TestSMTPPoolMailFromRefusalIsNotRetried(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	sender := poolSender(t, srv, messages.WithSMTPConnections(1))
	ctx := context.Background()
	if _, err := sender.Send(ctx, numberedMessage(1)); err != nil {
		t.Fatal(err)
	}
	srv.SetFault(smtptest.TempFailMail)
	if _, err := sender.Send(ctx, numberedMessage(2)); err == nil {
		t.Fatal("send with a 451 at MAIL FROM succeeded")
	}
	if got := sender.Sessions(); got != 1 {
		t.Errorf("opened %d sessions, want 1: a refusal is not a dropped session", got)
	}
}

func TestSMTPPoolFailedSessionIsNotReused(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	sender := poolSender(t, srv, messages.WithSMTPConnections(1))
	ctx := context.Background()

	srv.SetFault(smtptest.TempFailData)
	if _, err := sender.Send(ctx, numberedMessage(1)); err == nil {
		t.Fatal("send with a 451 at DATA succeeded")
	}
	srv.SetFault(smtptest.NoFault)
	if _, err := sender.Send(ctx, numberedMessage(2)); err != nil {
		t.Fatal(err)
	}
	if got := sender.Sessions(); got != 2 {
		t.Errorf("opened %d sessions, want 2: a session that failed is closed", got)
	}
}

func TestSMTPPoolSessionLimit(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	sender := poolSender(t, srv, messages.WithSMTPConnections(2), messages.WithSMTPSessionLimit(3))
	ctx := context.Background()

	for i := range 7 {
		if _, err := sender.Send(ctx, numberedMessage(i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if got := sender.Sessions(); got != 3 {
		t.Errorf("7 sends, 3 per session: opened %d sessions, want 3", got)
	}
	// Two sessions ended with their third message; the third is idle.
	waitOpen(t, srv, 1)
}

func TestSMTPPoolIdleTimeout(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	sender := poolSender(t, srv, messages.WithSMTPIdleTimeout(50*time.Millisecond))
	ctx := context.Background()

	if _, err := sender.Send(ctx, numberedMessage(1)); err != nil {
		t.Fatal(err)
	}
	waitOpen(t, srv, 0) // closed by the sender after 50ms idle
	if _, err := sender.Send(ctx, numberedMessage(2)); err != nil {
		t.Fatal(err)
	}
	if got := sender.Sessions(); got != 2 {
		t.Errorf("opened %d sessions, want 2", got)
	}
}

func TestSMTPPoolOptionsValidated(t *testing.T) {
	t.Parallel()
	cfg := messages.SMTPConfig{Host: "127.0.0.1", Port: 25, TLS: messages.TLSNone}
	for _, opt := range []messages.SMTPOption{
		messages.WithSMTPConnections(0),
		messages.WithSMTPSessionLimit(0),
		messages.WithSMTPIdleTimeout(0),
	} {
		if _, err := messages.NewSMTPSender(cfg, testFrom, opt); err == nil {
			t.Error("NewSMTPSender accepted a pool setting of zero")
		}
	}
}
