package inbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/steadyapp/steady/store/storetest"
)

func newPoller(t *testing.T, b *bundle, h *imapHarness, moveTo string) *Poller {
	t.Helper()
	p, err := NewPoller(PollerConfig{IMAP: h.config(), Processor: b.proc, Logger: b.proc.cfg.Logger,
		TLSConfig: h.clientTLS, MoveTo: moveTo, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.disconnect() })
	return p
}

// TestPollerFilesReplies appends replies to a real IMAP server, runs the
// poller, and finds them stored against the right prompts; running again,
// or after a restart that lost the flags, stores nothing twice.
func TestPollerFilesReplies(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"none", "tls", "starttls"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			b := setup(t, storetest.SQLite(t), 3)
			alex, prompts := b.subscriber(t, "alex@example.com", 2)
			h := startIMAP(t, mode)
			h.appendMessages(t,
				mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "one@mail.example.com", body: "First answer." + quote}.raw(),
				mail{from: "alex@example.com", to: "steady@example.org", inReplyTo: b.links.MessageID(prompts[1]), messageID: "two@mail.example.com",
					extra: authPass("alex@example.com"), body: "Second answer."}.raw(),
				mail{from: "stranger@example.org", to: "steady@example.org", messageID: "stranger@mail.example.org", body: "Who are you?"}.raw(),
				mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[1]), messageID: "ooo@mail.example.com", extra: "Auto-Submitted: auto-replied\r\n", body: "Away."}.raw(),
			)
			p := newPoller(t, b, h, "")
			if err := p.runOnce(ctx); err != nil {
				t.Fatalf("runOnce: %v", err)
			}
			rs := b.replies(t, alex.ID)
			if len(rs) != 2 || rs[0].DeliveryID != prompts[0].ID || rs[0].Body != "First answer." ||
				rs[1].DeliveryID != prompts[1].ID || rs[1].Body != "Second answer." {
				t.Fatalf("replies = %+v", rs)
			}
			flags := h.flags(t, "INBOX")
			for _, id := range []string{"one@mail.example.com", "two@mail.example.com", "ooo@mail.example.com"} {
				if !hasFlag(flags[id], imap.FlagSeen) || !hasFlag(flags[id], KeywordDone) {
					t.Errorf("%s flags = %v, want seen and done", id, flags[id])
				}
			}
			if f := flags["stranger@mail.example.org"]; hasFlag(f, imap.FlagSeen) || !hasFlag(f, KeywordSkipped) {
				t.Errorf("unmatched message flags = %v, want unread and skipped", f)
			}

			before := b.proc.Counts()
			if err := p.runOnce(ctx); err != nil {
				t.Fatalf("second runOnce: %v", err)
			}
			if after := b.proc.Counts(); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the second run processed messages again: %v, then %v", before, after)
			}

			// A restart that stored the replies but lost the flags.
			h.clearKeywords(t)
			p2 := newPoller(t, b, h, "")
			if err := p2.runOnce(ctx); err != nil {
				t.Fatalf("runOnce after restart: %v", err)
			}
			if rs := b.replies(t, alex.ID); len(rs) != 2 {
				t.Errorf("after a restart, %d replies, want 2", len(rs))
			}
			if c := b.proc.Counts(); c[Duplicate] != 2 || c[Stored] != 2 {
				t.Errorf("counts = %v, want 2 stored and 2 duplicates", c)
			}
		})
	}
}

func TestPollerMovesProcessedMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, storetest.SQLite(t), 3)
	_, prompts := b.subscriber(t, "alex@example.com", 1)
	h := startIMAP(t, "none", "Steady")
	h.appendMessages(t,
		mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "one@x", body: "Answer."}.raw(),
		mail{from: "stranger@example.org", to: "steady@example.org", messageID: "two@x", body: "Hi."}.raw(),
	)
	if err := newPoller(t, b, h, "Steady").runOnce(ctx); err != nil {
		t.Fatal(err)
	}
	inbox, moved := h.flags(t, "INBOX"), h.flags(t, "Steady")
	if len(inbox) != 1 || inbox["two@x"] == nil || len(moved) != 1 || moved["one@x"] == nil {
		t.Errorf("INBOX %v, Steady %v; want the unmatched one left and the reply moved", inbox, moved)
	}
}

