package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

func runAnalyzeCLI(t *testing.T, input string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{getenv: func(string) string { return "" }, stdin: strings.NewReader(input), stdout: &out, stderr: &errOut,
		clock: steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))}
	err = run(context.Background(), e, []string{"analyze"})
	return out.String(), errOut.String(), err
}

func TestAnalyzeAnswersEveryLineInOrder(t *testing.T) {
	t.Parallel()
	in := `{"text": "he lied and broke his promise"}
{"text": "Nope", "theme": "trust"}
{"text": "we went to the movies", "theme": ""}
{"text": "I'm scared to go home"}`
	stdout, stderr, err := runAnalyzeCLI(t, in)
	if err != nil || stderr != "" {
		t.Fatalf("analyze: %v\n%s", err, stderr)
	}
	want := `{"flags":[{"theme":"honesty","polarity":"red","evidence":"he lied and broke his promise"},{"theme":"keeping_word","polarity":"red","evidence":"he lied and broke his promise"}]}
{"flags":[{"theme":"trust","polarity":"red","evidence":"Nope"}]}
{"flags":[]}
{"flags":[{"theme":"safety","polarity":"red","evidence":"I'm scared to go home"}]}
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
}

// Each kind of bad line gets a clear message naming its line on stderr and
// an {"error"} line on stdout; the good lines around it are still answered.
func TestAnalyzeBadLines(t *testing.T) {
	t.Parallel()
	huge := `{"text": "` + strings.Repeat("he lied ", 1<<17) + `"}` // about 1 MB
	for _, c := range []struct {
		name, line, wantErr string
	}{
		{"invalid JSON", `{"text": "he lied"`, "not a JSON object"},
		{"unknown field", `{"text": "no", "mood": "sad"}`, `unknown field "mood"`},
		{"text not a string", `{"text": 5}`, `"text" must be a string, not a number`},
		{"an array", `["he lied"]`, "not a JSON object but an array"},
		{"two values", `{"text": "no"} {"text": "yes"}`, "more than one JSON value"},
		{"not an object", `nope`, "not a JSON object"},
		{"unknown theme", `{"text": "no", "theme": "happiness"}`, `unknown theme "happiness"`},
		{"safety is not a prompt theme", `{"text": "no", "theme": "safety"}`, `unknown theme "safety"`},
		{"empty text", `{"text": "   ", "theme": "trust"}`, "the text is empty"},
		{"no text", `{"theme": "trust"}`, `no "text" field`},
		{"field in capitals", `{"TEXT": "he lied"}`, `unknown field "TEXT"`},
		{"field twice", `{"text": "fine", "text": "he lied"}`, `field "text" appears twice`},
		{"blank line", ``, "empty line"},
		{"1 MB line", huge, "longer than 262144 bytes"},
		{"text too long", `{"text": "` + strings.Repeat("a", steady.MaxReplyLength+1) + `"}`, "the text is longer than 20000 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := `{"text": "he lied"}` + "\n" + c.line + "\n" + `{"text": "no", "theme": "honesty"}` + "\n"
			stdout, stderr, err := runAnalyzeCLI(t, in)
			if err == nil {
				t.Fatal("no error for a bad line")
			}
			if strings.Contains(stderr, "analyzeIn") || strings.Contains(stderr, "Go ") || strings.Contains(stderr, "main.") {
				t.Errorf("stderr names Go types: %q", stderr)
			}
			if !strings.Contains(stderr, "line 2: "+c.wantErr) || strings.Contains(stderr, "line 1:") || strings.Contains(stderr, "line 3:") {
				t.Errorf("stderr = %q, want line 2: %s", stderr, c.wantErr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if len(lines) != 3 {
				t.Fatalf("%d output lines, want 3:\n%.500s", len(lines), stdout)
			}
			var first, third analyzeOut
			var second analyzeErr
			if json.Unmarshal([]byte(lines[0]), &first) != nil || len(first.Flags) != 1 || first.Flags[0].Theme != "honesty" {
				t.Errorf("line 1 = %s", lines[0])
			}
			if json.Unmarshal([]byte(lines[1]), &second) != nil || !strings.Contains(second.Error, c.wantErr) {
				t.Errorf("line 2 = %.300s, want an error with %q", lines[1], c.wantErr)
			}
			if json.Unmarshal([]byte(lines[2]), &third) != nil || len(third.Flags) != 1 || third.Flags[0].Polarity != "red" {
				t.Errorf("line 3 = %s", lines[2])
			}
		})
	}
}

func TestAnalyzeLastLineWithoutNewlineAndCRLF(t *testing.T) {
	t.Parallel()
	stdout, _, err := runAnalyzeCLI(t, "{\"text\": \"yes\", \"theme\": \"trust\"}\r\n{\"text\": \"2\", \"theme\": \"trust\"}")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(stdout, "\n") != 2 || !strings.Contains(stdout, `"green"`) || !strings.Contains(stdout, `"red"`) {
		t.Errorf("stdout = %q", stdout)
	}
}

// A byte-order mark at the start and blank lines at the end (as editors and
// Windows tools write them) are not mistakes; a blank line between lines is.
func TestAnalyzeBOMAndTrailingBlankLines(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runAnalyzeCLI(t, "\uFEFF{\"text\": \"he lied\"}\r\n{\"text\": \"2\", \"theme\": \"trust\"}\n\n  \r\n\n")
	if err != nil || stderr != "" {
		t.Fatalf("analyze: %v\n%s", err, stderr)
	}
	if strings.Count(stdout, "\n") != 2 || strings.Contains(stdout, "error") {
		t.Errorf("stdout = %q, want two answers", stdout)
	}
	stdout, stderr, err = runAnalyzeCLI(t, "{\"text\": \"he lied\"}\n\n\n{\"text\": \"no\"}\n\n")
	if err == nil || !strings.Contains(stderr, "line 2: empty line") || !strings.Contains(stderr, "line 3: empty line") ||
		strings.Contains(stderr, "line 5") {
		t.Fatalf("blank lines inside: %v\n%s", err, stderr)
	}
	if lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n"); len(lines) != 4 || !strings.Contains(lines[1], "line 2") ||
		!strings.Contains(lines[3], "flags") {
		t.Errorf("stdout = %q, want 4 answers in order", stdout)
	}
}
