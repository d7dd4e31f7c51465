package main

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/steadyapp/steady/web"
)

// mailMode is what serve does with email.
type mailMode int

const (
	// mailSMTP: STEADY_SMTP_URL is set; every email is sent.
	mailSMTP mailMode = iota
	// mailOutbox: no SMTP server; every email (and, without Twilio, every
	// text) is kept in the preview outbox at /outbox and nothing is sent.
	mailOutbox
	// mailNone: Twilio but no SMTP server; email has no sender, so sign-up
	// is by phone number only and there is no outbox.
	mailNone
)

// minPreviewPassword is the shortest STEADY_PREVIEW_PASSWORD, in characters.
const minPreviewPassword = 12

// finishPreview decides mailMode. Preview mode is for one machine: the
// outbox shows every message, links to confirm, reply and read a monthly
// summary included, so without an SMTP server serve runs only when
// nothing but this machine can reach it (listener and base URL on
// loopback), or with an explicit --preview and a password. Twilio without
// SMTP means sign-up by phone only, with no outbox at all.
func (c *Config) finishPreview(getenv func(string) string, listenAddr string) error {
	if c.PreviewText != "" {
		b, err := strconv.ParseBool(c.PreviewText)
		if err != nil {
			return fmt.Errorf("--preview (STEADY_PREVIEW) %q: want true or false", c.PreviewText)
		}
		c.Preview = b
	}
	c.PreviewPassword = getenv("STEADY_PREVIEW_PASSWORD")
	if c.PreviewPassword != "" && utf8.RuneCountInString(c.PreviewPassword) < minPreviewPassword {
		return fmt.Errorf("STEADY_PREVIEW_PASSWORD must be at least %d characters", minPreviewPassword)
	}
	switch {
	case c.SMTPURL != "":
		if c.Preview {
			return fmt.Errorf("--preview (STEADY_PREVIEW) keeps every email in an outbox instead of sending it, but --smtp (STEADY_SMTP_URL) is set: use one or the other")
		}
		c.Mail = mailSMTP
	case c.SMS.enabled():
		if c.Preview {
			return fmt.Errorf("--preview (STEADY_PREVIEW) asks for an outbox, but with Twilio (TWILIO_ACCOUNT_SID) and no SMTP server there is none: " +
				"sign-up is by phone number only. Set STEADY_SMTP_URL to offer email too, or drop --preview")
		}
		c.Mail = mailNone
	case c.Preview:
		if c.PreviewPassword == "" {
			return fmt.Errorf("--preview (STEADY_PREVIEW) shows every message at /outbox to whoever can reach this server, so it needs a password: "+
				"set STEADY_PREVIEW_PASSWORD in the environment (%d characters or more)", minPreviewPassword)
		}
		c.Mail = mailOutbox
	case onThisMachine(listenAddr, c.BaseURL):
		c.Mail = mailOutbox
	default:
		return fmt.Errorf("no SMTP server is configured and this server is not for this machine alone (listening on %s, links to %s), "+
			"so the preview outbox would show everyone's messages to anyone: set STEADY_SMTP_URL (and STEADY_FROM) to send email, "+
			"or, for a trial, add --preview and STEADY_PREVIEW_PASSWORD to keep every message in an outbox behind that password", listenAddr, c.BaseURL)
	}
	return nil
}

// onThisMachine reports whether both the listen address and the base URL
// are loopback ("127.0.0.1:8080", "[::1]:8080", "localhost:8080" and
// http://127.0.0.1:8080, http://localhost:8080, http://[::1]:8080). An
// empty host, 0.0.0.0 or :: listens everywhere; a base URL with another
// host means a proxy or another name reaches the server.
func onThisMachine(listenAddr, baseURL string) bool {
	host, _, err := net.SplitHostPort(listenAddr)
	if err != nil || !web.LoopbackHost(host) {
		return false
	}
	u, err := url.Parse(baseURL)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && web.LoopbackHost(u.Hostname())
}

// boolText is a flag that may be given bare (--preview) or with a value
// (--preview=false); it keeps the text for finishServe to parse, so an
// environment variable and the flag are read the same way.
type boolText struct{ dst *string }

func (b boolText) String() string {
	if b.dst == nil {
		return ""
	}
	return *b.dst
}

func (b boolText) Set(s string) error { *b.dst = s; return nil }
func (b boolText) IsBoolFlag() bool   { return true }
