package messages

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/steadyapp/steady"
)

// DefaultSMTPTimeout bounds dialling and, separately, the SMTP conversation
// of one send.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPSender sends email through one SMTP server with go-mail. It keeps a
// pool of sessions (WithSMTPConnections, default 4) and sends up to that
// many messages at once, each session many messages in turn (MAIL, RCPT,
// DATA; no RSET after a message the server took, since its 250 at the end
// of the data ends the mail transaction, RFC 5321 section 4.1.1.4); a
// session is closed after WithSMTPSessionLimit messages, when
// idle for WithSMTPIdleTimeout, and after any failure. A reused session
// that the server dropped while idle is replaced before anything is sent:
// one idle for smtpCheckIdle or longer is checked with NOOP first, and one
// whose MAIL FROM finds the connection gone is replaced and the message
// sent in the new one. Messages sent back to back carry no NOOP.
// Safe for concurrent use; Close ends the idle sessions.
type SMTPSender struct {
	client  *gomail.Client
	from    *mail.Address
	addr    string // host:port, for errors
	timeout time.Duration
	clock   steady.Clock
	log     *slog.Logger
	pool    *smtpPool
	// metrics counts failed sends (nil: not counted); contact remembers
	// the last session the server answered, for readiness (LastContact).
	metrics Metrics
	contact contact
}

var _ Sender = (*SMTPSender)(nil)

// SMTPOption changes an SMTPSender built by NewSMTPSender.
type SMTPOption func(*smtpOptions)

type smtpOptions struct {
	timeout   time.Duration
	tlsConfig *tls.Config
	clock     steady.Clock
	log       *slog.Logger
	helo      string
	metrics   Metrics

	connections, maxMessages int
	idle                     time.Duration
}

// WithSMTPConnections sets how many sessions the sender keeps open at
// most, so how many messages it sends at once. Default
// DefaultSMTPConnections.
func WithSMTPConnections(n int) SMTPOption {
	return func(o *smtpOptions) { o.connections = n }
}

// WithSMTPSessionLimit sets how many messages one session sends before it
// is closed and a new one opened. Default DefaultSMTPMessagesPerSession.
func WithSMTPSessionLimit(n int) SMTPOption {
	return func(o *smtpOptions) { o.maxMessages = n }
}

// WithSMTPIdleTimeout sets how long an unused session stays open. Default
// DefaultSMTPIdleTimeout.
func WithSMTPIdleTimeout(d time.Duration) SMTPOption {
	return func(o *smtpOptions) { o.idle = d }
}

// WithSMTPMetrics counts failed sends by error class in m.
func WithSMTPMetrics(m Metrics) SMTPOption {
	return func(o *smtpOptions) { o.metrics = m }
}

// WithSMTPTimeout bounds dialling (TLS and AUTH included) and, separately,
// the rest of one send. Default DefaultSMTPTimeout.
func WithSMTPTimeout(d time.Duration) SMTPOption {
	return func(o *smtpOptions) { o.timeout = d }
}

// WithSMTPTLSConfig sets the TLS settings for STARTTLS and implicit TLS,
// e.g. RootCAs trusting a test CA. An empty ServerName is filled with the
// server's host name.
func WithSMTPTLSConfig(c *tls.Config) SMTPOption {
	return func(o *smtpOptions) { o.tlsConfig = c }
}

// WithSMTPClock sets the clock used for the Date header.
func WithSMTPClock(c steady.Clock) SMTPOption {
	return func(o *smtpOptions) { o.clock = c }
}

// WithSMTPLogger sets where the sender logs. It logs no bodies and no
// recipient addresses, only delivery ids, Message-IDs and outcomes.
func WithSMTPLogger(l *slog.Logger) SMTPOption {
	return func(o *smtpOptions) { o.log = l }
}

// WithSMTPHELO sets the name sent in EHLO; default the machine's host name.
func WithSMTPHELO(name string) SMTPOption {
	return func(o *smtpOptions) { o.helo = name }
}

// NewSMTPSender returns a sender for cfg. from is the From address and may
// carry a display name: "Steady <steady@example.org>". It is also the
// envelope sender (MAIL FROM) of a message without Message.EnvelopeFrom.
//
// TLS follows cfg.TLS exactly: starttls requires STARTTLS (no silent
// fallback to plain text), tls is implicit TLS, none never encrypts. With a
// user name, the sender authenticates with the strongest mechanism the
// server offers; PLAIN and LOGIN only over an encrypted connection.
func NewSMTPSender(cfg SMTPConfig, from string, opts ...SMTPOption) (*SMTPSender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	fromAddr, err := mail.ParseAddress(from)
	if err != nil || !strings.Contains(fromAddr.Address, "@") {
		return nil, fmt.Errorf("messages: from address %q is not an email address like \"Steady <steady@example.org>\"", from)
	}
	o := smtpOptions{timeout: DefaultSMTPTimeout, connections: DefaultSMTPConnections,
		maxMessages: DefaultSMTPMessagesPerSession, idle: DefaultSMTPIdleTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if o.timeout <= 0 {
		return nil, fmt.Errorf("messages: SMTP timeout %v is not positive", o.timeout)
	}
	if o.connections < 1 || o.maxMessages < 1 || o.idle <= 0 {
		return nil, fmt.Errorf("messages: SMTP pool of %d connections, %d messages each, idle %v: want positive values",
			o.connections, o.maxMessages, o.idle)
	}
	if o.clock == nil {
		o.clock = steady.SystemClock{}
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}

	var tlsConfig *tls.Config
	if o.tlsConfig != nil {
		tlsConfig = o.tlsConfig.Clone()
	} else {
		tlsConfig = &tls.Config{}
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = cfg.Host
	}
	if tlsConfig.MinVersion == 0 {
		tlsConfig.MinVersion = tls.VersionTLS12
	}

	// go-mail joins host and port as "%s:%d"; bracket an IPv6 literal.
	host := cfg.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	copts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(o.timeout),
		gomail.WithTLSConfig(tlsConfig),
		// go-mail would send NOOP before every message and again before
		// an RSET after it; Send checks a session itself, only after it
		// was idle (see smtpCheckIdle).
		gomail.WithoutNoop(),
		// A message the server took ends its transaction; go-mail still
		// resets after a refusal, and a session that failed is closed.
		gomail.WithoutRset(),
	}
	// go-mail's default policy is mandatory STARTTLS, so every mode is set
	// explicitly. WithSSLPort / WithTLSPortPolicy are avoided on purpose:
	// they may fall back to plain text on port 25.
	switch cfg.TLS {
	case TLSStartTLS:
		copts = append(copts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithDialContextFunc(dialWriteUntilRead))
	case TLSImplicit:
		// go-mail's own dialer: with another it would not know the
		// session is encrypted.
		copts = append(copts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSNone:
		copts = append(copts, gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithDialContextFunc(dialWriteUntilRead))
	}
	if cfg.Username != "" {
		copts = append(copts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username),
			gomail.WithPassword(cfg.Password))
	}
	if o.helo != "" {
		copts = append(copts, gomail.WithHELO(o.helo))
	}
	client, err := gomail.NewClient(host, copts...)
	if err != nil {
		return nil, fmt.Errorf("messages: SMTP client for %s: %w", cfg, err)
	}
	return &SMTPSender{
		client:  client,
		from:    fromAddr,
		addr:    net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
		timeout: o.timeout,
		clock:   o.clock,
		log:     o.log,
		pool:    newSMTPPool(client, o.connections, o.maxMessages, o.idle),
		metrics: o.metrics,
	}, nil
}

