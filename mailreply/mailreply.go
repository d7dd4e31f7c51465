// Package mailreply reads one raw RFC 5322 message and keeps only what the
// sender wrote: it picks the text (or HTML) part, decodes transfer encodings
// and charsets, strips quoted history, attribution lines and signatures, and
// says when a message is not a reply at all (an auto-reply, a bounce, or
// nothing new). It does no I/O.
package mailreply

import (
	"errors"
	"strings"
)

// Reasons a message is not a reply Steady would store. Extract returns an
// error wrapping one of them, together with whatever headers it could read.
var (
	ErrAutoReply = errors.New("an automatic reply (out of office, vacation or list mail)")
	ErrBounce    = errors.New("a delivery status notification (bounce)")
	ErrEmpty     = errors.New("no new text: the message holds only quoted history, a signature or nothing")
	ErrTooLong   = errors.New("the text is too long to store")
	ErrMalformed = errors.New("the message cannot be parsed")
)

// MaxTextBytes bounds the decoded text read from one part. Longer text is
// ErrTooLong; the stored reply is bounded again by steady.MaxReplyLength.
const MaxTextBytes = 1 << 20

// maxParts bounds how many MIME parts are looked at, and maxDepth how deeply
// multiparts nest, so a hostile message cannot make Extract work for ever.
const (
	maxParts = 200
	maxDepth = 8
)

// Message is what Extract learned from one message.
type Message struct {
	// MessageID is the Message-ID without angle brackets, or "".
	MessageID string
	Subject   string
	// From is the sender's bare address, or "".
	From string
	// Recipients are the bare addresses the message was delivered to:
	// To, Cc, Delivered-To, X-Original-To and Envelope-To.
	Recipients []string
	// InReplyTo and References are message ids without angle brackets.
	InReplyTo  []string
	References []string
	// Text is the new text the sender wrote; set only when Extract returns
	// no error.
	Text string
	// BouncedIDs are the message ids (In-Reply-To excluded) found in the
	// returned headers of a bounce; set when the error wraps ErrBounce.
	// Anyone can write them into a message: they say which email a bounce
	// claims to be about, never that it bounced.
	BouncedIDs []string
	// PermanentFailure says the message is a real delivery status
	// notification (RFC 3464) of a permanent failure: its top-level
	// Content-Type is multipart/report; report-type=delivery-status, and
	// one of its own parts, a message/delivery-status, has a recipient
	// (Final-Recipient) with Action "failed" and a 5.x.x Status. Set only when the error wraps ErrBounce;
	// a bounce without it (an old-style mailer-daemon text, a report of
	// 4.x.x failures) proves nothing about the address.
	PermanentFailure bool
}

// Extract reads raw and returns the new text of the reply, knowing nothing
// of the message it answers: it is ExtractKnown with an empty Known. When
// the message is not a reply Steady would store, the error wraps
// ErrAutoReply, ErrBounce, ErrEmpty, ErrTooLong or ErrMalformed, and the
// returned Message still holds the headers that could be read.
func Extract(raw []byte) (Message, error) {
	return ExtractKnown(raw, Known{})
}

// ExtractKnown is Extract for a reply to a message Steady sent and knows:
// k is that message's text body, subject and From address (see
// KnownFromMessage for reading them from the message as sent). The quoted
// history is cut where the first run of Steady's own words, its subject or
// its address appears, quoted or not, re-wrapped or rendered from HTML, in
// whatever language the subscriber's mail program introduces it; the
// attribution or header block above it goes too. The sender's own words
// are kept even when they quote a few words of the prompt, and the answers
// of a reply written between the prompt's quoted lines are kept. What is
// not recognised that way is cut by its shape, as Extract does.
//
// The inbox calls ExtractKnown once it knows which prompt a reply answers;
// until then (or if the prompt is not known) it calls Extract.
func ExtractKnown(raw []byte, k Known) (Message, error) {
	e, err := parse(raw)
	if err != nil {
		return Message{}, err
	}
	m := e.headers()
	if e.isBounce() {
		m.BouncedIDs = e.bouncedIDs()
		m.PermanentFailure = e.permanent
		return m, ErrBounce
	}
	if e.reportType == "delivery-status" {
		// A notice of delay or delivery: written by a machine, never a reply.
		return m, &reasonError{ErrAutoReply, "a delivery status notification of no failure"}
	}
	if why := e.autoReply(); why != "" {
		return m, &reasonError{ErrAutoReply, why}
	}
	text, err := e.text()
	if err != nil {
		return m, err
	}
	text = strip(text, newKnowledge(k))
	if strings.TrimSpace(text) == "" {
		return m, ErrEmpty
	}
	m.Text = text
	return m, nil
}

// reasonError adds detail to one of the reasons.
type reasonError struct {
	reason error
	detail string
}

func (e *reasonError) Error() string { return e.reason.Error() + ": " + e.detail }
func (e *reasonError) Unwrap() error { return e.reason }
