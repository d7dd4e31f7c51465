package mailreply

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpus checks every raw reply in testdata/replies against the exact
// text in its .txt file, and every message in testdata/notreplies against
// the reason in its .reason file. A reply with a prompt of the same name
// in testdata/prompts (the message Steady sent, which it quotes) is read
// with ExtractKnown, knowing that prompt.
func TestCorpus(t *testing.T) {
	t.Parallel()
	emls, err := filepath.Glob("testdata/replies/*.eml")
	if err != nil || len(emls) < 30 {
		t.Fatalf("want at least 30 replies in testdata/replies, found %d (%v)", len(emls), err)
	}
	for _, path := range emls {
		name := strings.TrimSuffix(filepath.Base(path), ".eml")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := mustRead(t, path)
			want := strings.TrimSuffix(string(mustRead(t, strings.TrimSuffix(path, ".eml")+".txt")), "\n")
			m, err := ExtractKnown(raw, corpusKnown(t, path))
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if m.Text != want {
				t.Errorf("text:\n%s\n--- want:\n%s", m.Text, want)
			}
			if m.MessageID == "" || m.From == "" || len(m.Recipients) == 0 {
				t.Errorf("headers not read: %+v", m)
			}
		})
	}
}

func TestNotReplies(t *testing.T) {
	t.Parallel()
	emls, _ := filepath.Glob("testdata/notreplies/*.eml")
	if len(emls) == 0 {
		t.Fatal("no messages in testdata/notreplies")
	}
	reasons := map[string]error{"auto-reply": ErrAutoReply, "bounce": ErrBounce, "empty": ErrEmpty, "malformed": ErrMalformed, "too-long": ErrTooLong}
	for _, path := range emls {
		name := strings.TrimSuffix(filepath.Base(path), ".eml")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := reasons[strings.TrimSpace(string(mustRead(t, strings.TrimSuffix(path, ".eml")+".reason")))]
			if want == nil {
				t.Fatal("unknown reason in .reason file")
			}
			m, err := Extract(mustRead(t, path))
			if !errors.Is(err, want) {
				t.Fatalf("Extract: error %v, want %v", err, want)
			}
			if m.Text != "" {
				t.Errorf("text %q returned with an error", m.Text)
			}
		})
	}
}

// corpusKnown returns what Steady knows of the prompt the corpus reply at
// path answers: testdata/prompts/NAME.eml read by KnownFromMessage, or
// nothing when the reply has no prompt there.
func corpusKnown(t testing.TB, path string) Known {
	t.Helper()
	name := strings.TrimSuffix(filepath.Base(path), ".eml")
	raw, err := os.ReadFile(filepath.Join("testdata", "prompts", name+".eml"))
	if errors.Is(err, os.ErrNotExist) {
		return Known{}
	}
	if err != nil {
		t.Fatal(err)
	}
	k, err := KnownFromMessage(raw)
	if err != nil {
		t.Fatalf("%s: KnownFromMessage: %v", name, err)
	}
	return k
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
