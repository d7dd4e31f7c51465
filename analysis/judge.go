package analysis

import (
	"slices"

	"github.com/steadyapp/steady/themes"
)

// relationReach is how many words apart two flags may be for one to
// decide the other: clauses relate to their neighbours, not across a
// whole letter.
const relationReach = 60

// hit is one lexicon match: where it is in the tokens and the flag it
// would give.
type hit struct {
	start, end int
	f          Flag
	hedged     bool // green only because "I don't think he's lying" negated a red phrase
}

// judge reads the lexicon's matches as clauses: it drops what a question,
// a wish or a third party's reported words say, reads sarcasm, and lets
// the later clause of a contrast decide a theme. Safety matches are never
// dropped: a danger report inside a question is still a danger report.
func judge(text string, toks []token, sp *spans, m marks, hits []hit) (out []hit, sarcastic bool) {
	sp.fill(toks)
	slices.SortStableFunc(hits, func(a, b hit) int { return a.start - b.start })
	drop := make([]bool, len(hits))
	for n, h := range hits {
		if h.f.Theme == themes.Safety {
			continue
		}
		switch {
		case m[h.start]&markWish != 0 && h.f.Polarity == Red && h.start > 0 && wordIn(toks[h.start-1].w, []string{"stop", "quit"}):
			// "I wish he'd stop lying" is no hypothetical: it says he lies.
		case m[h.start]&(markQuestion|markWish) != 0:
			drop[n] = true
		case m[h.start]&markReported != 0 && !confirmed(toks, sp, h.end):
			// "my mum says he'll never commit" is the mum's claim; "my
			// therapist says he's unavailable. I think she's right" is
			// the subscriber's too.
			drop[n] = true
		}
	}
	for n := range hits {
		h := &hits[n]
		if drop[n] || h.f.Polarity != Green || h.f.Theme == themes.Safety {
			continue
		}
		strong, weak := sarcasm(text, toks, sp, h.start, h.end)
		if !strong && !weak {
			continue
		}
		contrary := contraryAfter(toks, h.end) || slices.ContainsFunc(hits[n+1:], func(o hit) bool {
			return o.f.Polarity == Red && o.start >= h.end
		})
		switch {
		case contrary:
			h.f.Polarity = Red
		case strong:
			drop[n] = true
		}
		if strong || contrary {
			sarcastic = true
		}
	}
	// Tenderness words in a sentence of harm are not support: "bruises
	// from where he held me".
	for _, h := range hits {
		if h.f.Theme != themes.Safety {
			continue
		}
		for o := range hits {
			if hits[o].f.Polarity == Green && sp.sentFrom[hits[o].start] == sp.sentFrom[h.start] {
				drop[o] = true
			}
		}
	}
	for a := range hits {
		if drop[a] {
			continue
		}
		for b := a + 1; b < len(hits) && hits[b].start-hits[a].end <= relationReach; b++ {
			x, y := hits[a], hits[b]
			if drop[b] || y.start <= x.start || !sameStretch(toks, sp, x.start, y.start) {
				continue
			}
			switch {
			case x.hedged && y.f.Polarity == Red && contrastBetween(sp, x.end, y.start):
				// "I don't think he's lying, but something feels off".
				drop[a] = true
			case x.f.Polarity == Green && y.f.Polarity == Red && x.f.Theme != y.f.Theme && untilBetween(sp, x.end, y.start):
				// "he had my back for a week, until his mum started and
				// he went quiet": the support ended.
				hits[a].f.Polarity = Red
			case x.f.Theme == y.f.Theme && x.f.Polarity != y.f.Polarity && contrastBetween(sp, x.end, y.start):
				// "he listened, but then he laughed it off".
				drop[a] = true
			case x.f.Theme == y.f.Theme && x.f.Polarity == Red && y.f.Polarity == Green && sp.sentFrom[x.start] == sp.sentFrom[y.start]:
				// "he forgot, like he promised": with no contrast between,
				// the support after a red flag on the same theme is irony.
				drop[b] = true
			}
		}
	}
	out = hits[:0]
	for n, h := range hits {
		if !drop[n] {
			out = append(out, h)
		}
	}
	return out, sarcastic
}

// confirmed reports whether the subscriber agrees with the reported words
// ending at toks[end] in the next few words: "she's right", "I agree",
// "they're not wrong".
func confirmed(toks []token, sp *spans, end int) bool {
	for k := end; k < len(toks) && k < end+confirmReach; k++ {
		if _, ok := confirmPattern.matchAt(toks, k); ok {
			return true
		}
		if _, ok := agreePattern.matchAt(toks, k); ok {
			return true
		}
	}
	return false
}

// confirmReach is how many words after reported words the subscriber's
// agreement may come.
const confirmReach = 12

var (
	confirmPattern = compile("he|she|they|mum|mom|dad|friend|friends is|are|was|were right|correct")
	agreePattern   = compile("i ~1 agree|agreed")
)

// hedgedNegation reports whether the negation before toks[i] is the
// subscriber's hedge, "I don't think", "I don't believe": "I don't think
// he's lying" is not a sign of honesty when distrust follows.
func hedgedNegation(toks []token, i int) bool {
	for k := i - 1; k >= 3 && k >= i-negationWindow-2; k-- {
		if isBarrier(toks[k].w) {
			return false
		}
		if wordIn(toks[k].w, []string{"think", "believe", "reckon", "suppose"}) && toks[k-1].w == "not" && toks[k-3].w == "i" {
			return true
		}
	}
	return false
}

// untilBetween reports whether "until" or "till" stands in toks[a:b] (of
// one sentence: the caller checks).
func untilBetween(sp *spans, a, b int) bool { return b > a && sp.untils[b] > sp.untils[a] }
