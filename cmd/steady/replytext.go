package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/mailreply"
)

// maxReplyTextInput bounds what reply-text reads from stdin.
const maxReplyTextInput = 64 << 20

// runReplyText reads one raw RFC 5322 message on stdin and prints exactly
// the text Steady would store for it, or fails with a one-line reason.
func runReplyText(_ context.Context, e env, args []string) error {
	fs := newFlagSet(e, "reply-text", "reply-text < message.eml")
	if err := parseFlags(e, fs, args, 0); err != nil {
		return err
	}
	if e.stdin == nil {
		return errors.New("reply-text: no standard input")
	}
	raw, err := io.ReadAll(io.LimitReader(e.stdin, maxReplyTextInput+1))
	if err != nil {
		return fmt.Errorf("reply-text: reading stdin: %w", err)
	}
	if len(raw) > maxReplyTextInput {
		return fmt.Errorf("reply-text: the message is larger than %d bytes", maxReplyTextInput)
	}
	text, err := replyText(raw)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, text)
	return err
}

// replyText is reply-text's code path: the stored text, or an error naming
// why nothing would be stored.
func replyText(raw []byte) (string, error) {
	m, err := inbox.Text(raw)
	if err != nil {
		return "", notStoredError{err}
	}
	return m.Text, nil
}

// notStoredError is a message Steady would not store; its text is one line.
type notStoredError struct{ err error }

func (e notStoredError) Error() string {
	reason := "not stored"
	switch {
	case errors.Is(e.err, mailreply.ErrAutoReply):
		reason = "auto-reply"
	case errors.Is(e.err, mailreply.ErrBounce):
		reason = "bounce"
	case errors.Is(e.err, mailreply.ErrEmpty):
		reason = "empty"
	case errors.Is(e.err, mailreply.ErrTooLong):
		reason = "too long"
	case errors.Is(e.err, mailreply.ErrMalformed):
		reason = "malformed"
	}
	return "not stored (" + reason + "): " + oneLine(e.err.Error())
}

func (e notStoredError) Unwrap() error { return e.err }

func oneLine(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '\n' || r == '\r' {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}
