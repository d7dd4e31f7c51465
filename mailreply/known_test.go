package mailreply

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// promptText is a prompt email's text body as the default template writes it.
const promptText = `Did your partner do what they said they would this week? Anything that stood out?

To answer, reply to this email: start with YES or NO, then add
anything you want to say. A few words is plenty.

Or answer on the web:
https://steady.example.org/reply?t=okecp4erd2mfqqoq45smw3tfka

Your replies are kept privately for you and never shared.

---
You get this email because you asked Steady for reflection
prompts at sam@example.com.
Your schedule: every Tuesday at 09:00 (Europe/London).
To stop them, open https://steady.example.org/unsubscribe?t=oxwcpugrd3yws3m7s46gfcfzia`

var knownPrompt = Known{Text: promptText, Subject: "Your reflection for Tuesday", From: "Steady <steady@example.org>"}

func quote(s string) string { return "> " + strings.ReplaceAll(s, "\n", "\n> ") }

func TestStripKnown(t *testing.T) {
	t.Parallel()
	question, _, _ := strings.Cut(promptText, "\n\n")
	tests := []struct {
		name, in, want string
		k              Known
	}{
		{"unquoted, no attribution", "No.\n\n\n" + promptText, "No.", knownPrompt},
		{"quoted under an attribution in an unknown language", "Ja.\n\nXyz Steady <steady@example.org> qwerty:\n" + quote(promptText), "Ja.", knownPrompt},
		{"attribution with no date, unquoted history", "Yes.\n\nSteady wrote:\n" + promptText, "Yes.", knownPrompt},
		{"re-wrapped to 40 columns", "Yes.\n\n" + quote("Did your partner do what they said\nthey would this week? Anything that\nstood out?"), "Yes.", knownPrompt},
		{"only the subject line above", "Yes.\n\nSubject: Re: Your reflection for Tuesday\n\n" + promptText, "Yes.", knownPrompt},
		{"the address above, its +suffix form", "Yes.\n\n<steady+r-abc@example.org>\n" + promptText, "Yes.", knownPrompt},
		{"own words quoting a few words of the prompt", "You asked if he did what they said they would this week: no.\nAnything that stood out? The birthday.", "You asked if he did what they said they would this week: no.\nAnything that stood out? The birthday.", knownPrompt},
		{"a line starting with the question, then own words", question + " Yes he did!", question + " Yes he did!", knownPrompt},
		{"the question repeated above the answer", "Mostly.\n\n" + question + "\nHe did, and he called.", "Mostly.\n\nHe did, and he called.", knownPrompt},
		{"bottom posting", quote(promptText) + "\n\nYes. He fixed the tap.", "Yes. He fixed the tap.", knownPrompt},
		{"answers between the quoted lines", quote(question) + "\n\nYes.\n\n" + quote("To answer, reply to this email: start with YES or NO, then add") + "\n\nSorry!", "Yes.\n\nSorry!", knownPrompt},
		{"only the prompt", quote(promptText), "", knownPrompt},
		{"the question alone is known", "Yes.\n\nFrom: Steady\nSent: Tuesday, March 3, 2026 9:00 AM\n\n" + promptText, "Yes.", Known{Text: question}},
		{"a known text too short to match", "Did he? Yes.\n\nDid he?", "Did he? Yes.\n\nDid he?", Known{Text: "Did he?"}},
		{"nothing known", "Yes.\n\n" + promptText, "Yes.\n\n" + promptText, Known{}},
	}
	for _, tt := range tests {
		if got := strip(tt.in, newKnowledge(tt.k)); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestExtractIsExtractKnownWithNothingKnown(t *testing.T) {
	t.Parallel()
	raw := []byte("From: a@example.com\r\nContent-Type: text/plain\r\n\r\nYes.\r\n\r\n" + strings.ReplaceAll(promptText, "\n", "\r\n"))
	a, errA := Extract(raw)
	b, errB := ExtractKnown(raw, Known{})
	if a.Text != b.Text || !errors.Is(errA, errB) && errA != errB {
		t.Fatalf("Extract %q, %v; ExtractKnown with nothing known %q, %v", a.Text, errA, b.Text, errB)
	}
	c, err := ExtractKnown(raw, knownPrompt)
	if err != nil || c.Text != "Yes." {
		t.Fatalf("ExtractKnown = %q, %v", c.Text, err)
	}
}

func TestKnownFromMessage(t *testing.T) {
	t.Parallel()
	k, err := KnownFromMessage(mustRead(t, "testdata/prompts/en_bottom_post.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if k.Subject != "Your reflection for Tuesday" || k.From != "Steady <steady@example.org>" || !strings.HasPrefix(k.Text, "A short question for Tuesday, whenever suits you\n\nThink of something your partner promised recently.") ||
		strings.Contains(k.Text, "=\r\n") || strings.Contains(k.Text, "\r") {
		t.Errorf("KnownFromMessage = %+v", k)
	}
	html := "From: Steady <steady@example.org>\r\nSubject: Q\r\nContent-Type: text/html\r\n\r\n<p>Did your partner feel heard this week?</p>"
	if k, err := KnownFromMessage([]byte(html)); err != nil || k.Text != "Did your partner feel heard this week?" {
		t.Errorf("an HTML-only prompt: %+v, %v", k, err)
	}
	if _, err := KnownFromMessage(nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("an empty prompt: %v", err)
	}
}

// FuzzExtractKnown checks that ExtractKnown never panics and keeps to
// Extract's promises, whatever the reply and the known prompt.
func FuzzExtractKnown(f *testing.F) {
	f.Add([]byte("From: a@example.com\n\nYes.\n\n"+quote(promptText)), promptText, "Your reflection for Tuesday", "steady@example.org")
	f.Add([]byte("From: a@example.com\n\n> x\nDid he?\nYes"), "Did he?", "Re: Re:", "+@")
	f.Fuzz(func(t *testing.T, raw []byte, text, subject, from string) {
		m, err := ExtractKnown(raw, Known{Text: text, Subject: subject, From: from})
		checkExtracted(t, m, err)
	})
}

// TestOwnWordsKept strips the replies the analyser is tuned and tested on
// (subscribers' own words, nothing quoted): every one must come out as it
// went in, knowing a prompt or not, so no shape of the sender's own text
// is taken for quoted history.
func TestOwnWordsKept(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../analysis/testdata/labelled*.jsonl")
	if len(files) == 0 {
		t.Skip("no labelled replies in ../analysis/testdata")
	}
	n, kn := 0, newKnowledge(knownPrompt)
	for _, file := range files {
		for i, line := range strings.Split(string(mustRead(t, file)), "\n") {
			var r struct{ Text string }
			if strings.TrimSpace(line) == "" || json.Unmarshal([]byte(line), &r) != nil || strings.TrimSpace(r.Text) == "" {
				continue
			}
			n++
			var lines []string
			for _, l := range strings.Split(strings.ReplaceAll(r.Text, "\r\n", "\n"), "\n") {
				lines = append(lines, strings.TrimRight(l, " \t\u00a0"))
			}
			want := tidy(lines)
			if got := Strip(r.Text); got != want {
				t.Errorf("%s:%d: Strip(%q) = %q", filepath.Base(file), i+1, r.Text, got)
			}
			if got := strip(r.Text, kn); got != want {
				t.Errorf("%s:%d: knowing the prompt, strip(%q) = %q", filepath.Base(file), i+1, r.Text, got)
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d labelled replies read", n)
	}
}
