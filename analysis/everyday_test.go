package analysis

import (
	"encoding/json"
	"maps"
	"os"
	"strings"
	"testing"
)

// testdata/everyday.jsonl holds replies in everyday wording, written for
// issue 13 before the rules that read them: every one must get exactly its
// labelled flags, except the few marked "known_miss", which are logged and
// must still miss (so whoever fixes one takes the mark off). They are kept
// out of the tuning set so the held-out sets stay a fifth of the labelled
// replies.
func TestAnalyzeEverydayWording(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	f, err := os.ReadFile("testdata/everyday.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(f)), "\n") {
		var m struct {
			Text      string `json:"text"`
			KnownMiss bool   `json:"known_miss"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		known[m.Text] = m.KnownMiss
	}
	for _, l := range loadLabelled(t, "testdata/everyday.jsonl") {
		want := map[Flag]bool{}
		for _, f := range l.Flags {
			want[Flag{Theme: f.Theme, Polarity: f.Polarity}] = true
		}
		got := map[Flag]bool{}
		for _, f := range Analyze(l.Text, l.Theme) {
			got[Flag{Theme: f.Theme, Polarity: f.Polarity}] = true
		}
		switch {
		case known[l.Text] && maps.Equal(got, want):
			t.Errorf("Analyze(%q, %q) is right now: take its known_miss mark off", l.Text, l.Theme)
		case known[l.Text]:
			t.Logf("known miss: Analyze(%q, %q) = %v, want %v", l.Text, l.Theme, got, want)
		case !maps.Equal(got, want):
			t.Errorf("Analyze(%q, %q) = %v, want %v", l.Text, l.Theme, got, want)
		}
	}
}
