package store

import (
	"strconv"
	"strings"

	"github.com/steadyapp/steady/analysis"
)

// parseStoredFlags reads stored flags in the exact form json.Marshal
// writes them ([{"t":"…","p":"…","e":[[0,5]]}]), without reflection:
// a month's summary opens the flags of every reply, and encoding/json
// was most of that. ok is false for anything else (an escaped string, a
// space, another field), which json.Unmarshal then reads.
func parseStoredFlags(s string) (fs []storedFlag, ok bool) {
	p := flagParser{s: s}
	if !p.eat('[') {
		return nil, false
	}
	if p.eat(']') {
		return []storedFlag{}, p.done()
	}
	for {
		f, ok := p.flag()
		if !ok {
			return nil, false
		}
		fs = append(fs, f)
		if p.eat(']') {
			return fs, p.done()
		}
		if !p.eat(',') {
			return nil, false
		}
	}
}

type flagParser struct {
	s string
	i int
}

func (p *flagParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *flagParser) lit(l string) bool {
	if strings.HasPrefix(p.s[p.i:], l) {
		p.i += len(l)
		return true
	}
	return false
}

func (p *flagParser) done() bool { return p.i == len(p.s) }

// str reads a string without escapes.
func (p *flagParser) str() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	end := strings.IndexByte(p.s[p.i:], '"')
	if end < 0 {
		return "", false
	}
	v := p.s[p.i : p.i+end]
	if strings.IndexByte(v, '\\') >= 0 {
		return "", false
	}
	p.i += end + 1
	return v, true
}

// num reads a non-negative integer.
func (p *flagParser) num() (int, bool) {
	j := p.i
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	if j == p.i || j-p.i > 9 || (p.s[p.i] == '0' && j-p.i > 1) {
		return 0, false
	}
	n, err := strconv.Atoi(p.s[p.i:j])
	p.i = j
	return n, err == nil
}

// flag reads {"t":"…","p":"…"} with an optional ,"e":[[a,b],…] before the }.
func (p *flagParser) flag() (f storedFlag, ok bool) {
	if !p.lit(`{"t":`) {
		return f, false
	}
	if f.Theme, ok = p.str(); !ok || !p.lit(`,"p":`) {
		return f, false
	}
	pol, ok := p.str()
	if !ok {
		return f, false
	}
	f.Polarity = analysis.Polarity(pol)
	if p.eat('}') {
		return f, true
	}
	if !p.lit(`,"e":[`) {
		return f, false
	}
	for {
		var span [2]int
		if !p.eat('[') {
			return f, false
		}
		if span[0], ok = p.num(); !ok || !p.eat(',') {
			return f, false
		}
		if span[1], ok = p.num(); !ok || !p.eat(']') {
			return f, false
		}
		f.Spans = append(f.Spans, span)
		if p.eat(']') {
			break
		}
		if !p.eat(',') {
			return f, false
		}
	}
	return f, p.eat('}')
}
