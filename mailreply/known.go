package mailreply

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Known is what Steady itself sent in the message being replied to. A
// reply's quoted history is, nearly always, that message: knowing its words
// lets ExtractKnown cut the history wherever it starts and in whatever
// language the subscriber's mail program introduces it.
//
// Any field may be empty; an empty Known makes ExtractKnown behave as
// Extract.
type Known struct {
	// Text is the prompt email's text body as sent: the question, the lines
	// on how to answer, the links and the footer. The prompt's question
	// alone works too, but then only the question is recognised, not the
	// lines a mail program quotes after it.
	Text string
	// Subject is the prompt's Subject ("Your reflection for Thursday").
	Subject string
	// From is the prompt's From address, bare or with a display name
	// ("Steady <steady@example.org>"). The same address with a +suffix
	// (the Reply-To carrying the reply token) is recognised too, and so
	// is the display name in a short line ending with a colon right above
	// Steady's text ("Steady wrote:").
	From string
}

// KnownFromMessage reads the raw prompt message Steady sent (as the SMTP
// server received it) and returns what ExtractKnown needs to know about
// it: its text body (or its HTML body as text when it has none), Subject
// and From address (with its display name: "Steady <steady@example.org>").
func KnownFromMessage(raw []byte) (Known, error) {
	env, err := parse(raw)
	if err != nil {
		return Known{}, err
	}
	var k Known
	k.Subject, _ = env.h.Subject()
	if from, err := env.h.AddressList("From"); err == nil && len(from) > 0 {
		k.From = from[0].Address
		if from[0].Name != "" {
			k.From = from[0].Name + " <" + from[0].Address + ">"
		}
	}
	if env.plain != nil {
		k.Text = env.plain.text
		if env.plain.flowed {
			k.Text = unflow(k.Text, env.plain.delSp)
		}
	}
	if strings.TrimSpace(k.Text) == "" && env.html != nil {
		k.Text = htmlText(env.html.text)
	}
	if env.html != nil {
		k = k.WithHTML(env.html.text)
	}
	k.Text = strings.TrimSpace(strings.ReplaceAll(k.Text, "\r\n", "\n"))
	if k.Text == "" && k.Subject == "" && k.From == "" {
		return Known{}, fmt.Errorf("%w: no text, subject or From address", ErrMalformed)
	}
	if env.tooLong {
		return Known{}, fmt.Errorf("%w: more than %d bytes of text", ErrTooLong, MaxTextBytes)
	}
	return k, nil
}

// Limits on the known text that is matched.
const (
	// minRun is how many words in a row of the known text a reply line
	// must start with to be taken for the quoted prompt.
	minRun = 6
	// minCover is the shortest match that counts a line's words as the
	// known text when deciding where the quoted prompt ends.
	minCover = 3
	// maxKnownWords bounds the known text that is indexed, and
	// maxPositions how many of a word's places in it are tried, so that a
	// text that repeats itself cannot make matching slow.
	maxKnownWords = 4000
	maxPositions  = 32
)

// knowledge is a Known prepared for matching.
type knowledge struct {
	words     []string         // the known text's normalised words
	index     map[string][]int // word -> positions in words
	firstPara int              // words in the known text's first paragraph
	subject   []string         // the subject's words without Re:, or nil
	addr      *regexp.Regexp   // the From address and its +suffixed forms, or nil
	name      []string         // the From display name's words, or nil
}

