package analysis

import (
	"github.com/steadyapp/steady/themes"
	"slices"
	"strings"
)

// Polarity says whether a flag is a red flag or a sign of support.
type Polarity string

// Polarities.
const (
	Red   Polarity = "red"
	Green Polarity = "green"
)

// Flag is one finding in a reply: a theme, red or green, and the
// subscriber's own words that triggered it. Its JSON shape is the
// `steady analyze` contract.
type Flag struct {
	Theme    string   `json:"theme"`
	Polarity Polarity `json:"polarity"`
	Evidence string   `json:"evidence"`
}

// maxEvidence bounds the quoted evidence, in bytes.
const maxEvidence = 160

// negationWindow is how many words before a match a negator reaches.
const negationWindow = 5

var negators = []string{"not", "never", "no", "nobody", "neither", "nor", "hardly", "barely", "rarely", "seldom", "instead",
	"refuses", "refused", "refusing", "reluctant", "hesitant", "fails", "failed"}

// scopeBreakers end a negation's reach: "he didn't hit me but he threatened
// to" negates only the hitting.
var scopeBreakers = []string{"but", "and", "because", "so", "though", "although", "while", "yet", "then", "when", "if"}

// Analyze reads one reply. promptTheme is the theme of the prompt it
// answers ("" when unknown); its short answer (YES/NO, 1-5 and their
// everyday variants) counts for that theme under the catalog's convention,
// unless the free text says otherwise about the same theme. The free text
// can flag any theme. The result is deterministic, one flag per theme and
// polarity, answer first and then in the order the text raised them.
func Analyze(text, promptTheme string) []Flag {
	toks := tokenize(text)
	var flags []Flag
	add := func(f Flag) {
		for i, g := range flags {
			if g.Theme == f.Theme && g.Polarity == f.Polarity {
				if !strings.Contains(g.Evidence, f.Evidence) && len(g.Evidence)+len(f.Evidence) < 2*maxEvidence {
					flags[i].Evidence = g.Evidence + " … " + f.Evidence
				}
				return
			}
		}
		flags = append(flags, f)
	}

	ans, _ := shortAnswer(text, toks)
	if _, ok := themes.Lookup(promptTheme); !ok {
		ans.polarity = ""
	}

	claimed := make([]bool, len(toks))
	var textFlags []Flag
	type hit struct {
		start, end int
		f          Flag
	}
	var hits []hit
	for _, r := range rules {
		for i := range toks {
			end, ok := r.pat.matchAt(toks, i)
			if !ok || slices.Contains(claimed[i:end], true) {
				continue
			}
			// The match's own first word may name who acted: "he's useless".
			if !r.actor.fits(subjectBefore(toks, i+1)) {
				continue
			}
			if r.theme == "" {
				// A blocker: the words are read, and mean nothing.
				for k := i; k < end; k++ {
					claimed[k] = true
				}
				continue
			}
			pol := r.pol
			if negated(toks, i, r.theme != themes.Safety) {
				if r.theme == themes.Safety {
					for k := i; k < end; k++ {
						claimed[k] = true
					}
					continue
				}
				pol = flip(pol)
			}
			for k := i; k < end; k++ {
				claimed[k] = true
			}
			ev := evidence(text, toks, i, end)
			hits = append(hits, hit{i, end, Flag{Theme: r.theme, Polarity: pol, Evidence: ev}})
			if r.also != "" {
				hits = append(hits, hit{i, end, Flag{Theme: r.also, Polarity: pol, Evidence: ev}})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.start - b.start })
	for _, h := range hits {
		textFlags = append(textFlags, h.f)
	}

	if ans.polarity != "" {
		overridden := false
		for _, f := range textFlags {
			if f.Theme == promptTheme {
				overridden = true
			}
		}
		if !overridden {
			add(Flag{Theme: promptTheme, Polarity: ans.polarity, Evidence: ans.words})
		}
	}
	for _, f := range textFlags {
		add(f)
	}
	// A theme both red and green in the text keeps both: the summary shows
	// the red with its words, and the support too.
	return flags
}

// soStartsClause tells "so" starting a clause ("he lied so I left"), which
// ends a negation's reach, from "so" before a word ("not so supportive").
func soStartsClause(next string) bool {
	return next == "" || isBarrier(next) || wordIn(next, []string{"i", "he", "she", "we", "they", "it", "that", "my", "his", "her", "the", "you", "there", "now", "then"})
}

func flip(p Polarity) Polarity {
	if p == Red {
		return Green
	}
	return Red
}

// negated reports whether a negator stands within negationWindow words
// before toks[i], with no break or scope-ending word in between. An even
// number of negators cancels out ("not that he never ..."). "he stopped
// lying" negates too; with past, so does "used to" ("we used to laugh"), but
// never for safety: "he used to hit me" is still a flag.
func negated(toks []token, i int, past bool) bool {
	n := 0
	for k := i - 1; k >= 0 && k >= i-negationWindow; k-- {
		w := toks[k].w
		next := ""
		if k+1 < len(toks) {
			next = toks[k+1].w
		}
		if isBarrier(w) || wordIn(w, scopeBreakers) && (w != "so" || soStartsClause(next)) {
			break
		}
		// "I've never felt so trusted", "never been closer": not a negation.
		if w == "never" && slices.ContainsFunc(toks[k+1:i], func(t token) bool {
			return wordIn(t.w, []string{"so", "more", "this", "happier", "better", "closer"})
		}) {
			continue
		}
		if w == "stopped" && !wordIn(next, []string{"by", "off", "at", "in", "for", "to", "me", "him", "her", "them"}) {
			n++
			continue
		}
		if past && w == "used" && next == "to" && k+1 < i {
			n++
			continue
		}
		// "not sure he lied" hedges and does not negate "lied"; but "not
		// sure about us" negates the phrase "sure about us" itself.
		if wordIn(w, negators) && (k+1 == i || !wordIn(toks[k+1].w, []string{"sure", "certain"})) {
			n++
		}
	}
	return n%2 == 1
}

// actor is who a rule needs to have done the thing.
type actor byte

const (
	anyone   actor = iota // no check
	partner               // the partner (or nobody named): "I lied to him" is not a flag
	self                  // the subscriber's own feeling: "I'm scared of him"
	we                    // the two of them together: "we barely talk"
	notOther              // anyone but a third party: "I keep checking his phone", "he checks my phone", not "my mum checks up on me"
)

type subject byte

const (
	subjNone subject = iota
	subjSelf
	subjWe
	subjPartner
	subjOther
)

var (
	partnerSubjects = []string{"he", "she", "they", "partner", "husband", "wife", "boyfriend", "girlfriend", "fiance", "spouse"}
	otherSubjects   = []string{"mom", "mum", "mother", "dad", "father", "sister", "brother", "friend", "friends", "boss",
		"coworker", "coworkers", "colleague", "colleagues", "parents", "family", "ex", "son", "daughter", "kids",
		"neighbor", "neighbour", "teacher", "manager", "cousin", "aunt", "uncle", "grandma", "grandpa", "roommate", "everyone", "people",
		"mate", "mates", "pal", "pals", "nan", "nana", "gran", "granny", "stepmom", "stepmum", "stepdad", "laws", "sis", "bro", "therapist"}
)

// subjectBefore is the nearest word before toks[i] that says who acts:
// "I", "we", the partner, or somebody else.
func subjectBefore(toks []token, i int) subject {
	for k := i - 1; k >= 0; k-- {
		w := toks[k].w
		switch {
		case w == "i":
			return subjSelf
		case w == "we":
			return subjWe
		case wordIn(w, partnerSubjects):
			return subjPartner
		case wordIn(w, otherSubjects):
			// "my bf's friends" still names the friends; "best friend" is not an
			// actor ("she's my best friend"), unless it opens a clause: "my best
			// friend stood up for me".
			if k > 0 && toks[k-1].w == "best" {
				if k > 1 && toks[k-2].w == "my" && (k == 2 || isBarrier(toks[k-3].w) || wordIn(toks[k-3].w, scopeBreakers)) {
					return subjOther
				}
				continue
			}
			return subjOther
		}
	}
	return subjNone
}

func (a actor) fits(s subject) bool {
	switch a {
	case partner:
		return s == subjNone || s == subjPartner || s == subjWe
	case self:
		return s == subjNone || s == subjSelf
	case we:
		return s == subjWe
	case notOther:
		return s != subjOther
	}
	return true
}

// evidence quotes the subscriber's words around toks[i:end]: the sentence,
// or the clause when the sentence is long.
func evidence(text string, toks []token, i, end int) string {
	span := func(breaks func(string) bool) (int, int) {
		a, b := i, end-1
		for a > 0 && !breaks(toks[a-1].w) {
			a--
		}
		for b < len(toks)-1 && !breaks(toks[b+1].w) {
			b++
		}
		return toks[a].start, toks[b].end
	}
	s, e := span(func(w string) bool { return w == sentenceBreak })
	if e-s > maxEvidence {
		s, e = span(isBarrier)
	}
	if e-s > maxEvidence {
		s, e = toks[i].start, toks[end-1].end
	}
	return strings.TrimSpace(text[s:e])
}
