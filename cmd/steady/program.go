package main

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/steadyapp/steady/messages"
)

// maxProgramName bounds --program-name, in characters: it starts every
// text message, which must stay short.
const maxProgramName = 30

// checkProgramName refuses a programme name that would break a message:
// empty, too long, control characters, or outside GSM-7 (one such
// character would halve what every text can hold).
func checkProgramName(name string) error {
	switch {
	case strings.TrimSpace(name) != name || name == "":
		return fmt.Errorf("--program-name %q: want a name without leading or trailing spaces, like Steady", name)
	case utf8.RuneCountInString(name) > maxProgramName:
		return fmt.Errorf("--program-name %q: at most %d characters, since it starts every text message", name, maxProgramName)
	case strings.ContainsFunc(name, unicode.IsControl) || strings.ContainsAny(name, "<>\"@"):
		return fmt.Errorf("--program-name %q: no control characters or < > \" @", name)
	}
	if enc, _ := messages.Segments(name); enc != messages.GSM7 {
		return fmt.Errorf("--program-name %q: use plain letters, digits and punctuation (the GSM-7 characters texts are sent in)", name)
	}
	return nil
}

// fromWithName gives from the programme's display name when it has none
// ("steady@example.org" → "Harbor <steady@example.org>"); a From with its
// own display name is kept.
func fromWithName(from, program string) (string, error) {
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return "", fmt.Errorf("--from %q: %w", from, err)
	}
	if addr.Name != "" {
		return from, nil
	}
	return (&mail.Address{Name: program, Address: addr.Address}).String(), nil
}

// checkLeaveURL wants an absolute http(s) URL for --leave-url.
func checkLeaveURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return fmt.Errorf("--leave-url %q: want an absolute https URL of a neutral site, like https://www.bbc.com/weather", raw)
	}
	return nil
}
