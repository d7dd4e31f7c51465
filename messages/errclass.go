package messages

import (
	"context"
	"errors"
	"io"
	"net"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Error classes: the small fixed set a failed send is counted under (see
// Metrics). A class comes from the error's type and the server's reply
// code, never from text a server wrote, which may quote an address.
const (
	ErrorClassTimeout           = "timeout"            // no answer in time
	ErrorClassConnection        = "connection"         // could not connect, or the connection broke
	ErrorClassRejectedPermanent = "rejected_permanent" // refused for good (SMTP 5xx, Twilio 4xx)
	ErrorClassRejectedTemporary = "rejected_temporary" // refused for now (SMTP 4xx, Twilio 429 or 5xx)
	ErrorClassAuth              = "auth"               // the account or its credentials were refused
	ErrorClassOther             = "other"
)

// Metrics counts failed sends by provider ("smtp" or "twilio") and error
// class; *metrics.Recorder has it. A nil Metrics counts nothing.
type Metrics interface {
	ProviderError(provider, class string)
}

// isTimeout reports a deadline that passed, from the context or the network.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrNoProgress) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// isConnection reports a connection that could not be made or broke.
func isConnection(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &op) || errors.As(err, &dns) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}

// smtpAuthFailures are go-mail's own errors for an AUTH it could not do.
var smtpAuthFailures = []error{
	gomail.ErrPlainAuthNotSupported, gomail.ErrLoginAuthNotSupported, gomail.ErrCramMD5AuthNotSupported,
	gomail.ErrXOauth2AuthNotSupported, gomail.ErrSCRAMSHA1AuthNotSupported, gomail.ErrSCRAMSHA1PLUSAuthNotSupported,
	gomail.ErrSCRAMSHA256AuthNotSupported, gomail.ErrSCRAMSHA256PLUSAuthNotSupported, gomail.ErrNTLMAuthNotSupported,
	gomail.ErrNoSupportedAuthDiscovered,
}

// smtpConnectClass is the class of a failure to open a session: dialling,
// TLS, EHLO or AUTH.
func smtpConnectClass(err error) string {
	for _, e := range smtpAuthFailures {
		if errors.Is(err, e) {
			return ErrorClassAuth
		}
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		switch {
		case tp.Code == 530 || tp.Code == 534 || tp.Code == 535 || tp.Code == 538 || tp.Code == 454:
			return ErrorClassAuth
		case tp.Code >= 500:
			return ErrorClassRejectedPermanent
		case tp.Code >= 400:
			return ErrorClassRejectedTemporary
		}
	}
	switch {
	case isTimeout(err):
		return ErrorClassTimeout
	case strings.HasPrefix(err.Error(), "SMTP AUTH failed"): // go-mail's own words, before the server's
		return ErrorClassAuth
	case isConnection(err):
		return ErrorClassConnection
	}
	return ErrorClassOther
}

// smtpSendClass is the class of a session that opened but did not
// deliver: by the server's reply code when it answered, else by the local
// cause go-mail reports (sendErrorDetail, which holds no address).
func smtpSendClass(err error) string {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return smtpConnectClass(err)
	}
	switch code := se.ErrorCode(); {
	case code >= 500:
		return ErrorClassRejectedPermanent
	case code >= 400:
		return ErrorClassRejectedTemporary
	}
	detail := sendErrorDetail(se)
	switch {
	case strings.Contains(detail, "timeout") || strings.Contains(detail, "deadline exceeded"):
		return ErrorClassTimeout
	case strings.Contains(detail, "EOF") || strings.Contains(detail, "connection reset") ||
		strings.Contains(detail, "broken pipe") || strings.Contains(detail, "closed"):
		return ErrorClassConnection
	case se.IsTemp():
		return ErrorClassRejectedTemporary
	}
	return ErrorClassOther
}

// twilioClass is the class of a failed request to Twilio.
func twilioClass(err error, res twilioResult, code, status int) string {
	switch {
	case res.status == 0 && (code == 21222 || code == 21224), status == 401, status == 403, code == 20003:
		return ErrorClassAuth
	case status == 429 || status >= 500:
		return ErrorClassRejectedTemporary
	case status >= 400 || code == 21610 || code == 21211 || code == 21614:
		return ErrorClassRejectedPermanent
	case status != 0:
		return ErrorClassOther
	case isTimeout(err):
		return ErrorClassTimeout
	case isConnection(err):
		return ErrorClassConnection
	}
	return ErrorClassOther
}