// TestPollerConnectionKilledMidFetch cuts the connection while a message is
// being fetched: the run fails, and the next run files everything,
// exactly once.
func TestPollerConnectionKilledMidFetch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, storetest.SQLite(t), 3)
	alex, prompts := b.subscriber(t, "alex@example.com", 1)
	h := startIMAP(t, "none")
	for i := range 3 {
		h.appendMessages(t, withPhoto(mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]),
			messageID: fmt.Sprintf("photo%d@x", i), body: fmt.Sprintf("Photo %d.", i)}, 200<<10))
	}
	p := newPoller(t, b, h, "")
	h.proxy.cutAtFetch.Store(2) // while fetching the second message
	if err := p.runOnce(ctx); err == nil {
		t.Fatal("runOnce over a cut connection succeeded")
	}
	if n := len(b.replies(t, alex.ID)); n >= 3 {
		t.Fatalf("%d replies stored before the cut; the cut came too late to test anything", n)
	}
	if err := p.runOnce(ctx); err != nil {
		t.Fatalf("runOnce after the cut: %v", err)
	}
	rs := b.replies(t, alex.ID)
	if len(rs) != 3 {
		t.Fatalf("%d replies, want 3", len(rs))
	}
	for i, r := range rs {
		if want := fmt.Sprintf("Photo %d.", i); r.Body != want {
			t.Errorf("reply %d = %q, want %q", i, r.Body, want)
		}
	}
	for id, f := range h.flags(t, "INBOX") {
		if !hasFlag(f, KeywordDone) {
			t.Errorf("%s not flagged done: %v", id, f)
		}
	}
	if n := h.proxy.accepted.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (one reconnect)", n)
	}
}

// TestPollerServiceIdleAndDrop runs the poller as a service: a message
// appended while it idles is filed without waiting for the (hour-long)
// interval; after the server drops every connection it reconnects and
// files the next one; Stop returns.
func TestPollerServiceIdleAndDrop(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t), 3)
	alex, prompts := b.subscriber(t, "alex@example.com", 1)
	h := startIMAP(t, "none")
	p := newPoller(t, b, h, "")
	p.retryMin = 20 * time.Millisecond
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor := func(n int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for len(b.replies(t, alex.ID)) < n {
			if time.Now().After(deadline) {
				t.Fatalf("reply %d not filed within 10s", n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	time.Sleep(100 * time.Millisecond) // let it connect and idle
	h.appendMessages(t, mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "live1@x", body: "While idling."}.raw())
	waitFor(1)

	h.proxy.kill()
	h.appendMessages(t, mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "live2@x", body: "After the drop."}.raw())
	waitFor(2)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if n := len(b.replies(t, alex.ID)); n != 2 {
		t.Errorf("%d replies, want 2", n)
	}
}

func TestParseIMAPURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want IMAPConfig
		bad  bool
	}{
		{in: "imaps://steady%40example.org:p%40ss@mail.example.org/INBOX",
			want: IMAPConfig{Host: "mail.example.org", Port: "993", TLS: "tls", User: "steady@example.org", Password: "p@ss", Folder: "INBOX"}},
		{in: "imap://u:p@mail.example.org:1143/Replies/Steady",
			want: IMAPConfig{Host: "mail.example.org", Port: "1143", TLS: "starttls", User: "u", Password: "p", Folder: "Replies/Steady"}},
		{in: "imap://u:p@127.0.0.1?tls=none", want: IMAPConfig{Host: "127.0.0.1", Port: "143", TLS: "none", User: "u", Password: "p", Folder: "INBOX"}},
		{in: "pop3://u:p@h/", bad: true},
		{in: "imaps://h/INBOX", bad: true},
		{in: "imaps://u:p@/INBOX", bad: true},
		{in: "imap://u:p@h/?tls=maybe", bad: true},
	}
	for _, tt := range tests {
		got, err := ParseIMAPURL(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && got != tt.want) {
			t.Errorf("ParseIMAPURL(%q) = %+v, %v", tt.in, got, err)
		}
	}
	if _, err := ParseIMAPURL("imaps://user:hunter2@h:99999x/"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("a bad URL's error shows the password: %v", err)
	}
	if s := (IMAPConfig{Host: "h", Port: "993", TLS: "tls", User: "u", Password: "hunter2", Folder: "INBOX"}).String(); strings.Contains(s, "hunter2") {
		t.Errorf("String shows the password: %s", s)
	}
}

// TestPollerWithoutKeywords: on a folder that keeps no custom keywords the
// poller marks processed mail only \Seen and looks at unread mail again
// on the next pass, still storing nothing twice.
func TestPollerWithoutKeywords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, storetest.SQLite(t), 3)
	alex, prompts := b.subscriber(t, "alex@example.com", 1)
	h := startIMAPWith(t, "none", true)
	h.appendMessages(t,
		mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "one@x", body: "Answer."}.raw(),
		mail{from: "stranger@example.org", to: "steady@example.org", messageID: "two@x", body: "Hi."}.raw(),
	)
	p := newPoller(t, b, h, "")
	for range 2 {
		if err := p.runOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if rs := b.replies(t, alex.ID); len(rs) != 1 {
		t.Errorf("%d replies, want 1", len(rs))
	}
	flags := h.flags(t, "INBOX")
	if f := flags["one@x"]; !hasFlag(f, imap.FlagSeen) || hasFlag(f, KeywordDone) {
		t.Errorf("reply flags = %v, want only \\Seen", f)
	}
	if f := flags["two@x"]; hasFlag(f, imap.FlagSeen) || hasFlag(f, KeywordSkipped) {
		t.Errorf("unmatched flags = %v, want none", f)
	}
	if c := b.proc.Counts(); c[Stored] != 1 || c[Duplicate] != 0 || c[Unmatched] != 2 {
		t.Errorf("counts = %v, want the reply once and the unmatched message on both passes", c)
	}
}
