package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/smtpin"
	"github.com/steadyapp/steady/store"
)

// smtpInSettings configure the built-in inbound SMTP receiver; it is off
// unless Addr is set.
type smtpInSettings struct {
	Addr, MaxBytes, TLSCert, TLSKey, Hostname string

	maxBytes int64
	tls      *tls.Config
	// resolver answers the receiver's DNS questions; nil is the system's.
	// Tests set it: there is no flag.
	resolver smtpin.Resolver
}

func smtpInSettingsOf(s *smtpInSettings) []setting {
	return []setting{
		{"smtp-inbound", "STEADY_SMTP_INBOUND_ADDR", "", "address the built-in SMTP receiver listens on for replies, e.g. 0.0.0.0:25 behind your MX record (unset: off)", &s.Addr},
		{"smtp-inbound-max-bytes", "STEADY_SMTP_INBOUND_MAX_BYTES", strconv.Itoa(smtpin.DefaultMaxBytes), "largest message the SMTP receiver accepts, in bytes (larger ones get 552)", &s.MaxBytes},
		{"smtp-inbound-tls-cert", "STEADY_SMTP_INBOUND_TLS_CERT", "", "PEM certificate file the SMTP receiver offers with STARTTLS (with --smtp-inbound-tls-key)", &s.TLSCert},
		{"smtp-inbound-tls-key", "STEADY_SMTP_INBOUND_TLS_KEY", "", "PEM private key file of --smtp-inbound-tls-cert", &s.TLSKey},
		{"smtp-inbound-hostname", "STEADY_SMTP_INBOUND_HOSTNAME", "", "the SMTP receiver's name in its greeting and its Authentication-Results headers (default: the From address's domain)", &s.Hostname},
	}
}

// finish checks the settings once.
func (s *smtpInSettings) finish() error {
	if s.MaxBytes == "" {
		s.MaxBytes = strconv.Itoa(smtpin.DefaultMaxBytes)
	}
	n, err := strconv.ParseInt(s.MaxBytes, 10, 64)
	if err != nil || n < 1024 || n > 32<<20 {
		return fmt.Errorf("--smtp-inbound-max-bytes %q: want a whole number of bytes from 1024 to %d", s.MaxBytes, 32<<20)
	}
	s.maxBytes = n
	if (s.TLSCert == "") != (s.TLSKey == "") {
		return fmt.Errorf("--smtp-inbound-tls-cert and --smtp-inbound-tls-key go together: give both or neither")
	}
	if s.Hostname != "" && (strings.ContainsAny(s.Hostname, " ;@/") || !strings.Contains(s.Hostname, ".")) {
		return fmt.Errorf("--smtp-inbound-hostname %q: want a host name such as mx.example.org", s.Hostname)
	}
	if s.Addr == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(s.Addr); err != nil {
		return fmt.Errorf("--smtp-inbound %q: want host:port, e.g. 0.0.0.0:25", s.Addr)
	}
	if s.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(s.TLSCert, s.TLSKey)
		if err != nil {
			return fmt.Errorf("--smtp-inbound-tls-cert/--smtp-inbound-tls-key: %v", err)
		}
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	return nil
}

// inboundConfigured says whether anything reads emailed replies: the IMAP
// poller, the SMTP receiver, a provider's webhook, or (preview) the
// outbox's reply box. Prompts invite an emailed reply, and offer a mailto
// unsubscribe, only then.
func (c *Config) inboundConfigured() bool {
	return c.IMAP.URL != "" || c.SMTPIn.Addr != "" || c.Mailhook.any() || c.Mail == mailOutbox
}

// buildSMTPIn makes the SMTP receiver when it is configured. Its processor
// believes the receiver's own Authentication-Results (always the topmost,
// since the receiver adds it last and strips copies) and the operator's
// trusted servers; the IMAP poller's processor does not believe the
// receiver's authserv-id, since mail read from a mailbox never passed
// through it.
func (a *app) buildSMTPIn(lk *links.Links, clock steady.Clock, compose func(steady.Delivery, steady.Subscriber) (steady.Message, error), hasher store.AddressHasher) error {
	s := a.cfg.SMTPIn
	if s.Addr == "" {
		return nil
	}
	recv := &lateReceiver{}
	srv, err := smtpin.New(smtpin.Config{
		Receiver: recv, Links: lk, From: a.cfg.From, Hostname: s.Hostname, Resolver: s.resolver,
		MaxBytes: s.maxBytes, TLS: s.tls, Logger: a.logger,
	})
	if err != nil {
		return err
	}
	trusted := append([]string{srv.AuthServID()}, splitList(a.cfg.IMAP.TrustedAuthServ)...)
	proc, err := inbox.NewProcessor(inbox.ProcessorConfig{
		Store: a.db, Links: lk, Clock: clock, Logger: a.logger, BounceThreshold: a.cfg.IMAP.threshold, TrustedAuthServ: trusted,
		Compose: compose, From: a.cfg.From, Metrics: a.metrics,
	})
	if err != nil {
		return err
	}
	recv.Intake, err = inbox.NewIntake(inbox.IntakeConfig{Processor: proc, Holder: a.db, Clock: clock, Logger: a.logger, Hasher: hasher, Metrics: a.metrics})
	if err != nil {
		return err
	}
	a.smtpIn = srv
	return nil
}

// lateReceiver lets the receiver be made (for its authserv-id) before the
// intake that trusts it.
type lateReceiver struct{ *inbox.Intake }

// startSMTPIn listens and starts the receiver, if configured.
func (a *app) startSMTPIn() error {
	if a.smtpIn == nil {
		return nil
	}
	ln, err := net.Listen("tcp", a.cfg.SMTPIn.Addr)
	if err != nil {
		return fmt.Errorf("smtp inbound: listen on %s: %w", a.cfg.SMTPIn.Addr, err)
	}
	a.smtpInAddr = ln.Addr().String()
	return a.smtpIn.Start(ln)
}

// stopSMTPIn stops the receiver: no new connections, and the sessions in
// flight have until ctx ends (then they are cut and their senders retry).
func (a *app) stopSMTPIn(ctx context.Context) {
	if a.smtpIn == nil {
		return
	}
	if err := a.smtpIn.Stop(ctx); err != nil {
		a.logger.Warn("smtp receiver shutdown", "err", err)
	}
}

// stopSMTPInWithin stops the receiver within the shutdown timeout.
func (a *app) stopSMTPInWithin(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
	defer cancel()
	a.stopSMTPIn(ctx)
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
