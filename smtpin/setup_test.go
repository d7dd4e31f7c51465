package smtpin

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-smtp"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// secretWords appear only in message bodies; no log may contain them.
const secretWords = "moonlit-secret"

// fakeDNS answers TXT questions from a table and knows no other records:
// the one outside service the tests cannot run.
type fakeDNS struct {
	mu  sync.Mutex
	txt map[string][]string
}

func (f *fakeDNS) set(name string, records ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.txt[strings.ToLower(name)] = records
}

func notFound(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (f *fakeDNS) LookupTXT(_ context.Context, name string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.txt[strings.ToLower(strings.TrimSuffix(name, "."))]; ok {
		return r, nil
	}
	return nil, notFound(name)
}
func (f *fakeDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	return nil, notFound(name)
}
func (f *fakeDNS) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	return nil, notFound(host)
}
func (f *fakeDNS) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return nil, notFound(addr)
}

// switchReceiver hands messages to whichever receiver is current, so a
// test can swap the database under a running server.
type switchReceiver struct {
	mu sync.Mutex
	r  Receiver
}

func (s *switchReceiver) set(r Receiver) { s.mu.Lock(); s.r = r; s.mu.Unlock() }
func (s *switchReceiver) Receive(ctx context.Context, raw []byte, source string) (inbox.Result, error) {
	s.mu.Lock()
	r := s.r
	s.mu.Unlock()
	return r.Receive(ctx, raw, source)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// bundle is a running receiver over a real store.
type bundle struct {
	db       *store.DB
	links    *links.Links
	clock    *steady.ManualClock
	dns      *fakeDNS
	receiver *switchReceiver
	srv      *Server
	addr     string
	logger   *slog.Logger
	dkimKey  ed25519.PrivateKey
}

const steadyFrom = "Steady <steady@example.org>"

func setup(t testing.TB, db *store.DB, tweak func(*Config)) *bundle {
	t.Helper()
	logs := &syncBuffer{}
	b := &bundle{db: db, clock: steady.NewManualClock(t0), dns: &fakeDNS{txt: map[string][]string{}}, receiver: &switchReceiver{},
		logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	var err error
	b.links, err = links.New("https://steady.example.org", steadyFrom, []byte("0123456789abcdef0123456789abcdef"), b.clock)
	if err != nil {
		t.Fatal(err)
	}
	b.receiver.set(b.intake(t, db))
	cfg := Config{Receiver: b.receiver, Links: b.links, From: steadyFrom, Resolver: b.dns, Logger: b.logger}
	if tweak != nil {
		tweak(&cfg)
	}
	b.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.addr = ln.Addr().String()
	if err := b.srv.Start(ln); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = b.srv.Stop(ctx)
		if l := logs.String(); strings.Contains(l, "@example.") || strings.Contains(l, secretWords) {
			t.Errorf("an address or a body was logged:\n%s", l)
		}
	})
	// alex@example.com's mail comes from this machine and is signed.
	_, b.dkimKey, _ = ed25519.GenerateKey(rand.Reader)
	b.dns.set("example.com", "v=spf1 ip4:127.0.0.1 -all")
	b.dns.set("_dmarc.example.com", "v=DMARC1; p=reject")
	b.dns.set("sel._domainkey.example.com", "v=DKIM1; k=ed25519; p="+
		base64.StdEncoding.EncodeToString(b.dkimKey.Public().(ed25519.PublicKey)))
	return b
}

// intake is the inbox's intake over db, trusting this receiver's own
// authserv-id (the From domain) as serve does.
func (b *bundle) intake(t testing.TB, db *store.DB) *inbox.Intake {
	t.Helper()
	proc, err := inbox.NewProcessor(inbox.ProcessorConfig{Store: db, Links: b.links, Clock: b.clock, Logger: b.logger,
		TrustedAuthServ: []string{"example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := inbox.NewIntake(inbox.IntakeConfig{Processor: proc, Holder: db, Clock: b.clock, Logger: b.logger})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// subscriber signs address up, confirms it and sends it one prompt at t0.
func subscriber(t testing.TB, db *store.DB, address string) (steady.Subscriber, steady.Delivery) {
	t.Helper()
	ctx := context.Background()
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: address, TimeZone: "Europe/London",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 9},
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"},
		Now:      t0.Add(-time.Hour), ResendAfter: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, t0.Add(-time.Hour),
		func(steady.Subscriber) (time.Time, error) { return t0, nil })
	if err != nil {
		t.Fatal(err)
	}
	plan := func(s steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
		return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: steady.ChannelEmail, Slot: s.NextSlot,
			PromptID: "p1", Theme: "honesty", PromptText: "Do you feel heard?"}, s.NextSlot.Add(24 * time.Hour), nil
	}
	if _, err := db.ClaimDue(ctx, t0, 100, plan); err != nil {
		t.Fatal(err)
	}
	for _, d := range storetest.Claim(t, db, t0) {
		if err := db.FinishDelivery(ctx, d, store.Outcome{Status: steady.DeliverySent, Now: t0}); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := db.Deliveries(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Kind == steady.KindPrompt {
			return sub, d
		}
	}
	t.Fatal("no prompt was sent")
	return sub, steady.Delivery{}
}

// message is a reply as a mail program writes it.
type message struct {
	from, to, messageID, inReplyTo, extra, body string
}

func (m message) raw() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Someone <%s>\r\nTo: %s\r\nSubject: Re: Today's reflection\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n", m.from, m.to)
	if m.messageID != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\r\n", m.messageID)
	}
	if m.inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\n", m.inReplyTo)
	}
	b.WriteString(m.extra)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(m.body, "\n", "\r\n") + "\r\n")
	return []byte(b.String())
}

// sign adds a real DKIM signature by domain with key.
func sign(t testing.TB, raw []byte, domain string, key crypto.Signer) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := dkim.Sign(&out, bytes.NewReader(raw), &dkim.SignOptions{Domain: domain, Selector: "sel", Signer: key,
		HeaderKeys: []string{"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To"}}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// deliver sends raw over a real SMTP conversation, as a sending server
// would, and returns the first refusal.
func (b *bundle) deliver(t testing.TB, mailFrom string, rcpts []string, raw []byte) error {
	t.Helper()
	c, err := smtp.Dial(b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mail.example.com"); err != nil {
		return err
	}
	if err := c.Mail(mailFrom, nil); err != nil {
		return err
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// code is the SMTP reply code of err, or 0.
func code(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

func (b *bundle) replies(t testing.TB, subID int64) []steady.Reply {
	t.Helper()
	rs, err := b.db.Replies(context.Background(), subID)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func (b *bundle) held(t *testing.T) []store.HeldMessage {
	t.Helper()
	hs, err := b.db.HeldMessages(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return hs
}