// newKnowledge prepares k; it is nil when k holds nothing usable.
func newKnowledge(k Known) *knowledge {
	k.Text, k.Subject, k.From = strings.ToValidUTF8(k.Text, "\uFFFD"), strings.ToValidUTF8(k.Subject, "\uFFFD"), strings.ToValidUTF8(k.From, "\uFFFD")
	kn := &knowledge{index: map[string][]int{}}
	text := strings.ReplaceAll(k.Text, "\r\n", "\n")
	for _, para := range strings.Split(text, "\n\n") {
		w := words(para)
		if len(kn.words) == 0 {
			kn.firstPara = len(w)
		}
		kn.words = append(kn.words, w...)
		if len(kn.words) >= maxKnownWords {
			kn.words = kn.words[:maxKnownWords]
			break
		}
	}
	for i, w := range kn.words {
		if len(kn.index[w]) < maxPositions {
			kn.index[w] = append(kn.index[w], i)
		}
	}
	if s := words(stripReplyPrefixes(k.Subject)); len(s) >= 2 {
		kn.subject = s
	}
	from, name := splitFrom(k.From)
	if w := words(name); len(w) > 0 && len(w) <= 4 {
		kn.name = w
	}
	if local, domain, ok := strings.Cut(from, "@"); ok && local != "" && domain != "" && !strings.ContainsAny(from, " <>") {
		base, _, _ := strings.Cut(local, "+")
		kn.addr, _ = regexp.Compile(`(?i)(?:^|[^\p{L}\p{N}._%+\-])` + regexp.QuoteMeta(base) + `(?:\+[^@\s<>]*)?@` + regexp.QuoteMeta(domain) + `(?:[^\p{L}\p{N}.\-]|\.?$)`)
	}
	if len(kn.words) == 0 && kn.subject == nil && kn.addr == nil {
		return nil
	}
	return kn
}

// splitFrom reads a From address, bare or with a display name.
func splitFrom(s string) (addr, name string) {
	s = strings.TrimSpace(s)
	if a, err := mail.ParseAddress(s); err == nil {
		return a.Address, a.Name
	}
	if i := strings.LastIndex(s, "<"); i >= 0 {
		return strings.Trim(s[i:], "<> "), strings.Trim(s[:i], "\" ")
	}
	return s, ""
}

// words splits s into its normalised words: NFKC, lower case, runs of
// letters, digits and marks. Punctuation, quote markers and line breaks
// are left out, so a re-wrapped, quoted or HTML-rendered copy of a text
// has the same words.
//
// A run of marks alone is not a word: the invisible filler that pads an
// email's hidden preview line (U+034F between spaces) is not text.
func words(s string) []string {
	s = strings.ToLower(norm.NFKC.String(s))
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
	out := fields[:0]
	for _, f := range fields {
		if strings.ContainsFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			out = append(out, f)
		}
	}
	return out
}

var replyPrefix = regexp.MustCompile(`(?i)^\s*(?:re|aw|sv|vs|r|rif|odp|antw|antwort|wg|fw|fwd|tr|ynt|res|atb|отв|ответ|ha|vá|tl|trả lời|回复|答复)\s*(?:\[\d+\])?\s*[:：]\s*`)

