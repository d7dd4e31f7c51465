package store

import (
	"encoding/json"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/analysis"
	"github.com/steadyapp/steady/themes"
)

// storedFlag is one analyser flag as kept with its reply: the theme, the
// polarity and where in the body its evidence lies (byte offsets into the
// stored body), never the words: the body is sealed, the flags are not.
type storedFlag struct {
	Theme    string            `json:"t"`
	Polarity analysis.Polarity `json:"p"`
	Spans    [][2]int          `json:"e,omitempty"`
}

// evidenceJoin is how the analyser joins two pieces of one flag's evidence.
const evidenceJoin = " … "

// analyseReply is what is stored with a reply when it is recorded: its
// flags (analysis.Analyze with the theme of the prompt it answers), the
// analyser version that wrote them and whether it speaks of harm (the
// safety note's test: analysis.Analyze without a prompt theme). When a
// flag's evidence cannot be pointed to in the body, version is 0 and the
// reply is analysed again whenever its month is built.
func analyseReply(body, theme string) (flags string, version int, harm bool) {
	return analyseReplyWith(body, theme, analysis.Analyze(body, ""))
}

// analyseReplyWith is analyseReply given noTheme, analysis.Analyze(body,
// ""), worked out beforehand (RecordReply does it before its
// transaction begins).
func analyseReplyWith(body, theme string, noTheme []analysis.Flag) (flags string, version int, harm bool) {
	fs := noTheme
	if theme != "" {
		fs = analysis.Analyze(body, theme)
	}
	for _, f := range noTheme {
		if f.Theme == themes.Safety {
			harm = true
		}
	}
	out := make([]storedFlag, len(fs))
	version = analysis.Version
	for i, f := range fs {
		spans, ok := evidenceSpans(body, f.Evidence)
		if !ok {
			version = 0
		}
		out[i] = storedFlag{Theme: f.Theme, Polarity: f.Polarity, Spans: spans}
	}
	b, err := json.Marshal(out)
	if err != nil || version == 0 {
		return "", 0, harm
	}
	return string(b), version, harm
}

// evidenceSpans finds evidence in body: one span, or one per piece the
// analyser joined. ok is false when they do not rebuild it exactly.
func evidenceSpans(body, evidence string) (spans [][2]int, ok bool) {
	if evidence == "" {
		return nil, true
	}
	if i := strings.Index(body, evidence); i >= 0 {
		return [][2]int{{i, i + len(evidence)}}, true
	}
	for _, part := range strings.Split(evidence, evidenceJoin) {
		i := strings.Index(body, part)
		if i < 0 {
			return nil, false
		}
		spans = append(spans, [2]int{i, i + len(part)})
	}
	return spans, rebuildEvidence(body, spans) == evidence
}

// rebuildEvidence is the evidence spans point to in body.
func rebuildEvidence(body string, spans [][2]int) string {
	parts := make([]string, 0, len(spans))
	for _, s := range spans {
		if s[0] < 0 || s[1] > len(body) || s[0] > s[1] {
			return ""
		}
		parts = append(parts, body[s[0]:s[1]])
	}
	return strings.Join(parts, evidenceJoin)
}

// openFlags turns stored flags back into the analyser's, evidence and
// all. ok is false when they were written by another analyser version, or
// do not fit the body: then the reply must be analysed again.
func openFlags(body, stored string, version int) (flags []analysis.Flag, ok bool) {
	if version != analysis.Version {
		return nil, false
	}
	fs, parsed := parseStoredFlags(stored)
	if !parsed {
		if err := json.Unmarshal([]byte(stored), &fs); err != nil {
			return nil, false
		}
	}
	flags = make([]analysis.Flag, len(fs))
	for i, f := range fs {
		ev := rebuildEvidence(body, f.Spans)
		if ev == "" && len(f.Spans) > 0 {
			return nil, false
		}
		flags[i] = analysis.Flag{Theme: f.Theme, Polarity: f.Polarity, Evidence: ev}
	}
	return flags, true
}

// ReplyFlags is what RecordReply stores with a reply of body answering a
// prompt of theme ("" for none): the flags, the analyser version and
// whether it speaks of harm. For tests and benchmarks that seed a
// database in bulk.
func ReplyFlags(body, theme string) (flags string, version int, harm bool) {
	return analyseReply(steady.CleanText(body), theme)
}
