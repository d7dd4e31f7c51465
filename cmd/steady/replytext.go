package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/mailreply"
)

// maxReplyTextInput bounds what reply-text reads from stdin, and from the
// --prompt file.
const maxReplyTextInput = 64 << 20

// replyTextUsage is how reply-text is called and what it does.
const replyTextUsage = `reply-text [--prompt FILE] < message.eml

Prints exactly the text Steady would store for the raw email on stdin, or
exits 1 with a one-line reason. With --prompt, FILE is the raw prompt email
Steady sent, which the reply answers: the reply is then cut wherever that
prompt's text, subject or From address is quoted, in any language
(mailreply.ExtractKnown), as the inbox does with the prompt it sent. Without
--prompt only the shapes of quotes are recognised, which is what the inbox
does for a reply to a prompt it cannot render again.`

// runReplyText reads one raw RFC 5322 message on stdin and prints exactly
// the text Steady would store for it, or fails with a one-line reason.
func runReplyText(_ context.Context, e env, args []string) error {
	fs := newFlagSet(e, "reply-text", replyTextUsage)
	promptFile := fs.String("prompt", "", "the raw prompt email `FILE` (.eml) the reply answers, as Steady sent it")
	if err := parseFlags(e, fs, args, 0); err != nil {
		return err
	}
	var known mailreply.Known
	if *promptFile != "" {
		k, err := readPrompt(*promptFile)
		if err != nil {
			return err
		}
		known = k
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
	text, err := replyText(raw, known)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, text)
	return err
}

// readPrompt reads what Steady knows of the prompt in file.
func readPrompt(file string) (mailreply.Known, error) {
	f, err := os.Open(file)
	if err != nil {
		return mailreply.Known{}, fmt.Errorf("reply-text: --prompt: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxReplyTextInput+1))
	if err != nil {
		return mailreply.Known{}, fmt.Errorf("reply-text: --prompt: reading %s: %w", file, err)
	}
	if len(raw) > maxReplyTextInput {
		return mailreply.Known{}, fmt.Errorf("reply-text: --prompt: %s is larger than %d bytes", file, maxReplyTextInput)
	}
	k, err := mailreply.KnownFromMessage(raw)
	if err != nil {
		return mailreply.Known{}, fmt.Errorf("reply-text: --prompt: %s is not a prompt email: %w", file, err)
	}
	return k, nil
}

// replyText is reply-text's code path: the stored text, or an error naming
// why nothing would be stored. It is the inbox's own inbox.TextKnown (with
// an empty k, inbox.Text).
func replyText(raw []byte, k mailreply.Known) (string, error) {
	m, err := inbox.TextKnown(raw, k)
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
