package smtpin

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The database goes away mid-service: the sending server is told 451 and
// nothing is kept; once it is back, the retry is stored, and once.
func TestDatabaseDownAnswers451AndTheRetryIsStoredOnce(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		open := func() *store.DB {
			db, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			return db
		}
		first := open()
		b := setup(t, first, nil)
		alex, prompt := subscriber(t, first, "alex@example.com")
		if err := first.Close(); err != nil { // the database is down
			t.Fatal(err)
		}
		to := b.links.ReplyAddress(prompt)
		raw := message{from: "alex@example.com", to: to, messageID: "retry@mail.example.com", body: "Said once."}.raw()
		if err := b.deliver(t, "alex@example.com", []string{to}, raw); code(err) != 451 {
			t.Fatalf("database down: %v, want 451", err)
		}

		again := open() // the database is back
		t.Cleanup(func() { again.Close() })
		b.db = again
		b.receiver.set(b.intake(t, again))
		for range 2 {
			if err := b.deliver(t, "alex@example.com", []string{to}, raw); err != nil {
				t.Fatalf("retry: %v", err)
			}
		}
		if rs := b.replies(t, alex.ID); len(rs) != 1 || rs[0].Body != "Said once." {
			t.Fatalf("replies = %+v, want one", rs)
		}
	})
}

// Stop lets the message in flight finish (250, stored), refuses new
// connections, and returns.
func TestStopFinishesTheMessageInFlight(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	b := setup(t, db, nil)
	alex, prompt := subscriber(t, db, "alex@example.com")
	to := b.links.ReplyAddress(prompt)

	c, err := smtp.Dial(b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("alex@example.com", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(to, nil); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		stopped <- b.srv.Stop(ctx)
	}()
	// Wait until the listener is closed: new connections are refused.
	for {
		conn, err := net.Dial("tcp", b.addr)
		if err != nil {
			break
		}
		conn.Close()
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(message{from: "alex@example.com", to: to, messageID: "inflight@x", body: "Made it."}.raw()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("message in flight during Stop: %v, want 250", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if rs := b.replies(t, alex.ID); len(rs) != 1 {
		t.Fatalf("replies = %+v", rs)
	}
}

// A session that does not end is cut when Stop's deadline passes.
func TestStopCutsIdleSessionsAtItsDeadline(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t), nil)
	c, err := smtp.Dial(b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mail.example.com"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := b.srv.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v, want the deadline", err)
	}
	if err := c.Noop(); err == nil {
		t.Fatal("the idle session was still open after Stop")
	}
}

// A session is cut after SessionTimeout however busy it keeps.
func TestSessionTimeout(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t), func(c *Config) { c.SessionTimeout = 300 * time.Millisecond })
	conn, err := net.Dial("tcp", b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second)) // the test's own bound, far beyond the timeout
	r := bufio.NewReader(conn)
	if _, err := r.ReadString('\n'); err != nil { // greeting
		t.Fatal(err)
	}
	start := time.Now()
	for { // keep it busy: NOOP after NOOP, each answered, until cut
		if _, err := conn.Write([]byte("NOOP\r\n")); err != nil {
			break
		}
		if _, err := r.ReadString('\n'); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the session was never cut")
			}
			break
		}
	}
	if time.Since(start) > 15*time.Second {
		t.Fatal("the session outlived its timeout by far")
	}
}

// With a certificate, STARTTLS is offered and works.
func TestSTARTTLS(t *testing.T) {
	t.Parallel()
	cert, pool := selfSigned(t)
	db := storetest.SQLite(t)
	b := setup(t, db, func(c *Config) { c.TLS = &tls.Config{Certificates: []tls.Certificate{cert}} })
	alex, prompt := subscriber(t, db, "alex@example.com")
	c, err := smtp.DialStartTLS(b.addr, &tls.Config{RootCAs: pool, ServerName: "example.org"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.TLSConnectionState(); !ok {
		t.Fatal("no TLS")
	}
	to := b.links.ReplyAddress(prompt)
	raw := message{from: "alex@example.com", to: to, messageID: "tls@x", body: "Over TLS."}.raw()
	if err := c.SendMail("alex@example.com", []string{to}, strings.NewReader(string(raw))); err != nil {
		t.Fatal(err)
	}
	if rs := b.replies(t, alex.ID); len(rs) != 1 {
		t.Fatalf("replies = %+v", rs)
	}
}

func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "example.org"}, DNSNames: []string{"example.org"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(parsed)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
