package messages

import (
	"errors"
	"fmt"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/steadyapp/steady"
)

// classifySendError maps go-mail's error for a session that connected but
// did not deliver to what the caller should do:
//
//   - A 5xx reply to RCPT TO, DATA or the end of data: the server refused
//     this message for good → steady.ErrRejected.
//   - Everything else → a plain error, try again later: 4xx replies, a
//     connection lost or timed out before, while or after the message was
//     written, a failed NOOP, and a 5xx to MAIL FROM, which is about our
//     sender address or account, not this message, and which an operator
//     can fix. When the end-of-data reply never came the server may have
//     queued the message; it is sent again all the same, since every retry
//     carries the same Message-ID and receivers drop a copy they already
//     have (email is at-least-once; see steady.Channel.ResendSafe).
//
// The text names the SMTP step and the server's reply code, never the
// server's reply text (it often echoes the recipient's address) and never
// the body.
func classifySendError(err error) error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return fmt.Errorf("messages: smtp: %w", err)
	}
	code := se.ErrorCode()
	detail := sendErrorDetail(se)
	switch se.Reason {
	case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData:
		if code >= 500 {
			return fmt.Errorf("messages: smtp: %w: %s", steady.ErrRejected, detail)
		}
	case gomail.ErrSMTPDataClose:
		if code >= 500 {
			return fmt.Errorf("messages: smtp: %w: %s", steady.ErrRejected, detail)
		}
	case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
		// The message itself is unsendable; build normally catches this.
		return fmt.Errorf("messages: smtp: %w: %s", steady.ErrRejected, detail)
	}
	return fmt.Errorf("messages: smtp: %s", detail)
}

// sendErrorDetail describes a SendError without addresses: the step, then
// the reply code (and enhanced code) when the server answered, or else the
// local cause, e.g. "EOF" or "i/o timeout".
func sendErrorDetail(se *gomail.SendError) string {
	step := se.Reason.String()
	if code := se.ErrorCode(); code != 0 {
		reply := fmt.Sprintf("%s: server replied %d", step, code)
		if esc := se.EnhancedStatusCode(); esc != "" {
			reply += " " + esc
		}
		return reply
	}
	if se.Reason == gomail.ErrSMTPRcptTo {
		// go-mail's text lists the refused recipients; say only the step.
		return step + ": failed"
	}
	// go-mail's text is "<step>: <causes>, affected message ID: <id>"; the
	// causes here are local (network, TLS), not server text.
	text := se.Error()
	text, _, _ = strings.Cut(text, ", affected recipient(s): ")
	text, _, _ = strings.Cut(text, ", affected message ID: ")
	return text
}
