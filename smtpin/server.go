// Package smtpin is Steady's own inbound mail server: point an MX record
// at it and replies to prompts arrive without a mailbox in between. It
// accepts mail only for Steady's reply, unsubscribe and bounce addresses
// (and the bare From address), refuses everything else in the session
// (it never sends a bounce), checks the sender itself (SPF, DKIM, DMARC),
// records what it found in its own Authentication-Results header, and
// answers 250 only once the message is filed or held aside.
package smtpin

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/links"
)

// Receiver files one whole message; inbox.Intake is one. An error means
// nothing was kept, and the sending server is told to try again.
type Receiver interface {
	Receive(ctx context.Context, raw []byte, source string) (inbox.Result, error)
}

var _ Receiver = (*inbox.Intake)(nil)

// Resolver answers the DNS questions of SPF, DKIM and DMARC.
// *net.Resolver is one.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

var _ Resolver = (*net.Resolver)(nil)

// Source is the source name of mail received here (store.HeldMessage.Source).
const Source = "smtp"

// Defaults.
const (
	DefaultMaxBytes       = 10 << 20
	DefaultMaxRecipients  = 10
	DefaultReadTimeout    = time.Minute
	DefaultWriteTimeout   = time.Minute
	DefaultSessionTimeout = 10 * time.Minute
	// receiveTimeout bounds filing one message (the database calls).
	receiveTimeout = time.Minute
)

// Config configures a Server.
type Config struct {
	Receiver Receiver
	// Links knows which plus-addresses are Steady's (links.AddressToken)
	// and checks their tokens.
	Links *links.Links
	// From is the From address of Steady's email ("Steady <steady@example.org>").
	// Its bare address is accepted as a recipient too; its domain is the
	// default Hostname.
	From string
	// Hostname names this server in its greeting and is the authserv-id of
	// the Authentication-Results header it adds; default From's domain.
	Hostname string
	// Resolver answers DNS questions; default net.DefaultResolver.
	Resolver Resolver
	// MaxBytes is the largest message accepted; larger ones get 552.
	MaxBytes int64
	// MaxRecipients is the most recipients of one message.
	MaxRecipients int
	// ReadTimeout and WriteTimeout bound each read and write of a session;
	// SessionTimeout a whole session.
	ReadTimeout, WriteTimeout, SessionTimeout time.Duration
	// TLS, when set, is offered with STARTTLS.
	TLS    *tls.Config
	Logger *slog.Logger
}

// Server is the inbound SMTP server.
type Server struct {
	cfg  Config
	from string // bare From address, lower case
	srv  *smtp.Server

	ctx     context.Context // filing runs under it; cancelled when Stop gives up
	cancel  context.CancelFunc
	mu      sync.Mutex
	served  chan error
	conns   *conns
	stopped bool
}

// New checks cfg and returns a Server; it listens once Start is called.
func New(cfg Config) (*Server, error) {
	if cfg.Receiver == nil || cfg.Links == nil {
		return nil, errors.New("smtpin: a server needs a receiver and links")
	}
	addr, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtpin: from address: %w", err)
	}
	_, domain, _ := strings.Cut(addr.Address, "@")
	cfg.Hostname = strings.ToLower(cmp.Or(strings.TrimSpace(cfg.Hostname), domain))
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxBytes < 1024 {
		return nil, fmt.Errorf("smtpin: max message size %d: want at least 1024 bytes", cfg.MaxBytes)
	}
	cfg.MaxRecipients = cmp.Or(cfg.MaxRecipients, DefaultMaxRecipients)
	cfg.ReadTimeout = cmp.Or(cfg.ReadTimeout, DefaultReadTimeout)
	cfg.WriteTimeout = cmp.Or(cfg.WriteTimeout, DefaultWriteTimeout)
	cfg.SessionTimeout = cmp.Or(cfg.SessionTimeout, DefaultSessionTimeout)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, from: strings.ToLower(addr.Address)}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = cfg.Hostname
	s.srv.MaxMessageBytes = cfg.MaxBytes
	s.srv.MaxRecipients = cfg.MaxRecipients
	s.srv.ReadTimeout = cfg.ReadTimeout
	s.srv.WriteTimeout = cfg.WriteTimeout
	s.srv.TLSConfig = cfg.TLS
	s.srv.ErrorLog = slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn)
	return s, nil
}

// AuthServID is the authserv-id of the Authentication-Results header the
// server adds: the processor filing its mail must trust it.
func (s *Server) AuthServID() string { return s.cfg.Hostname }

// Start serves SMTP on ln until Stop.
func (s *Server) Start(ln net.Listener) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.served != nil {
		return errors.New("smtpin: already started")
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.served = make(chan error, 1)
	s.conns = &conns{timeout: s.cfg.SessionTimeout}
	go func() { s.served <- s.srv.Serve(listener{Listener: ln, conns: s.conns}) }()
	s.cfg.Logger.Info("receiving email over SMTP", "addr", ln.Addr().String(), "hostname", s.cfg.Hostname,
		"starttls", s.cfg.TLS != nil, "max_bytes", s.cfg.MaxBytes)
	return nil
}

// Stop stops accepting connections and waits for the sessions in flight
// to end until ctx ends; then it closes them (their senders retry later:
// nothing unacknowledged is kept).
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.served == nil {
		return nil
	}
	if s.stopped {
		return nil
	}
	s.stopped = true
	err := s.srv.Shutdown(ctx)
	if err != nil {
		// go-smtp's Close does nothing once Shutdown has begun.
		s.conns.closeAll()
	}
	s.cancel()
	<-s.served
	if err != nil {
		return fmt.Errorf("smtpin: stop: sessions cut short: %w", err)
	}
	return nil
}

// ours says whether mail to rcpt is Steady's to receive: the bare From
// address, or one of its plus-addresses whose token is genuine (expired
// tokens count: a late reply or an old unsubscribe is still filed).
func (s *Server) ours(rcpt string) bool {
	rcpt = strings.ToLower(strings.TrimSpace(rcpt))
	if rcpt == s.from {
		return true
	}
	purpose, token, ok := s.cfg.Links.AddressToken(rcpt)
	if !ok {
		return false
	}
	_, err := s.cfg.Links.Verify(purpose, token)
	return err == nil || errors.Is(err, links.ErrTokenExpired)
}
