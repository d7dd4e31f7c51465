package mailreply

import "strings"

// knownCut returns the line where the quoted copy of Steady's own message
// begins, with the attribution or header block a mail program put above
// it, or len(lines) if there is none. The copy is found by its words
// (see knowledge.startAt), whatever language the mail program writes in
// and whether or not it quotes with ">".
//
// A copy with the sender's own text after it is not cut: the sender
// answered below the prompt or between its lines. Its attribution and
// unquoted lines are dropped and the search goes on below. So is a line
// that repeats the prompt's question, unquoted and alone, with the
// sender's text under it.
func (s *stripper) knownCut() int {
	lines := s.lines
	rw := newReplyWords(lines)
	cov := s.kn.covered(rw, len(lines))
	lower := 0
	own := false // whether the sender wrote anything above lower
	for i := 0; i < len(lines); i++ {
		if s.drop[i] || strings.TrimSpace(lines[i]) == "" {
			continue
		}
		m, ok := s.kn.startAt(lines, rw, i)
		if !ok {
			continue
		}
		p := s.preambleStart(i, lower)
		end := max(s.historyEnd(i, rw, cov), i+1)
		before, after := own || s.ownIn(lower, p), s.ownLineAt(end)
		quoted := s.quotedFrom(i, m)
		switch {
		case before && quoted && after: // an inline reply
			s.dropRange(p, end)
		case before && m.byText && !quoted && p == i && m.inFirst && s.ownLineAt(nextNonBlank(lines, m.lastRun+1)):
			end = m.lastRun + 1 // the question repeated above the answer
			s.dropRange(i, end)
		case before, !after:
			return p
		default: // nothing of the sender's above: a bottom-posted reply
			s.dropRange(p, end)
		}
		own = own || s.ownIn(lower, end)
		lower = end
		i = end - 1
	}
	return len(lines)
}

func (s *stripper) dropRange(from, to int) {
	for k := from; k < to; k++ {
		s.drop[k] = true
	}
}

// ownIn says whether the sender wrote anything in lines from to to-1.
func (s *stripper) ownIn(from, to int) bool {
	for k := from; k < to; k++ {
		if !s.drop[k] && !isQuoted(s.lines[k]) && strings.TrimSpace(s.lines[k]) != "" {
			return true
		}
	}
	return false
}

// ownLineAt says whether line k is the sender's own: unquoted, not blank,
// not dropped, not a signature.
func (s *stripper) ownLineAt(k int) bool {
	if k >= len(s.lines) || s.drop[k] {
		return false
	}
	l := s.lines[k]
	return strings.TrimSpace(l) != "" && !isQuoted(l) && !isSigDashes(l) && !isMobileSignature(l)
}

// quotedFrom says whether the copy of Steady's text that starts at line i
// is quoted with ">": the first line of it that is not blank nor an
// attribution or header line.
func (s *stripper) quotedFrom(i int, m knownMatch) bool {
	for j := i; j < len(s.lines) && j < i+20; j++ {
		l := s.lines[j]
		switch {
		case isQuoted(l):
			return true
		case strings.TrimSpace(l) == "":
		case j == i && !m.byText, s.preambleLine(j):
		default:
			return false
		}
	}
	return false
}

// historyEnd returns the first line at or after i that is the sender's
// own text again: not blank, not quoted, not mostly words of the known
// text, not an attribution, header, separator or address line.
func (s *stripper) historyEnd(i int, rw *replyWords, cov []int) int {
	for j := i; j < len(s.lines); j++ {
		l := s.lines[j]
		switch {
		case isSigDashes(l):
			return j // a signature below the quote ends it
		case s.drop[j], isQuoted(l), strings.TrimSpace(l) == "", rw.n[j] == 0:
		case cov[j] > 0 && cov[j]*10 >= rw.n[j]*7:
		case s.preambleLine(j):
		default:
			return j
		}
	}
	return len(s.lines)
}

// preambleStart returns the first line of what a mail program writes
// above the quoted copy that starts at line i: an attribution (perhaps
// wrapped), a header block, a separator, the address or subject, and
// blank lines between them. It looks no higher than lower.
func (s *stripper) preambleStart(i, lower int) int {
	p := i
	for k := i - 1; k >= lower && i-k <= 15; k-- {
		if s.drop[k] {
			break
		}
		if unquote(s.lines[k]) == "" {
			continue
		}
		if s.preambleLine(k) {
			p = k
			continue
		}
		if w := s.wrappedAttributionEndingAt(k); w >= lower {
			p, k = w, w
			continue
		}
		break
	}
	return p
}

// wrappedAttributionEndingAt returns the first line of an attribution
// wrapped over two or three lines that ends at line e, or -1.
func (s *stripper) wrappedAttributionEndingAt(e int) int {
	joined := unquote(s.lines[e])
	for n := 2; n <= 3 && e-n+1 >= 0; n++ {
		first := unquote(s.lines[e-n+1])
		if first == "" {
			return -1
		}
		joined = first + " " + joined
		if ok, _ := attributionShape(joined, s.kn); ok && wrappedStart(first) {
			return e - n + 1
		}
		if ok := listedOpener.MatchString(first) && listedAttribution.MatchString(joined); ok {
			return e - n + 1
		}
	}
	return -1
}

// preambleLine says whether line k reads as part of what a mail program
// writes above quoted history.
func (s *stripper) preambleLine(k int) bool {
	t := unquote(s.lines[k])
	switch {
	case t == "":
		return false
	case isRule(t), isOriginalMessage(t), dashWrapped(t) != "":
		return true
	case s.kn.hasAddress(t) && addressLineShape(t), s.kn.isSubjectLine(t), s.kn.namedAttribution(t):
		return true
	}
	if ok, _ := attributionShape(t, s.kn); ok {
		return true
	}
	if listedOpener.MatchString(t) && listedAttribution.MatchString(t) {
		return true
	}
	if f, ok := headerField(t); ok {
		return knownHeaderKey.MatchString(strings.ReplaceAll(f.key, "\u00a0", " ")) || hasEmail(f.value) || hasDate(f.value) ||
			headerBlockAt(s.lines, s.fieldRunStart(k), s.kn)
	}
	if dateLine(t) {
		j := nextNonBlank(s.lines, k+1)
		if j < len(s.lines) {
			if _, ok := headerField(unquote(s.lines[j])); ok {
				return true
			}
		}
	}
	return false
}

// fieldRunStart returns the first of the header-like lines that end at k.
func (s *stripper) fieldRunStart(k int) int {
	for n := 0; k > 0 && n < 12; n++ {
		if _, ok := headerField(unquote(s.lines[k-1])); !ok || unquote(s.lines[k-1]) == "" {
			break
		}
		k--
	}
	return k
}
