package analysis

import (
	"strconv"
	"strings"
)

// A pattern is a space-separated sequence of elements matched against
// consecutive normalized words:
//
//	word       that word
//	a|b|c      any of the words
//	pre*       any word starting with "pre" (also inside alternatives)
//	@p         a word naming the partner as an object (him, her, them, partner, ...)
//	~          a gap of up to four words (never across a sentence break)
//	~8         a gap of up to that many words
//	!a|b       zero-width: the next word is not one of these (or there is none)
//	$          zero-width: the clause ends here (a break, or the end of the reply)
//	a|b|$      one of the words, or the clause ends here (zero-width then)
//	^          zero-width: a clause starts here (first word, or after a break)
//	.          a sentence break: "said he'd come . he did not" reads on across it
//
// Patterns never match a sentence or clause break, except that a gap may
// cross a clause break.
type pattern []elem

// elem is small (72 bytes), as the rules hold about ten thousand.
type elem struct {
	kind  byte  // 'w' words, '~' gap, '!' negative lookahead, '$' clause end, '^' clause start, '.' sentence break
	orEnd bool  // "a|b|$": the clause may end here instead
	gap   uint8 // the longest gap, for '~'
	words []string
	long  *longList // for a long list of words
	first [4]uint64 // the first bytes of the words, as a bit set
}

// longList is a long list of words, looked up rather than scanned.
type longList struct {
	set      map[string]bool // the words without "*"
	prefixes []string        // the "*" words' prefixes
}

const maxGap = 4

var partnerObjects = []string{"him", "her", "them", "partner", "husband", "wife", "boyfriend", "girlfriend", "fiance", "spouse"}

func compile(src string) pattern {
	fields := strings.Fields(src)
	p := make(pattern, 0, len(fields))
	for _, f := range fields {
		switch {
		case f == "~":
			p = append(p, elem{kind: '~', gap: maxGap})
		case strings.HasPrefix(f, "~"):
			n, err := strconv.Atoi(f[1:])
			if err != nil || n < 1 || n > 255 {
				panic("analysis: bad gap in pattern: " + src)
			}
			p = append(p, elem{kind: '~', gap: uint8(n)})
		case f == ".":
			p = append(p, elem{kind: '.'})
		case f == "$" || f == "^":
			p = append(p, elem{kind: f[0]})
		case strings.HasPrefix(f, "!"):
			p = append(p, elem{kind: '!', words: strings.Split(f[1:], "|")})
		default:
			words := make([]string, 0, strings.Count(f, "|")+1)
			orEnd := false
			for _, w := range strings.Split(f, "|") {
				if w == "$" {
					orEnd = true
				} else if w == "@p" {
					words = append(words, partnerObjects...)
				} else {
					words = append(words, w)
				}
			}
			p = append(p, elem{kind: 'w', words: words, orEnd: orEnd})
		}
	}
	for k := range p {
		p[k].index()
	}
	if len(p) > 0 && p[0].kind == '^' {
		if len(p) == 1 || p[1].kind != 'w' {
			panic("analysis: pattern must start with a word: " + src)
		}
	} else if len(p) == 0 || p[0].kind != 'w' {
		panic("analysis: pattern must start with a word: " + src)
	}
	return p
}

func wordIn(w string, set []string) bool {
	for _, s := range set {
		if n := len(s); n > 0 && s[n-1] == '*' {
			if len(w) >= n-1 && w[:n-1] == s[:n-1] {
				return true
			}
		} else if w == s {
			return true
		}
	}
	return false
}

// bigSet is how many words an element lists before it is looked up in a
// map rather than scanned.
const bigSet = 8

// has reports whether w is one of el's words.
func (el *elem) has(w string) bool {
	// Most words fail at their first byte.
	if w == "" || el.first[w[0]>>6]&(1<<(w[0]&63)) == 0 {
		return false
	}
	if el.long == nil {
		return wordIn(w, el.words)
	}
	if el.long.set[w] {
		return true
	}
	for _, p := range el.long.prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// index fills el.first, and el.long for a long list of words.
func (el *elem) index() {
	for _, w := range el.words {
		if w != "" {
			el.first[w[0]>>6] |= 1 << (w[0] & 63)
		}
	}
	if len(el.words) < bigSet {
		return
	}
	el.long = &longList{set: make(map[string]bool, len(el.words))}
	for _, w := range el.words {
		if pre, ok := strings.CutSuffix(w, "*"); ok {
			el.long.prefixes = append(el.long.prefixes, pre)
		} else {
			el.long.set[w] = true
		}
	}
}

// matchAt reports the end (exclusive) of a match of p starting at toks[i].
func (p pattern) matchAt(toks []token, i int) (int, bool) {
	return p.match(toks, 0, i)
}

func (p pattern) match(toks []token, e, i int) (int, bool) {
	if e == len(p) {
		return i, true
	}
	el := &p[e]
	switch el.kind {
	case '!':
		if i < len(toks) && !isBarrier(toks[i].w) && el.has(toks[i].w) {
			return 0, false
		}
		return p.match(toks, e+1, i)
	case '.':
		if i >= len(toks) || toks[i].w != sentenceBreak {
			return 0, false
		}
		return p.match(toks, e+1, i+1)
	case '$':
		if i < len(toks) && !isBarrier(toks[i].w) {
			return 0, false
		}
		return p.match(toks, e+1, i)
	case '^':
		if i > 0 && !isBarrier(toks[i-1].w) {
			return 0, false
		}
		return p.match(toks, e+1, i)
	case '~':
		for skip := 0; skip <= int(el.gap); skip++ {
			j := i + skip
			if j > len(toks) {
				break
			}
			if skip > 0 && toks[j-1].w == sentenceBreak {
				break
			}
			if end, ok := p.match(toks, e+1, j); ok {
				return end, true
			}
		}
		return 0, false
	default:
		if el.orEnd && (i >= len(toks) || isBarrier(toks[i].w)) {
			return p.match(toks, e+1, i)
		}
		if i >= len(toks) || isBarrier(toks[i].w) || !el.has(toks[i].w) {
			return 0, false
		}
		return p.match(toks, e+1, i+1)
	}
}
