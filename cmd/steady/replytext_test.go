package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/mailreply"
)

const corpus = "../../mailreply/testdata"

// TestReplyTextCorpus runs every reply in the corpus through reply-text's
// code path, with the prompt it answers when the corpus holds it (as
// --prompt gives it), and compares the result with its exact expected
// text; every non-reply must be refused with its reason.
func TestReplyTextCorpus(t *testing.T) {
	t.Parallel()
	emls, _ := filepath.Glob(filepath.Join(corpus, "replies", "*.eml"))
	if len(emls) < 30 {
		t.Fatalf("want at least 30 replies in the corpus, found %d", len(emls))
	}
	for _, path := range emls {
		raw, want := readCase(t, path, ".txt")
		got, err := replyText(raw, corpusPrompt(t, path))
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		if got != strings.TrimSuffix(want, "\n") {
			t.Errorf("%s: got\n%s\n--- want\n%s", filepath.Base(path), got, want)
		}
	}
	emls, _ = filepath.Glob(filepath.Join(corpus, "notreplies", "*.eml"))
	for _, path := range emls {
		raw, reason := readCase(t, path, ".reason")
		_, err := replyText(raw, mailreply.Known{})
		if err == nil || !strings.Contains(err.Error(), "("+strings.ReplaceAll(strings.TrimSpace(reason), "-", " ")+")") &&
			!strings.Contains(err.Error(), "("+strings.TrimSpace(reason)+")") {
			t.Errorf("%s: error %v, want reason %s", filepath.Base(path), err, strings.TrimSpace(reason))
		}
	}
}

// corpusPrompt is what Steady knows of the prompt the corpus reply at path
// answers, or nothing when the corpus has no prompt for it.
func corpusPrompt(t *testing.T, path string) mailreply.Known {
	t.Helper()
	file := promptPath(path)
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return mailreply.Known{}
	}
	k, err := readPrompt(file)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func promptPath(reply string) string {
	return filepath.Join(corpus, "prompts", filepath.Base(reply))
}

func readCase(t *testing.T, path, ext string) ([]byte, string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(strings.TrimSuffix(path, ".eml") + ext)
	if err != nil {
		t.Fatal(err)
	}
	return raw, string(want)
}

// TestReplyTextCommand runs the subcommand itself.
func TestReplyTextCommand(t *testing.T) {
	t.Parallel()
	runWithStdin := func(stdin []byte, args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		e := env{
			getenv: func(string) string { return "" },
			stdin:  bytes.NewReader(stdin),
			stdout: &out, stderr: &errOut,
			clock: steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)),
		}
		err := run(context.Background(), e, append([]string{"reply-text"}, args...))
		return out.String(), errOut.String(), err
	}

	raw, want := readCase(t, filepath.Join(corpus, "replies", "outlook_web_html_only.eml"), ".txt")
	stdout, _, err := runWithStdin(raw)
	if err != nil || stdout != want {
		t.Errorf("reply-text = %q, %v; want %q", stdout, err, want)
	}

	raw, _ = readCase(t, filepath.Join(corpus, "notreplies", "ooo_auto_submitted.eml"), ".reason")
	stdout, _, err = runWithStdin(raw)
	if !errors.Is(err, mailreply.ErrAutoReply) || stdout != "" || exitCode(err) == 0 {
		t.Errorf("auto-reply: stdout %q, error %v", stdout, err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "not stored (auto-reply)") {
		t.Errorf("reason is not one line starting with the reason: %q", msg)
	}
	for _, tc := range []struct {
		in   []byte
		want error
	}{
		{nil, mailreply.ErrMalformed},
		{[]byte("From: a@example.com\nSubject: Re: x\n\n"), mailreply.ErrEmpty},
		{[]byte("From: a@example.com\nContent-Type: text/plain\n\n" + strings.Repeat("word ", steady.MaxReplyLength/5+10)), mailreply.ErrTooLong},
	} {
		if _, _, err := runWithStdin(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("reply-text: %v, want %v", err, tc.want)
		}
	}
	if _, _, err := runWithStdin(nil, "extra"); exitCode(err) != 2 {
		t.Errorf("an argument: %v, want a usage error", err)
	}
}

// TestReplyTextPrompt runs reply-text --prompt: a reply whose quoted
// history only the prompt's own words give away (no attribution, no
// quote marks) is cut only when the prompt is given.
func TestReplyTextPrompt(t *testing.T) {
	t.Parallel()
	run := func(stdin []byte, args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		e := env{getenv: func(string) string { return "" }, stdin: bytes.NewReader(stdin), stdout: &out, stderr: &errOut,
			clock: steady.NewManualClock(time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC))}
		err := run(context.Background(), e, append([]string{"reply-text"}, args...))
		return out.String(), errOut.String(), err
	}
	reply := filepath.Join(corpus, "replies", "en_no_preamble_unquoted.eml")
	raw, want := readCase(t, reply, ".txt")

	stdout, _, err := run(raw, "--prompt", promptPath(reply))
	if err != nil || stdout != want {
		t.Errorf("reply-text --prompt = %q, %v; want %q", stdout, err, want)
	}
	stdout, _, err = run(raw)
	if err != nil || stdout == want || !strings.Contains(stdout, "To answer, reply to this email") {
		t.Errorf("reply-text without --prompt = %q, %v; want the unrecognised history kept", stdout, err)
	}

	if _, _, err := run(raw, "--prompt", filepath.Join(t.TempDir(), "missing.eml")); err == nil || exitCode(err) == 0 || !strings.Contains(err.Error(), "--prompt") {
		t.Errorf("a missing prompt file: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "empty.eml")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(raw, "--prompt", empty); err == nil || !strings.Contains(err.Error(), "not a prompt email") {
		t.Errorf("an empty prompt file: %v", err)
	}
	stdout, _, err = run(nil, "--help")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stdout, "--prompt") || !strings.Contains(stdout, "reply-text [--prompt FILE] < message.eml") {
		t.Errorf("--help: %q, %v", stdout, err)
	}
}
