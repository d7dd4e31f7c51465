package inbox

import (
	"context"
	"testing"
	"time"

	"github.com/steadyapp/steady/store/storetest"
)

// TestPollerLastContact: a pass over a real IMAP server is a success; a
// wrong password is a failure, with the last success kept.
func TestPollerLastContact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, storetest.SQLite(t), 3)
	h := startIMAP(t, "none")
	p, err := NewPoller(PollerConfig{IMAP: h.config(), Processor: b.proc, Clock: b.clock, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.disconnect() })
	if ok, failed := p.LastContact(); !ok.IsZero() || !failed.IsZero() {
		t.Fatalf("before any pass: %v, %v", ok, failed)
	}
	if err := p.runOnce(ctx); err != nil {
		t.Fatal(err)
	}
	first := b.clock.Now()
	if ok, failed := p.LastContact(); !ok.Equal(first) || !failed.IsZero() {
		t.Fatalf("after a pass: %v, %v; want %v and never", ok, failed, first)
	}

	p.disconnect()
	p.cfg.IMAP.Password = "wrong"
	b.clock.Advance(time.Minute)
	if err := p.runOnce(ctx); err == nil {
		t.Fatal("a wrong password logged in")
	}
	if ok, failed := p.LastContact(); !ok.Equal(first) || !failed.Equal(b.clock.Now()) {
		t.Errorf("after a failed pass: %v, %v; want %v and %v", ok, failed, first, b.clock.Now())
	}
}
