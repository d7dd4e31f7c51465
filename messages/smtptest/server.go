// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) in
// the test process, on 127.0.0.1 and a free port, and records what it
// receives. It can require AUTH PLAIN, offer STARTTLS or speak implicit TLS
// with a certificate made on the spot, inject faults, and answer slowly.
//
//	srv := smtptest.Start(t, smtptest.WithSTARTTLS(), smtptest.WithAuth("u", "p"))
//	... send to srv.Host(), srv.Port() trusting srv.ClientTLSConfig() ...
//	got := srv.WaitMessages(t, 1, 5*time.Second)
package smtptest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From string   // MAIL FROM
	To   []string // RCPT TO, in order
	Data []byte   // the raw message, headers and body, CRLF line ends
	// User is the AUTH user name, or "" without AUTH.
	User string
}

// Fault is a failure the server injects into every session until changed.
type Fault int

// Faults.
const (
	NoFault Fault = iota
	// RejectRcpt answers RCPT TO with 550 5.1.1 (permanent).
	RejectRcpt
	// TempFailData reads the message, then answers 451 4.3.0 (try later).
	TempFailData
	// RejectData reads the message, then answers 554 5.6.0 (permanent).
	RejectData
	// DropAfterData reads the whole message, records it (a real server may
	// have queued it) and closes the connection without a reply.
	DropAfterData
	// TempFailMail answers MAIL FROM with 451 4.3.2 (try later), as a
	// server short of resources does.
	TempFailMail
)

// WithFaultPattern decides the fault of each message by its number: the
// n-th message to reach the end of DATA (0, 1, 2, … across all sessions
// since the pattern was set) gets fault(n). It overrides WithFault and
// SetFault at DATA; SetFaultPattern changes it later.
func WithFaultPattern(fault func(n int) Fault) Option {
	return func(s *Server) { s.pattern = fault }
}

// Option configures Start.
type Option func(*Server)

// WithAuth requires AUTH PLAIN with these credentials before MAIL FROM. As
// with any go-smtp server, AUTH is offered only over TLS, so combine it with
// WithSTARTTLS or WithImplicitTLS.
func WithAuth(user, pass string) Option {
	return func(s *Server) { s.user, s.pass = user, pass }
}

// WithSTARTTLS offers STARTTLS with a self-signed certificate for 127.0.0.1
// and localhost; ClientTLSConfig trusts it.
func WithSTARTTLS() Option {
	return func(s *Server) { s.startTLS = true }
}

// WithImplicitTLS speaks TLS from the first byte (SMTPS) with the same kind
// of certificate.
func WithImplicitTLS() Option {
	return func(s *Server) { s.implicitTLS = true }
}

// WithFault starts the server with a fault; SetFault changes it later.
func WithFault(f Fault) Option {
	return func(s *Server) { s.fault = f }
}

// WithDelay makes the server wait d after reading each message it accepts
// before answering 250, as a slow server does. The message is recorded as
// soon as it is read, so a client that dies during the wait has still
// handed it over. Faults answer at once.
func WithDelay(d time.Duration) Option {
	return func(s *Server) { s.delay = d }
}

// WithOnMessage calls f with a copy of every message the server records,
// just after recording it, from the session's goroutine: f must be safe for
// concurrent use. It lets a test keep its own tally without copying
// Messages() over and over.
func WithOnMessage(f func(Received)) Option {
	return func(s *Server) { s.onMessage = f }
}

// WithCommandCount makes the server count the NOOP and RSET commands it
// answers, for Count. It reads every byte of every session to do so, so
// it is left off by default (a benchmark's server should not pay for it).
func WithCommandCount() Option {
	return func(s *Server) { s.counts = new(commandCounter) }
}

// Server is a running test SMTP server. It stops when the test ends.
type Server struct {
	user, pass            string
	startTLS, implicitTLS bool
	delay                 time.Duration   // WithDelay
	onMessage             func(Received)  // WithOnMessage
	counts                *commandCounter // WithCommandCount

	srv       *smtp.Server
	addr      *net.TCPAddr
	clientTLS *tls.Config

	mu       sync.Mutex
	fault    Fault
	pattern  func(n int) Fault // per message at DATA, if set
	datas    int               // messages that reached DATA under pattern
	received []Received
	changed  chan struct{}         // closed and replaced on every new message
	opened   int                   // sessions ever opened
	live     map[*session]struct{} // sessions not yet logged out
}

// Start listens on 127.0.0.1:0 and serves until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{changed: make(chan struct{}), live: make(map[*session]struct{})}
	for _, opt := range opts {
		opt(s)
	}

	s.srv = smtp.NewServer(smtp.BackendFunc(s.newSession))
	s.srv.Domain = "smtptest.localhost"
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	if s.counts != nil {
		s.srv.Debug = s.counts
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.addr = l.Addr().(*net.TCPAddr)
	if s.startTLS || s.implicitTLS {
		serverTLS, clientTLS, err := selfSigned()
		if err != nil {
			l.Close()
			t.Fatalf("smtptest: certificate: %v", err)
		}
		s.clientTLS = clientTLS
		if s.implicitTLS {
			l = tls.NewListener(l, serverTLS)
		} else {
			s.srv.TLSConfig = serverTLS
		}
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(l)
	}()
	t.Cleanup(func() {
		_ = s.srv.Close()
		// Close only closes listeners Serve has registered; if the test
		// ended before Serve ran, close ours so Serve returns.
		_ = l.Close()
		<-done
	})
	return s
}

// Host is "127.0.0.1".
func (s *Server) Host() string { return s.addr.IP.String() }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.addr.Port }

// Addr is "127.0.0.1:port".
func (s *Server) Addr() string { return s.addr.String() }

// URL is an SMTP URL for the server as messages.ParseSMTPURL reads it:
// smtp://user:pass@127.0.0.1:port?tls=none|starttls|tls.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr()}
	switch {
	case s.implicitTLS:
		u.RawQuery = "tls=tls"
	case s.startTLS:
		u.RawQuery = "tls=starttls"
	default:
		u.RawQuery = "tls=none"
	}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.pass)
	}
	return u.String()
}

// ClientTLSConfig trusts the server's certificate; nil without TLS. Each
// call returns a fresh copy.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.clientTLS == nil {
		return nil
	}
	return s.clientTLS.Clone()
}

// SetFault changes the fault for commands from now on.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// SetFaultPattern sets (or, with nil, clears) the fault pattern of
// WithFaultPattern and restarts its count at 0.
func (s *Server) SetFaultPattern(fault func(n int) Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pattern, s.datas = fault, 0
}

// dataFault is the fault for a message that has reached the end of DATA.
func (s *Server) dataFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pattern == nil {
		return s.fault
	}
	n := s.datas
	s.datas++
	return s.pattern(n)
}

func (s *Server) currentFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fault
}

// Messages returns a copy of what was received so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.received))
	for i, r := range s.received {
		r.To = append([]string(nil), r.To...)
		r.Data = append([]byte(nil), r.Data...)
		out[i] = r
	}
	return out
}

// Wait returns the messages once at least n have arrived, or an error after
// timeout.
func (s *Server) Wait(n int, timeout time.Duration) ([]Received, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, changed := len(s.received), s.changed
		s.mu.Unlock()
		if got >= n {
			return s.Messages(), nil
		}
		select {
		case <-changed:
		case <-deadline.C:
			return s.Messages(), fmt.Errorf("smtptest: %d message(s) after %v, want %d", got, timeout, n)
		}
	}
}

// WaitMessages is Wait that fails the test on timeout.
func (s *Server) WaitMessages(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	msgs, err := s.Wait(n, timeout)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func (s *Server) record(r Received) {
	s.mu.Lock()
	s.received = append(s.received, r)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	if s.onMessage != nil {
		r.To = append([]string(nil), r.To...)
		r.Data = append([]byte(nil), r.Data...)
		s.onMessage(r)
	}
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	ss := &session{srv: s, conn: c}
	s.mu.Lock()
	s.opened++
	s.live[ss] = struct{}{}
	s.mu.Unlock()
	return ss, nil
}

// Sessions says how many SMTP sessions (connections) were ever opened and
// how many are open now.
func (s *Server) Sessions() (opened, open int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened, len(s.live)
}

// Count is how many times the server has answered command cmd, "NOOP"
// or "RSET", in every session; 0 without WithCommandCount.
func (s *Server) Count(cmd string) int64 {
	if s.counts == nil {
		return 0
	}
	switch cmd {
	case "NOOP":
		return s.counts.noops.Load()
	case "RSET":
		return s.counts.rsets.Load()
	}
	panic("smtptest: Count counts NOOP and RSET, not " + cmd)
}

// commandCounter is go-smtp's debug stream (what every session reads and
// writes), counting the server's answers to NOOP and RSET, which go-smtp
// writes each in one piece and gives to no other command.
type commandCounter struct{ noops, rsets atomic.Int64 }

var (
	noopReply = []byte("250 2.0.0 I have successfully done nothing\r\n")
	rsetReply = []byte("250 2.0.0 Session reset\r\n")
)

func (c *commandCounter) Write(b []byte) (int, error) {
	c.noops.Add(int64(bytes.Count(b, noopReply)))
	c.rsets.Add(int64(bytes.Count(b, rsetReply)))
	return len(b), nil
}

// DropConnections closes every open session's connection without a word,
// as a server restarting or timing out idle clients does.
func (s *Server) DropConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ss := range s.live {
		_ = ss.conn.Conn().Close()
	}
}

// session is one SMTP connection; go-smtp calls it from one goroutine.
type session struct {
	srv  *Server
	conn *smtp.Conn
	user string // authenticated user
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.srv.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.srv.user == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != ss.srv.user || pass != ss.srv.pass || (identity != "" && identity != user) {
			return smtp.ErrAuthFailed
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.user != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	if ss.srv.currentFault() == TempFailMail {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Not now"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.srv.currentFault() == RejectRcpt {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	switch ss.srv.dataFault() {
	case TempFailData:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	case RejectData:
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message refused"}
	case DropAfterData:
		ss.srv.record(Received{From: ss.from, To: ss.to, Data: data, User: ss.user})
		_ = ss.conn.Conn().Close()
		return errors.New("smtptest: connection dropped on purpose")
	}
	ss.srv.record(Received{From: ss.from, To: ss.to, Data: data, User: ss.user})
	time.Sleep(ss.srv.delay)
	return nil
}

func (ss *session) Reset() {
	ss.from, ss.to = "", nil
}

func (ss *session) Logout() error {
	ss.srv.mu.Lock()
	delete(ss.srv.live, ss)
	ss.srv.mu.Unlock()
	return nil
}
