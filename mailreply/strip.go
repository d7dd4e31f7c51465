package mailreply

import (
	"regexp"
	"strings"
)

// Strip returns the new text of a plain-text reply body, knowing nothing
// of the message replied to (ExtractKnown also knows Steady's own text).
// It cuts quoted history at the first attribution line, recognised by its
// shape in any language (a date and an address or a name, ending with a
// colon or wrapped in dashes, also when wrapped over up to three lines or
// glued to the end of the sender's last line) or by a list of known ones
// ("On … wrote:", "Le … a écrit :", "Dnia … napisał(a):", …); at a header
// block (three "Key: value" fields or more in any language and order, or
// two holding an address and a date), a "-----Original Message-----" line
// or a line wrapped in dashes; at a "-- " signature or an app's "Sent from
// my iPhone" line. It drops lines quoted with ">" (keeping the answers of
// an inline reply), then rule lines, app signatures, "-Name" sign-offs and
// list footers left at the end, and trims blank lines.
func Strip(text string) string { return strip(text, nil) }

// stripper holds one body's lines while they are cut.
type stripper struct {
	lines []string
	drop  []bool // lines left out although before the cut
	kn    *knowledge
}

func strip(text string, kn *knowledge) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	lines := splitGlued(strings.Split(text, "\n"), kn)
	s := &stripper{lines: lines, drop: make([]bool, len(lines)), kn: kn}
	end := len(lines)
	if kn != nil {
		end = s.knownCut()
	}
	end = s.shapeCut(end)
	var out []string
	for i, line := range lines[:end] {
		if s.drop[i] || isQuoted(line) {
			continue
		}
		out = append(out, strings.TrimRight(line, " \t\u00a0"))
	}
	return tidy(trimTrailing(out))
}

// shapeCut returns where, before end, quoted history starts by the shape
// of its first lines; it marks the attribution lines of an inline reply
// as dropped.
func (s *stripper) shapeCut(end int) int {
	lines := s.lines
	for i := 0; i < end; i++ {
		if s.drop[i] {
			continue
		}
		line := lines[i]
		switch {
		case isSigDashes(line):
			return i
		case isQuoted(line):
			continue
		case isMobileSignature(line), isOriginalMessage(line), dashBoundaryAt(lines, i, s.kn):
			return i
		case headerBlockAt(lines, i, s.kn):
			return s.headerStart(i)
		case isRule(line):
			if j := nextNonBlank(lines, i+1); j < len(lines) && (headerBlockAt(lines, j, s.kn) || isOriginalMessage(lines[j])) {
				return i
			}
		}
		n, strong := s.attributionAt(i)
		if n == 0 {
			continue
		}
		next := nextNonBlank(lines, i+n)
		switch {
		case next >= end:
			return i
		case isQuoted(lines[next]):
			if !s.ownTextAfter(next, end) {
				return i
			}
			for k := i; k < i+n; k++ { // an inline reply: drop only the attribution
				s.drop[k] = true
			}
			i += n - 1
		case strong:
			return i // history that follows its attribution unquoted
		}
	}
	return end
}

// headerStart returns where the header block at line i begins, with the
// date line, separator or blank lines mail programs put above it.
func (s *stripper) headerStart(i int) int {
	start := i
	for k := i - 1; k >= 0 && i-k <= 4; k-- {
		t := strings.TrimSpace(s.lines[k])
		switch {
		case t == "":
			continue
		case isRule(t), isOriginalMessage(t), dashWrapped(t) != "":
			start = k
			continue
		case k == start-1 && dateLine(t):
			start = k
			continue
		}
		break
	}
	return start
}

// tidy joins lines, keeping at most one blank line in a row and none at
// either end.
func tidy(lines []string) string {
	var b strings.Builder
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteString("\n")
			blank = false
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(l)
	}
	return b.String()
}

func isQuoted(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " \t"), ">")
}

func nextNonBlank(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	return i
}

// ownTextAfter says whether an unquoted, non-blank line follows line i
// before end, a signature or another cut: the sender answered between
// quotes.
func (s *stripper) ownTextAfter(i, end int) bool {
	for k := i; k < end; k++ {
		l := s.lines[k]
		if isSigDashes(l) || isMobileSignature(l) || isOriginalMessage(l) {
			return false
		}
		if !s.drop[k] && strings.TrimSpace(l) != "" && !isQuoted(l) {
			return true
		}
	}
	return false
}

var listedOpener = regexp.MustCompile(`(?i)^(?:on|le|am|el|il|em|op|den|w dniu|dnia|in data|vào)\s`)

var listedAttribution = regexp.MustCompile(`(?i)^\s*(?:on|le|am|el|il|em|op|den|w dniu|dnia|in data|vào)\s.*(?:wrote|a écrit|a ecrit|schrieb|escribió|escribio|ha scritto|scrisse|escreveu|schreef|geschreven|skrev|napisał|napisała|pisze|kirjoitti|написал|написала|пишет|írta|đã viết|napsal)[^:]*:\s*$`)