// Send sends m to m.To and returns its Message-ID (without angle brackets)
// as the provider id. See the package comment for what the error means.
//
// ctx bounds waiting for a free session and opening a new one (TCP or
// implicit TLS, EHLO, AUTH). After that the conversation runs to its end or
// the timeout: cutting it short after DATA would turn a clean send into an
// unknown outcome.
func (s *SMTPSender) Send(ctx context.Context, m steady.Message) (string, error) {
	msg, eightBit, err := s.build(m)
	if err != nil {
		return "", err
	}
	msgID := strings.Trim(msg.GetMessageID(), "<>")

	if err := s.pool.acquire(ctx); err != nil {
		return "", fmt.Errorf("messages: smtp: waiting to send: %w", err)
	}
	defer s.pool.release()
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("messages: smtp: %w", err)
	}

	log := s.log.With(slog.Int64("delivery_id", m.DeliveryID), slog.String("message_id", msgID))
	sess := s.pool.idleSession()
	if sess != nil && s.clock.Now().Sub(sess.idleSince) >= smtpCheckIdle {
		if err := s.check(sess); err != nil {
			// The server dropped the idle session: nothing was sent.
			log.Debug("smtp idle session was closed by the server; opening a new one", slog.Any("error", err))
			s.pool.discard(sess)
			sess = nil
		}
	}
	var sendErr error
	if sess != nil {
		setBodyEncoding(msg, eightBit && has8BitMIME(sess.c))
		sendErr = s.client.SendWithSMTPClient(sess.c, msg)
		if sendErr != nil && !msg.IsDelivered() && sessionGone(sendErr) {
			// The server dropped the reused session before MAIL FROM was
			// answered: nothing was sent; try once in a new session.
			log.Debug("smtp reused session was closed by the server; opening a new one", slog.Any("error", sendErr))
			s.pool.discard(sess)
			sess = nil
		}
	}
	if sess == nil {
		if sess, err = s.pool.dial(ctx); err != nil {
			// Nothing was handed over: connection refused, TLS, EHLO, AUTH.
			log.Debug("smtp connect failed", slog.String("server", s.addr), slog.Any("error", err))
			class := smtpConnectClass(err)
			s.failed(class, class != ErrorClassTimeout && class != ErrorClassConnection)
			return "", fmt.Errorf("messages: smtp: connect to %s: %w", s.addr, err)
		}
		setBodyEncoding(msg, eightBit && has8BitMIME(sess.c))
		sendErr = s.client.SendWithSMTPClient(sess.c, msg)
	}

	if msg.IsDelivered() {
		// The server took the message (250 after DATA); an error after
		// that changes nothing, but the session is not reused.
		if sendErr != nil {
			log.Debug("smtp sent; the session failed afterwards", slog.Any("error", sendErr))
			s.pool.discard(sess)
		} else {
			s.pool.put(sess, s.clock.Now())
		}
		log.Debug("smtp sent")
		s.contact.record(true, s.clock.Now())
		return msgID, nil
	}
	s.pool.discard(sess)
	if sendErr == nil {
		// go-mail reports success only with IsDelivered set; be safe.
		return "", fmt.Errorf("messages: smtp: %w: the client reported neither success nor an error", steady.ErrOutcomeUnknown)
	}
	err = classifySendError(sendErr)
	class := smtpSendClass(sendErr)
	s.failed(class, class != ErrorClassTimeout && class != ErrorClassConnection)
	log.Debug("smtp send failed", slog.Any("error", err))
	return "", err
}

// smtpCheckIdle is how long a session may have been idle before Send
// checks it with NOOP: a server that closes idle sessions does so after
// tens of seconds or minutes, so a session used a moment ago is sent on at
// once, and one the server dropped anyway is caught by sessionGone.
const smtpCheckIdle = time.Second

// check asks the server whether idle session sess is still open (NOOP),
// within the sender's timeout.
func (s *SMTPSender) check(sess *smtpSession) error {
	if err := sess.c.UpdateDeadline(s.timeout); err != nil {
		return err
	}
	return sess.c.Noop()
}

// sessionGone says whether err shows a reused session closed before the
// message's first command was answered: go-mail found no connection, or
// MAIL FROM got no reply because the connection was closed or reset (not
// a timeout, not a refusal). Nothing of the message reached the server.
func sessionGone(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Reason {
	case gomail.ErrConnCheck:
		return true
	case gomail.ErrSMTPMailFrom:
		return se.ErrorCode() == 0 && smtpSendClass(err) == ErrorClassConnection
	}
	return false
}

// Sessions is how many SMTP sessions the sender has opened so far.
func (s *SMTPSender) Sessions() int64 { return s.pool.opened.Load() }

// Close ends the idle sessions with QUIT; a session in use is closed when
// its send ends. The sender still works after Close, one session per
// message.
func (s *SMTPSender) Close() error {
	s.pool.close()
	return nil
}

// reservedHeaders are set by Send itself; m.Headers may not repeat them.
var reservedHeaders = map[string]bool{
	"From": true, "Sender": true, "To": true, "Cc": true, "Bcc": true,
	"Reply-To": true, "Subject": true, "Message-Id": true, "Date": true,
	"Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true,
}

// build turns m into a go-mail message, and says whether its text and HTML
// may go as they are, 8bit (fitsEightBit), to a server that takes 8BITMIME.
// Its errors wrap steady.ErrRejected: a message that cannot be built will
// never send.
func (s *SMTPSender) build(m steady.Message) (msg *gomail.Msg, eightBit bool, err error) {
	reject := func(format string, args ...any) error {
		return fmt.Errorf("messages: smtp: %w: "+format, append([]any{steady.ErrRejected}, args...)...)
	}
	if m.Channel != "" && m.Channel != steady.ChannelEmail {
		return nil, false, reject("channel %q is not email", m.Channel)
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil || !strings.Contains(to.Address, "@") {
		return nil, false, reject("recipient is not an email address")
	}
	if m.Text == "" && m.HTML == "" {
		return nil, false, reject("message has no body")
	}

	msg = gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if m.EnvelopeFrom != "" {
		// The VERP bounce address: only MAIL FROM, never a header.
		ef, err := mail.ParseAddress(m.EnvelopeFrom)
		if err != nil || ef.Name != "" || !strings.Contains(ef.Address, "@") {
			return nil, false, reject("envelope sender is not a bare email address")
		}
		msg.EnvelopeFromMailAddress(ef)
	}
	msg.ToMailAddress(to)
	if m.ReplyTo != "" {
		rt, err := mail.ParseAddress(m.ReplyTo)
		if err != nil {
			return nil, false, reject("Reply-To is not an email address")
		}
		msg.ReplyToMailAddress(rt)
	}
	msg.Subject(m.Subject)
	if m.MessageID != "" {
		if strings.ContainsAny(m.MessageID, "<>\r\n\t ") || !strings.Contains(m.MessageID, "@") {
			return nil, false, reject("Message-ID %q is not of the form local@domain", m.MessageID)
		}
		msg.SetMessageIDWithValue(m.MessageID) // written as <MessageID>
	} else {
		// go-mail's own would name this machine (its host name) in every
		// message; the From address's domain names the sender instead.
		id, err := randomMessageID(s.from.Address)
		if err != nil {
			return nil, false, err
		}
		msg.SetMessageIDWithValue(id)
	}
	msg.SetDateWithValue(s.clock.Now())
	for name, value := range m.Headers {
		if !validHeaderName(name) {
			return nil, false, reject("header name %q is not valid", name)
		}
		if reservedHeaders[textproto.CanonicalMIMEHeaderKey(name)] {
			return nil, false, reject("header %s is set by the sender, not by Message.Headers", name)
		}
		if strings.ContainsAny(value, "\r\n") {
			return nil, false, reject("header %s contains a line break", name)
		}
		msg.SetGenHeader(gomail.Header(name), value)
	}
	if m.Text != "" {
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		if m.HTML != "" {
			msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
		}
	} else {
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Inline {
		if a.ContentID == "" || a.Filename == "" || strings.ContainsAny(a.ContentID+a.Filename, "<>\r\n\"") {
			return nil, false, reject("inline part %q needs a plain file name and Content-ID", a.Filename)
		}
		if err := msg.EmbedReader(a.Filename, bytes.NewReader(a.Data),
			gomail.WithFileContentID("<"+a.ContentID+">"), gomail.WithFileContentType(gomail.ContentType(cmp.Or(a.ContentType, "application/octet-stream")))); err != nil {
			return nil, false, reject("inline part %q: %v", a.Filename, err)
		}
	}
	return msg, fitsEightBit(m.Text) && fitsEightBit(m.HTML), nil
}

// maxLine is the longest line SMTP carries, in octets without the CRLF
// (RFC 5321 section 4.5.3.1.6, RFC 5322 section 2.1.1).
const maxLine = 998

// fitsEightBit says whether body may be sent as it is, with
// Content-Transfer-Encoding 8bit (RFC 6152): no line longer than maxLine,
// no NUL and no carriage return (line ends are written as CRLF on the
// wire). Anything else is sent quoted-printable.
func fitsEightBit(body string) bool {
	line := 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\n':
			line = 0
			continue
		case 0, '\r':
			return false
		}
		if line++; line > maxLine {
			return false
		}
	}
	return true
}

// has8BitMIME says whether the server of session c takes 8bit bodies.
func has8BitMIME(c *smtp.Client) bool {
	ok, _ := c.Extension("8BITMIME")
	return ok
}

// setBodyEncoding sends msg's text and HTML 8bit when eightBit, else
// quoted-printable (go-mail's default). An 8bit body is copied as it is;
// quoted-printable rewrites every "=" and wraps at 76 characters, which
// for HTML costs about a sixth more bytes and a pass over each of them.
// Attachments and inline parts keep base64.
func setBodyEncoding(msg *gomail.Msg, eightBit bool) {
	enc := gomail.EncodingQP
	if eightBit {
		enc = gomail.NoEncoding
	}
	for _, p := range msg.GetParts() {
		p.SetEncoding(enc)
	}
}

// validHeaderName: printable ASCII except colon (RFC 5322 section 2.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// failed counts a failed send of class; answered says whether the server
// took part in the conversation (it refused something), which still counts
// as reaching it.
func (s *SMTPSender) failed(class string, answered bool) {
	if s.metrics != nil {
		s.metrics.ProviderError("smtp", class)
	}
	s.contact.record(answered, s.clock.Now())
}

// LastContact says when the server last answered a session (a message
// delivered, or refused with a reply) and when a session last failed to
// reach it (could not connect, timed out, broke); zero for never.
func (s *SMTPSender) LastContact() (ok, failed time.Time) { return s.contact.last() }
