package steady

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Subscriber is one person who asked for prompts on one channel.
type Subscriber struct {
	ID       int64
	Channel  Channel
	Address  string // an email address (lower-cased, see NormalizeEmail) or an E.164 phone number
	TimeZone string // IANA name, e.g. "Europe/London"
	Schedule Schedule
	Status   Status
	// NextSlot is the next prompt time; zero unless Status is active.
	NextSlot time.Time
	// RequestedTimeZone and RequestedSchedule hold settings asked for by a
	// repeat sign-up; they take effect only when the new link is confirmed,
	// so nobody can change someone else's schedule by typing their address.
	RequestedTimeZone string
	RequestedSchedule *Schedule
	PausedUntil       time.Time
	ConfirmSentAt     time.Time
	CreatedAt         time.Time
	ConfirmedAt       time.Time
	UnsubscribedAt    time.Time
	// AddressInvalidAt is when the provider said the address cannot
	// receive messages (e.g. Twilio 21211, 21614); nothing is sent to it
	// until the person signs up again.
	AddressInvalidAt time.Time
	// BouncingAt is when emailed prompts to the address bounced often
	// enough to stop them; only a new confirmation clears it.
	BouncingAt time.Time
	// Preferences are the subscriber's own choices (their settings page).
	Preferences
}

// Preferences are what a subscriber chooses for themselves.
type Preferences struct {
	// Discreet: messages carry only a neutral line and a link, and say
	// nothing about relationships on a lock screen or in an inbox preview.
	Discreet bool
	// SummariesOff: no monthly summary is made or sent.
	SummariesOff bool
	// Resurface: now and then a prompt includes something they wrote a
	// month or more ago (never in discreet mode).
	Resurface bool
}

// Location loads the subscriber's time zone.
func (s *Subscriber) Location() (*time.Location, error) {
	return LoadLocation(s.TimeZone)
}

// Validate checks a subscriber before it is stored.
func (s *Subscriber) Validate() error {
	switch s.Channel {
	case ChannelEmail:
		if _, err := NormalizeEmail(s.Address); err != nil {
			return err
		}
	case ChannelSMS:
		if !strings.HasPrefix(s.Address, "+") || len(s.Address) < 8 {
			return Invalid("phone", "%q is not an E.164 phone number", s.Address)
		}
	default:
		return Invalid("channel", "%q is not a channel", s.Channel)
	}
	if _, err := LoadLocation(s.TimeZone); err != nil {
		return err
	}
	switch s.Status {
	case StatusPending, StatusActive, StatusPaused, StatusUnsubscribed:
	default:
		return Invalid("status", "%q is not a status", s.Status)
	}
	return s.Schedule.Validate()
}

// MaxEmailLength is the longest address SMTP allows (RFC 5321 path limit).
const MaxEmailLength = 254

// MaxEmailLocalLength is the longest local part (before the @) SMTP allows,
// in octets (RFC 5321 section 4.5.3.1.1).
const MaxEmailLocalLength = 64

// NormalizeEmail checks a bare address ("name@example.com", no display
// name) and returns it trimmed and lower-cased, local part included.
//
// The whole address is one identity whatever its case. RFC 5321 lets a
// server treat local parts case-sensitively, but no real mail provider
// does, and keeping the case as typed let the same person be subscribed
// twice ("Alice@Example.COM" and "alice@example.com") and escape the
// limit on confirmation emails. Migration 0005 lower-cases the addresses
// stored before this rule.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := Invalid("email", "%q is not an email address", s)
	if s == "" {
		return "", Invalid("email", "an email address is required")
	}
	if len(s) > MaxEmailLength || strings.ContainsAny(s, " <>\r\n\t,;\"\x00\uFFFD") || !utf8.ValidString(s) {
		// U+FFFD stands for bytes that were not text (a JSON decoder or
		// CleanText puts it there): such an address is not the one typed.
		return "", bad
	}
	// Invisible and format characters (a zero-width space, a direction
	// mark) make a different address that looks the same; "%" and "!" are
	// old relaying syntax; an IP literal domain ("[192.0.2.1]") is no
	// mailbox a person signs up with. Each would also count as another
	// mailbox against the sign-up limits.
	if strings.ContainsFunc(s, func(r rune) bool {
		return unicode.Is(unicode.Cf, r) || unicode.IsControl(r) || unicode.IsSpace(r) || r == '%' || r == '!'
	}) || strings.Contains(s, "@[") {
		return "", bad
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", bad
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", bad
	}
	if len(local) > MaxEmailLocalLength {
		return "", Invalid("email", "%q is not an email address: the part before the @ is longer than %d characters", s, MaxEmailLocalLength)
	}
	return strings.ToLower(s), nil
}

// LoadLocation loads an IANA time zone by name with a clear error. It
// refuses "" and "Local", which would silently mean UTC or the server's zone.
func LoadLocation(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, Invalid("timezone", "a time zone such as Europe/London is required")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Invalid("timezone", "%q is not a known time zone", name)
	}
	return loc, nil
}

// Consent records what a subscriber agreed to, when, how and from where,
// with the exact words they were shown.
type Consent struct {
	ID           int64
	SubscriberID int64
	Action       ConsentAction
	At           time.Time
	Method       string // "web", "api", "email-link", "one-click", "sms", ...
	IP           string
	Wording      string
}

// ConsentAction is what a consent record witnesses.
type ConsentAction string

// Consent actions.
const (
	ConsentRequested    ConsentAction = "requested"    // filled in the form
	ConsentConfirmed    ConsentAction = "confirmed"    // clicked the confirmation button
	ConsentUnsubscribed ConsentAction = "unsubscribed" // withdrew consent
)
