package messages

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// TLSMode is how the SMTP connection is encrypted.
type TLSMode string

// The TLS modes an SMTP URL can ask for with ?tls=.
const (
	// TLSStartTLS connects in plain text and then requires STARTTLS; the
	// send fails if the server does not offer it. The default; port 587.
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (SMTPS); port 465.
	TLSImplicit TLSMode = "tls"
	// TLSNone never encrypts; for a relay on localhost or a private
	// network. Port 25.
	TLSNone TLSMode = "none"
)

// DefaultPort is the port used when the URL names none.
func (m TLSMode) DefaultPort() int {
	switch m {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	default:
		return 587
	}
}

// SMTPConfig says where and how to reach the SMTP server. String, GoString
// and LogValue never show the password.
type SMTPConfig struct {
	Host string
	Port int
	TLS  TLSMode
	// Username and Password are optional; without a Username there is no
	// SMTP AUTH.
	Username string
	Password string
}

// ParseSMTPURL reads smtp://user:pass@host:port?tls=starttls|tls|none. The
// scheme smtps:// means tls=tls. Without ?tls= the mode is starttls; without
// a port it is the mode's default (587, 465, 25). User name and password
// are percent-decoded and optional. Error texts never contain the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	const prefix = "messages: SMTP URL: "
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Error repeats the whole URL, password included; keep only
		// the reason, and not even that when it quotes an escape, which
		// may be a piece of the password.
		var esc url.EscapeError
		var uerr *url.Error
		switch {
		case errors.As(err, &esc):
			return SMTPConfig{}, errors.New(prefix + "bad %-escape; percent-encode special characters in the user name and password")
		case errors.As(err, &uerr):
			return SMTPConfig{}, fmt.Errorf(prefix+"%v", uerr.Err)
		default:
			return SMTPConfig{}, errors.New(prefix + "cannot be parsed")
		}
	}

	var cfg SMTPConfig
	switch u.Scheme {
	case "smtp":
		cfg.TLS = TLSStartTLS
	case "smtps":
		cfg.TLS = TLSImplicit
	case "":
		return SMTPConfig{}, errors.New(prefix + "missing scheme; want smtp:// or smtps://")
	default:
		return SMTPConfig{}, fmt.Errorf(prefix+"scheme %q is not smtp or smtps", u.Scheme)
	}
	if u.Opaque != "" {
		return SMTPConfig{}, errors.New(prefix + "want smtp://host, with two slashes")
	}
	if cfg.Host = u.Hostname(); cfg.Host == "" {
		return SMTPConfig{}, errors.New(prefix + "missing host")
	}
	if u.Path != "" && u.Path != "/" {
		return SMTPConfig{}, errors.New(prefix + "unexpected path after the host")
	}
	if u.Fragment != "" {
		return SMTPConfig{}, errors.New(prefix + "unexpected #fragment")
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return SMTPConfig{}, errors.New(prefix + "query cannot be parsed")
	}
	for key, vals := range q {
		if key != "tls" {
			return SMTPConfig{}, fmt.Errorf(prefix+"unknown parameter %q; only tls is known", key)
		}
		if len(vals) != 1 {
			return SMTPConfig{}, errors.New(prefix + "tls given more than once")
		}
		mode := TLSMode(strings.ToLower(vals[0]))
		switch mode {
		case TLSStartTLS, TLSImplicit, TLSNone:
		default:
			return SMTPConfig{}, fmt.Errorf(prefix+"tls=%q is not one of starttls, tls, none", vals[0])
		}
		if u.Scheme == "smtps" && mode != TLSImplicit {
			return SMTPConfig{}, fmt.Errorf(prefix+"smtps:// means tls=tls, not tls=%s", mode)
		}
		cfg.TLS = mode
	}

	cfg.Port = cfg.TLS.DefaultPort()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf(prefix+"port %q is not a number from 1 to 65535", p)
		}
		cfg.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return SMTPConfig{}, errors.New(prefix + "empty port after the colon")
	}

	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		if cfg.Username == "" && cfg.Password != "" {
			return SMTPConfig{}, errors.New(prefix + "a password needs a user name")
		}
	}
	return cfg, cfg.Validate()
}

// Validate checks a config built by hand (ParseSMTPURL's result is valid).
func (c SMTPConfig) Validate() error {
	const prefix = "messages: SMTP config: "
	if c.Host == "" {
		return errors.New(prefix + "missing host")
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf(prefix+"port %d is not from 1 to 65535", c.Port)
	}
	switch c.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf(prefix+"tls %q is not one of starttls, tls, none", c.TLS)
	}
	if c.Username == "" && c.Password != "" {
		return errors.New(prefix + "a password needs a user name")
	}
	return nil
}

// String is the config as a URL with the password replaced by "xxxxx".
func (c SMTPConfig) String() string {
	u := url.URL{
		Scheme:   "smtp",
		Host:     net.JoinHostPort(c.Host, strconv.Itoa(c.Port)),
		RawQuery: "tls=" + url.QueryEscape(string(c.TLS)),
	}
	switch {
	case c.Password != "":
		u.User = url.UserPassword(c.Username, "xxxxx")
	case c.Username != "":
		u.User = url.User(c.Username)
	}
	return u.String()
}

// GoString keeps %#v from printing the password.
func (c SMTPConfig) GoString() string { return "messages.SMTPConfig(" + c.String() + ")" }

// LogValue keeps slog from printing the password.
func (c SMTPConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }
