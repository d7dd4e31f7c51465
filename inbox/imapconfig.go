package inbox

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// IMAPConfig says how to reach the mailbox replies arrive in.
type IMAPConfig struct {
	Host     string
	Port     string
	TLS      string // "tls" (implicit, imaps://), "starttls" or "none"
	User     string
	Password string
	Folder   string // default INBOX
}

// ParseIMAPURL reads STEADY_IMAP_URL:
//
//	imaps://user:pass@host:993/INBOX            TLS from the start (default port 993)
//	imap://user:pass@host:143/INBOX             STARTTLS (default port 143)
//	imap://user:pass@host:143/INBOX?tls=none    no TLS: only for a server on this machine
//
// The user name and password are URL-encoded ("@" is %40); the folder is the
// path without its leading slash, default INBOX.
func ParseIMAPURL(s string) (IMAPConfig, error) {
	u, err := url.Parse(s)
	if err != nil {
		return IMAPConfig{}, fmt.Errorf("inbox: IMAP URL: %w", redact(err, s))
	}
	var c IMAPConfig
	switch u.Scheme {
	case "imaps":
		c.TLS, c.Port = "tls", "993"
	case "imap":
		c.TLS, c.Port = "starttls", "143"
	default:
		return IMAPConfig{}, fmt.Errorf("inbox: IMAP URL: scheme %q: want imaps or imap", u.Scheme)
	}
	switch t := u.Query().Get("tls"); t {
	case "":
	case "tls", "starttls", "none":
		c.TLS = t
	default:
		return IMAPConfig{}, fmt.Errorf("inbox: IMAP URL: tls=%q: want tls, starttls or none", t)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return IMAPConfig{}, fmt.Errorf("inbox: IMAP URL: no host")
	}
	if p := u.Port(); p != "" {
		c.Port = p
	}
	if u.User == nil || u.User.Username() == "" {
		return IMAPConfig{}, fmt.Errorf("inbox: IMAP URL: no user name")
	}
	c.User = u.User.Username()
	c.Password, _ = u.User.Password()
	c.Folder = strings.TrimPrefix(u.Path, "/")
	if c.Folder == "" {
		c.Folder = "INBOX"
	}
	return c, nil
}

// Addr is host:port.
func (c IMAPConfig) Addr() string { return net.JoinHostPort(c.Host, c.Port) }

// String describes the mailbox for logs, without the password or the user.
func (c IMAPConfig) String() string {
	return fmt.Sprintf("%s (tls=%s) folder %s", c.Addr(), c.TLS, c.Folder)
}

// redact keeps a password out of a URL parse error.
func redact(err error, s string) error {
	if u, perr := url.Parse(s); perr == nil && u.User != nil {
		return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), u.User.String(), "…"))
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), s[:i], "…"))
	}
	return err
}
