package smtpin

import (
	"context"
	"io"
	"net"

	"github.com/emersion/go-smtp"
)

var _ smtp.Backend = (*Server)(nil)

// Refusals. None names an address or quotes the message.
var (
	errNotOurs = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such recipient here (this server receives replies to its own messages only)"}
	errTryLater = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Could not store the message now; please try again later"}
)

// NewSession starts one SMTP session; go-smtp calls it for each connection.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	sess := &session{s: s, conn: c}
	if addr, ok := c.Conn().RemoteAddr().(*net.TCPAddr); ok {
		sess.ip = addr.IP
	}
	return sess, nil
}

// session is one SMTP connection's state.
type session struct {
	s    *Server
	conn *smtp.Conn
	ip   net.IP

	mailFrom string
	rcpts    []string
}

func (ss *session) Reset() {
	ss.mailFrom, ss.rcpts = "", nil
}

func (ss *session) Logout() error { return nil }

// Mail takes the envelope sender; "" (a bounce) is allowed. go-smtp
// refuses a declared SIZE over the limit itself.
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.mailFrom = from
	return nil
}

// Rcpt refuses, with 550, every address that is not Steady's: no relaying,
// and nothing accepted that would later have to be bounced.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.s.ours(to) {
		return errNotOurs
	}
	ss.rcpts = append(ss.rcpts, to)
	return nil
}

// Data reads the message, checks its sender, and answers only once it is
// filed or held aside: 451 when the database could not keep it (the
// sender retries, and the processor's dedupe makes the retry harmless).
func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // go-smtp's 552 when over MaxBytes
	}
	ctx, cancel := context.WithTimeout(ss.s.ctx, receiveTimeout)
	defer cancel()
	results := ss.s.authenticate(ctx, ss.ip, ss.conn.Hostname(), ss.mailFrom, raw)
	raw = ss.s.stamp(raw, ss.rcpts, results)
	res, err := ss.s.cfg.Receiver.Receive(ctx, raw, Source)
	if err != nil {
		ss.s.cfg.Logger.Warn("email over SMTP not kept; answered 451 so the sender retries", "err", err)
		return errTryLater
	}
	ss.s.cfg.Logger.Info("email received over SMTP", "outcome", string(res.Outcome), "subscriber", res.SubscriberID,
		"delivery", res.DeliveryID, "bytes", len(raw))
	return nil
}
