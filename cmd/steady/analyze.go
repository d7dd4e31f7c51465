package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/analysis"
	"github.com/steadyapp/steady/themes"
)

// maxAnalyzeLine bounds one input line of `steady analyze`. A longer line is
// reported and skipped without being held in memory.
const maxAnalyzeLine = 256 << 10

type analyzeIn struct {
	Text  *string `json:"text"`
	Theme string  `json:"theme"`
}

type analyzeOut struct {
	Flags []analysis.Flag `json:"flags"`
}

type analyzeErr struct {
	Error string `json:"error"`
}

// runAnalyze reads JSON lines {"text": ..., "theme": ...} on stdin and
// writes one JSON line per input line, in order: {"flags": [...]}, or
// {"error": "..."} for a line it cannot read (the same message goes to
// stderr with the line number), so output line N always answers input line
// N. Blank lines are answered with an error too, except blank lines at the
// end of the input, which are ignored; a UTF-8 byte-order mark at the start
// is ignored. The exit status is 1 if any line was bad.
func runAnalyze(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "analyze", "analyze < replies.jsonl\n\nReads one JSON object per line, {\"text\": \"...\", \"theme\": \"<prompt theme id, optional>\"},\nand writes one line per input: {\"flags\": [{\"theme\", \"polarity\": \"red\"|\"green\", \"evidence\"}]}\nor {\"error\": \"...\"} for a bad line (also reported on stderr with its number)."+
		fmt.Sprintf("\nLimits: a line of at most %d bytes (256 KiB), a text of at most %d bytes\n(the longest reply Steady keeps). Blank lines at the end are ignored.", maxAnalyzeLine, steady.MaxReplyLength))
	if err := parseFlags(e, fs, args, 0); err != nil {
		return err
	}
	if e.stdin == nil {
		return errors.New("analyze: no standard input")
	}
	in := bufio.NewReaderSize(e.stdin, 64<<10)
	out := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	bad := 0
	answer := func(n int, flags []analysis.Flag, problem string) error {
		var res any = analyzeOut{Flags: flags}
		if problem != "" {
			bad++
			fmt.Fprintf(e.stderr, "steady analyze: line %d: %s\n", n, problem)
			res = analyzeErr{Error: fmt.Sprintf("line %d: %s", n, problem)}
		}
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("analyze: write: %w", err)
		}
		return nil
	}
	// Blank lines are answered only once a later line shows they are not
	// the blank lines a file often ends with.
	var blanks []int
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := readLine(in, maxAnalyzeLine)
		if err == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("analyze: read line %d: %w", n, err)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if !tooLong && len(bytes.TrimSpace(line)) == 0 {
			blanks = append(blanks, n)
			if err == io.EOF {
				break
			}
			continue
		}
		for _, b := range blanks {
			if err := answer(b, nil, `empty line: want {"text": "...", "theme": "..."}`); err != nil {
				return err
			}
		}
		blanks = blanks[:0]
		flags, problem := analyzeLine(line, tooLong)
		if err := answer(n, flags, problem); err != nil {
			return err
		}
		if in.Buffered() == 0 {
			// Answer each line as soon as it is read, for interactive use.
			if err := out.Flush(); err != nil {
				return fmt.Errorf("analyze: write: %w", err)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("analyze: write: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("analyze: %d bad line(s); see the messages above", bad)
	}
	return nil
}

// readLine reads one line without its newline. A line longer than max is
// read to its end and discarded, and tooLong is set.
func readLine(r *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+1 { // +1 for the newline
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimRight(line, "\r\n")
		return line, tooLong, err
	}
}

func analyzeLine(line []byte, tooLong bool) ([]analysis.Flag, string) {
	if tooLong {
		return nil, fmt.Sprintf("longer than %d bytes; skipped", maxAnalyzeLine)
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, `empty line: want {"text": "...", "theme": "..."}`
	}
	in, problem := decodeAnalyzeIn(line)
	if problem != "" {
		return nil, problem
	}
	if in.Text == nil {
		return nil, `no "text" field`
	}
	text := *in.Text
	if strings.TrimSpace(text) == "" {
		return nil, "the text is empty"
	}
	if len(text) > steady.MaxReplyLength {
		return nil, fmt.Sprintf("the text is longer than %d bytes, the longest reply Steady keeps", steady.MaxReplyLength)
	}
	theme := strings.TrimSpace(in.Theme)
	if theme != "" {
		if _, ok := themes.Lookup(theme); !ok {
			return nil, fmt.Sprintf("unknown theme %q: want one of the prompt themes (%s) or none", theme, promptThemeIDs())
		}
	}
	flags := analysis.Analyze(text, theme)
	if flags == nil {
		flags = []analysis.Flag{}
	}
	return flags, ""
}

// decodeAnalyzeIn reads one line's object, with messages that speak of
// the input's fields and JSON types, never of Go's.
func decodeAnalyzeIn(line []byte) (analyzeIn, string) {
	const want = `want {"text": "...", "theme": "..."}`
	var in analyzeIn
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	err := dec.Decode(&in)
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case err == nil && string(bytes.TrimSpace(line)) == "null":
		return in, "not a JSON object but null: " + want
	case err == nil:
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return in, fmt.Sprintf("%q must be a string, not %s", typeErr.Field, article(typeErr.Value))
	case errors.As(err, &typeErr):
		return in, fmt.Sprintf("not a JSON object but %s: %s", article(typeErr.Value), want)
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return in, fmt.Sprintf("not a JSON object (%s): %s", strings.TrimPrefix(err.Error(), "json: "), want)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return in, fmt.Sprintf("unknown field %s: %s", field, want)
	default:
		return in, fmt.Sprintf("not a JSON object: %s", want)
	}
	if _, err := dec.Token(); err != io.EOF {
		return in, "more than one JSON value on the line: " + want
	}
	if msg := checkKeys(line); msg != "" {
		return in, msg + ": " + want
	}
	return in, ""
}

// checkKeys holds the object's keys to the contract exactly: encoding/json
// matches them regardless of case and lets a repeated key win silently.
func checkKeys(line []byte) string {
	dec := json.NewDecoder(bytes.NewReader(line))
	if _, err := dec.Token(); err != nil { // the opening brace
		return ""
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		key, _ := tok.(string)
		if key != "text" && key != "theme" {
			return fmt.Sprintf("unknown field %q (fields are lower case)", key)
		}
		if seen[key] {
			return fmt.Sprintf("field %q appears twice", key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}

// article names a JSON type as encoding/json reports it ("number",
// "array", ...) with its article.
func article(jsonType string) string {
	if jsonType == "" {
		return "something else"
	}
	if strings.ContainsRune("aeiou", rune(jsonType[0])) {
		return "an " + jsonType
	}
	return "a " + jsonType
}

func promptThemeIDs() string {
	var ids []string
	for _, t := range themes.All() {
		ids = append(ids, t.ID)
	}
	return strings.Join(ids, ", ")
}