// attributionAt returns how many lines (1 to 3) the attribution that
// starts at line i spans, or 0 if none starts there. strong means the
// history below it is recognisable even when it is not quoted: a
// one-line attribution of a known shape, or one that holds an address as
// well as a date. A wrapped attribution must start the way attributions
// start (see wrappedStart), since its first line alone could be the
// sender's own words.
func (s *stripper) attributionAt(i int) (n int, strong bool) {
	lines := s.lines
	first := strings.TrimSpace(lines[i])
	joined := ""
	for n := 1; n <= 3 && i+n <= len(lines); n++ {
		l := strings.TrimSpace(lines[i+n-1])
		if l == "" || isQuoted(l) || s.drop[i+n-1] {
			return 0, false
		}
		if n == 1 {
			joined = l
		} else {
			joined += " " + l
		}
		if len(joined) > 500 {
			return 0, false
		}
		if !endsWithColon(joined) && !strings.HasSuffix(joined, "-") {
			continue // every attribution ends with a colon or dashes
		}
		listed := listedOpener.MatchString(first) && endsWithColon(joined) && listedAttribution.MatchString(joined)
		shaped, addr := attributionShape(joined, s.kn)
		if n > 1 && !wrappedStart(first) {
			shaped = false
		}
		if !listed && !shaped {
			continue
		}
		if n > 1 && !(shaped && addr) {
			// Wrapped and not plainly an attribution: only if quoted
			// lines (or nothing) follow.
			if j := nextNonBlank(lines, i+n); j < len(lines) && !isQuoted(lines[j]) {
				return 0, false
			}
		}
		return n, shaped && addr || listed && n == 1
	}
	return 0, false
}

var (
	sentenceEnd = regexp.MustCompile(`[.!?…]["'”’)]*\s+`)
	gluedOpener = regexp.MustCompile(`(?i)\s(?:on|le|am|el|il giorno|il|em|op|den|w dniu|dnia|in data|vào)\s`)
)

// splitGlued splits an unquoted line that ends with an attribution glued
// to the sender's last words ("Yes, he did. On Tue, 3 Mar 2026 at 09:00,
// Steady <steady@example.org> wrote:") into those words and the
// attribution. The attribution must hold a date and an address.
func splitGlued(lines []string, kn *knowledge) []string {
	var out []string
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if isQuoted(t) || len(t) > 1000 || !endsWithColon(t) && dashWrapped(t) == "" {
			out = append(out, line)
			continue
		}
		if _, strong := attributionShape(t, kn); !strong {
			out = append(out, line)
			continue
		}
		head, tail, ok := gluedSplit(t, kn)
		if !ok {
			out = append(out, line)
			continue
		}
		out = append(out, head, tail)
	}
	return out
}

// gluedSplit finds where, in t, an attribution with an address starts
// after the sender's last words: at one of the words attributions open
// with, or after a sentence's end where what follows opens with one or
// with a name and an address. What comes before must not itself open
// like an attribution. The last such place is taken.
func gluedSplit(t string, kn *knowledge) (head, tail string, ok bool) {
	var cuts []int
	for _, m := range gluedOpener.FindAllStringIndex(t, -1) {
		cuts = append(cuts, m[0]+1)
	}
	for _, m := range sentenceEnd.FindAllStringIndex(t, -1) {
		if rest := t[m[1]:]; gluedOpener.MatchString(" "+rest) || nameThenAddress.MatchString(rest) {
			cuts = append(cuts, m[1])
		}
	}
	best := -1
	for _, c := range cuts {
		head, tail := strings.TrimSpace(t[:c]), strings.TrimSpace(t[c:])
		if head == "" || strings.Contains(head, "@") || listedOpener.MatchString(head+" ") || strings.HasPrefix(head, "-") {
			continue
		}
		if _, strong := attributionShape(tail, kn); strong && hasDate(tail) && c > best {
			best = c
		}
	}
	if best < 0 {
		return "", "", false
	}
	return strings.TrimSpace(t[:best]), strings.TrimSpace(t[best:]), true
}

var nameThenAddress = regexp.MustCompile(`^["\p{L}][^<>@:]{0,60}<[^<>\s]+@[^<>\s]+>`)

// unflow joins the soft line breaks of a format=flowed (RFC 3676) text.
func unflow(text string, delSp bool) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	var cur strings.Builder
	curDepth, open := 0, false
	flush := func() {
		if open {
			out = append(out, strings.Repeat(">", curDepth)+prefixSpace(curDepth)+cur.String())
			cur.Reset()
			open = false
		}
	}
	for _, line := range strings.Split(text, "\n") {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		body := line[depth:]
		body = strings.TrimPrefix(body, " ") // space-stuffing
		if open && depth != curDepth {
			flush()
		}
		curDepth = depth
		open = true
		soft := strings.HasSuffix(body, " ") && body != "-- "
		if soft && delSp {
			body = body[:len(body)-1]
		}
		cur.WriteString(body)
		if !soft {
			flush()
		}
	}
	flush()
	return strings.Join(out, "\n")
}

func prefixSpace(depth int) string {
	if depth > 0 {
		return " "
	}
	return ""
}
