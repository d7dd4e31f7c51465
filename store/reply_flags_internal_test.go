package store

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/steadyapp/steady/analysis"
)

// TestStoredFlagsMatchAnalysis: for every labelled reply, the flags stored
// when it is recorded open to exactly what the analyser says, evidence and
// all, and never hold the words.
func TestStoredFlagsMatchAnalysis(t *testing.T) {
	t.Parallel()
	n, fallback := 0, 0
	eachLabelledReply(t, func(text, labelled string) {
		for _, theme := range []string{labelled, ""} {
			n++
			stored, version, _ := analyseReply(text, theme)
			want := analysis.Analyze(text, theme)
			if version != analysis.Version {
				fallback++
				if _, ok := openFlags(text, stored, version); ok {
					t.Errorf("%q: flags without the current version open", text)
				}
				continue
			}
			got, ok := openFlags(text, stored, version)
			if !ok || !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("%q (%s): stored flags open to %+v, want %+v", text, theme, got, want)
			}
			for _, fl := range want {
				if len(fl.Evidence) > 3 && strings.Contains(stored, fl.Evidence) {
					t.Errorf("%q: stored flags %s hold the words %q", text, stored, fl.Evidence)
				}
			}
		}
	})
	t.Logf("%d analyses, %d stored without flags (analysed again when read)", n, fallback)
	if fallback*100 > n {
		t.Errorf("%d of %d replies could not keep their flags", fallback, n)
	}
}

// TestStaleFlagsAreNotUsed: flags written by another analyser version, or
// that do not fit the body, do not open.
func TestStaleFlagsAreNotUsed(t *testing.T) {
	t.Parallel()
	body := "he lied to me again"
	stored, version, _ := analyseReply(body, "honesty")
	if _, ok := openFlags(body, stored, version); !ok {
		t.Fatal("current flags do not open")
	}
	if _, ok := openFlags(body, stored, version+1); ok {
		t.Error("flags of another analyser version open")
	}
	if _, ok := openFlags("he", stored, version); ok {
		t.Error("flags pointing past the body open")
	}
}

// eachLabelledReply calls f with every labelled reply's text and theme
// (analysis/testdata), and fails t if there are none.
func eachLabelledReply(t *testing.T, f func(text, theme string)) {
	t.Helper()
	files, err := filepath.Glob("../analysis/testdata/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no labelled replies: %v", err)
	}
	for _, file := range files {
		fh, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c struct{ Text, Theme string }
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			f(c.Text, c.Theme)
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
}