func stripReplyPrefixes(s string) string {
	for i := 0; i < 5; i++ {
		t := replyPrefix.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	return s
}

// hasAddress says whether line holds Steady's From address (or a +suffixed
// form of it).
func (kn *knowledge) hasAddress(line string) bool {
	return kn != nil && kn.addr != nil && strings.Contains(line, "@") && kn.addr.MatchString(line)
}

// namedAttribution says whether t is a short line ending with a colon
// that holds Steady's display name ("Steady wrote:", "Steady a écrit :").
func (kn *knowledge) namedAttribution(t string) bool {
	if kn == nil || kn.name == nil || !endsWithColon(t) || letterWords(t) > 15 {
		return false
	}
	w := words(t)
	for i := 0; i+len(kn.name) <= len(w); i++ {
		if slices.Equal(w[i:i+len(kn.name)], kn.name) {
			return true
		}
	}
	return false
}

// isSubjectLine says whether line is the known subject, alone or as the
// value of a header field, with or without Re:.
func (kn *knowledge) isSubjectLine(line string) bool {
	if kn == nil || kn.subject == nil {
		return false
	}
	t := unquote(line)
	if f, ok := headerField(t); ok {
		t = f.value
	}
	w := words(stripReplyPrefixes(t))
	if len(w) != len(kn.subject) {
		return false
	}
	for i := range w {
		if w[i] != kn.subject[i] {
			return false
		}
	}
	return true
}

// replyWords is a reply's lines as one stream of normalised words.
type replyWords struct {
	w     []string
	start []int // index in w of each line's first word
	n     []int // number of words on each line
}

func newReplyWords(lines []string) *replyWords {
	rw := &replyWords{start: make([]int, len(lines)), n: make([]int, len(lines))}
	for i, l := range lines {
		ws := words(l)
		rw.start[i] = len(rw.w)
		rw.n[i] = len(ws)
		rw.w = append(rw.w, ws...)
	}
	return rw
}

// longest returns the length of the longest run of the known text that
// the reply's words starting at j follow (counting no further than limit
// words when limit is positive), and where in the known text it ends.
func (kn *knowledge) longest(rw *replyWords, j, limit int) (n, end int) {
	if j >= len(rw.w) {
		return 0, 0
	}
	for _, p := range kn.index[rw.w[j]] {
		m := 0
		for j+m < len(rw.w) && p+m < len(kn.words) && rw.w[j+m] == kn.words[p+m] && (limit <= 0 || m < limit) {
			m++
		}
		if m > n {
			n, end = m, p+m
			if limit > 0 && n >= limit {
				break
			}
		}
	}
	return n, end
}

// knownMatch is where, in a reply, Steady's own text starts.
type knownMatch struct {
	line    int  // the line it starts on
	byText  bool // it is a run of the known text (not the subject or address)
	lastRun int  // for a run: the last line it covers
	inFirst bool // for a run: it ends within the known text's first paragraph
}

// startAt says whether Steady's own text starts at line i: a run of at
// least minRun words of the known text (or its whole first paragraph)
// that begins with the line's first word and covers the whole line; a
// line holding the known subject; or an attribution-like or header-like
// line holding the known address.
func (kn *knowledge) startAt(lines []string, rw *replyWords, i int) (knownMatch, bool) {
	if rw.n[i] > 0 && len(kn.words) > 0 {
		m, _ := kn.longest(rw, rw.start[i], max(minRun, rw.n[i]))
		if m >= rw.n[i] && (m >= minRun || m >= kn.firstPara && kn.firstPara >= minCover) {
			m, end := kn.longest(rw, rw.start[i], 0)
			last := i
			for last+1 < len(lines) && rw.start[last+1] < rw.start[i]+m {
				last++
			}
			return knownMatch{line: i, byText: true, lastRun: last, inFirst: end <= kn.firstPara}, true
		}
	}
	if kn.isSubjectLine(lines[i]) {
		return knownMatch{line: i}, true
	}
	if kn.hasAddress(lines[i]) && addressLineShape(unquote(lines[i])) {
		return knownMatch{line: i}, true
	}
	return knownMatch{}, false
}

// addressLineShape says whether a line holding an address reads as an
// attribution or a header field rather than a sentence that mentions the
// address: it ends with a colon, is wrapped in dashes, is a header field,
// or holds the address in angle or square brackets.
func addressLineShape(t string) bool {
	if endsWithColon(t) || dashWrapped(t) != "" {
		return true
	}
	if _, ok := headerField(t); ok {
		return true
	}
	return bracketedAddress.MatchString(t)
}

var bracketedAddress = regexp.MustCompile(`[<\[(]\s*(?:mailto:)?[^\s<>\[\]()]+@[^\s<>\[\]()]+\s*[>\])]|mailto:`)

// covered returns, for each line, how many of its words belong to runs of
// at least minCover words of the known text.
func (kn *knowledge) covered(rw *replyWords, lines int) []int {
	cov := make([]int, lines)
	if len(kn.words) == 0 {
		return cov
	}
	line := 0
	for j := 0; j < len(rw.w); {
		m, _ := kn.longest(rw, j, 0)
		if m < minCover {
			j++
			continue
		}
		for k := j; k < j+m; k++ {
			for line+1 < lines && rw.start[line+1] <= k {
				line++
			}
			cov[line]++
		}
		j += m
	}
	return cov
}
