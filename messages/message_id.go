package messages

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
)

// randomMessageID is a Message-ID (without angle brackets) for a message
// that brings none of its own (a summary, a safety note): 128 random bits
// at the domain of from, the sender's address, so the header says who
// sent it and nothing about the machine it was sent from.
func randomMessageID(from string) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("messages: smtp: Message-ID: %w", err)
	}
	domain := from[strings.LastIndexByte(from, '@')+1:]
	return "n-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])) + "@" + domain, nil
}
