package analysis

import "strings"

// Sarcasm turns words of support upside down: "he was SO supportive, went
// to the pub", "'always honest'. That's why I found the second phone".
// A strong marker (scare quotes, "oh yeah", "sure,", "great job", "thanks
// a lot") means the words are not support; a weak one (an all-caps
// intensifier) only when a contrary fact follows. With a contrary fact
// the words are a red flag.

// sarcasmMarkers are strong markers anywhere before the words in their
// sentence.
var sarcasmMarkers = []pattern{
	compile("oh yeah|yes|sure|right|great|wonderful|brilliant"), compile("yeah right"), compile("sure $"),
	compile("great|good|nice|amazing job|work"), compile("well done"), compile("thanks a lot|bunch|million"),
	compile("thanks|thank you ~2 for nothing"), compile("so kind of him|her|them"), compile("how nice|lovely|kind|thoughtful"),
	compile("oh wait"),
}

// contraryFacts are words after the sarcastic ones that show the opposite:
// "that's why I found ...", "... went to the pub".
var contraryFacts = []pattern{
	compile("that is|was why"), compile("instead"), compile("meanwhile"),
	compile("went|goes|go|gone|off|going ~2 pub|bar|gym|football|match|party|pubs|mates|friends|golf|out"),
	compile("stayed|stays|sat|sits ~3 pub|bar|phone|xbox|playstation|games|couch|sofa"),
	compile("played|playing|plays ~2 games|xbox|playstation|golf|football"),
	compile("spent|spends|spending ~3 weekend|night|evening|day|week ~3 at|with|out|away"),
	compile("while|whilst ~2 looking|scrolling|playing|watching|texting|on"), compile("on his|her|their phone"),
	// Qualifiers that take the praise back: "REALLY dependable, if you
	// don't need anything", "great at promises. keeping them, not so much".
	compile("if you do|did not ~1 need|want|ask|count|expect"), compile("as long as"), compile("unless you|i"),
	compile("not so much"), compile("oh wait"), compile("except ~2 the|when|for|about|his|her|their|it|that"), compile("while|whilst i do|did|am doing everything|all"),
	compile("to his|her|their ~1 podcasts|podcast|phone|music|mates|games|friends|mum|mother|xbox|playstation|tv"),
}

// sarcasmReach is how many words before the green ones a marker may stand.
const sarcasmReach = 30

var intensifiers = []string{"so", "soo", "sooo", "really", "such", "very", "super", "totally", "always", "ever", "most", "incredibly"}

// sarcasm reports how the green words toks[i:end] are marked: strong,
// weak, or not at all.
func sarcasm(text string, toks []token, sp *spans, i, end int) (strong, weak bool) {
	sp.fill(toks)
	from := int(sp.sentFrom[i])
	// A marker sentence of its own just before: "Oh yeah. He's so reliable."
	if from >= 2 && toks[from-1].w == sentenceBreak && from-1-int(sp.sentFrom[from-2]) <= 3 {
		from = int(sp.sentFrom[from-2])
	}
	for k := max(from, i-sarcasmReach); k < i; k++ {
		for _, p := range sarcasmMarkers {
			if e, ok := p.matchAt(toks, k); ok && e <= i {
				return true, false
			}
		}
	}
	// "Oh yeah, ..." opening the reply was read as a short answer first.
	if from == 0 && hasPrefixFold(text, "oh yeah", "oh sure", "yeah right", "oh right") {
		return true, false
	}
	// "... standing up for me at dinner. not."
	to := int(sp.sentTo[end-1])
	if to+2 < len(toks) && toks[to+2].w == "not" && (to+3 == len(toks) || toks[to+3].w == sentenceBreak) {
		return true, false
	}
	if scareQuoted(text, toks, i, end) {
		return true, false
	}
	for k := max(i-2, from); k < end; k++ {
		if wordIn(toks[k].w, intensifiers) {
			// "SO supportive"; and in any case, with the contrary fact after.
			return false, true
		}
	}
	// "of course I trust him, that's why I check his phone" needs the
	// contrary fact too; so does an opening "sure," (read as a short
	// answer first).
	for k := max(from, i-4); k+1 < i; k++ {
		if toks[k].w == "of" && toks[k+1].w == "course" {
			return false, true
		}
	}
	if from == 0 && hasPrefixFold(text, "of course", "sure,") {
		return false, true
	}
	// "wow, what a supportive husband, ..." needs the contrary fact too.
	for k := max(from, i-sarcasmReach); k < i; k++ {
		if toks[k].w == "wow" || toks[k].w == "what" && k+1 < i && toks[k+1].w == "a" {
			return false, true
		}
	}
	return false, false
}

// scareQuoted reports whether a quote mark opens at most two words before
// toks[i] and closes after at most two words, around or within the match:
// "'helps' with the kids", "'always honest'".
func scareQuoted(text string, toks []token, i, end int) bool {
	a := -1
	for k := max(i-2, 0); k <= i; k++ {
		if s := toks[k].start; s > 0 && isQuote(text[:s], true) {
			a = k
			break
		}
	}
	if a < 0 {
		return false
	}
	// Scare quotes hold a word or two; a longer quote is someone's words.
	for b := max(i, a); b < len(toks) && b <= end && b <= a+1; b++ {
		e := toks[b].end
		if text[e-1] == '\'' || isQuote(text[e:], false) {
			return true
		}
	}
	return false
}

// isQuote reports whether s ends (before) or starts (after) with a quote mark.
func isQuote(s string, before bool) bool {
	for _, q := range []string{"\"", "'", "\u201c", "\u201d", "\u2018", "\u2019"} {
		if before && strings.HasSuffix(s, q) || !before && strings.HasPrefix(s, q) {
			return true
		}
	}
	return false
}

func allCaps(w string) bool {
	if len(w) < 2 {
		return false
	}
	for k := 0; k < len(w); k++ {
		if b := w[k]; b < 'A' || b > 'Z' {
			return false
		}
	}
	return true
}

// contraryAfter reports whether the words after toks[end] state a
// contrary fact.
func contraryAfter(toks []token, end int) bool {
	for k := end; k < len(toks) && k < end+relationReach; k++ {
		for _, p := range contraryFacts {
			if _, ok := p.matchAt(toks, k); ok {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether text, trimmed, starts with one of
// prefixes, ignoring ASCII case.
func hasPrefixFold(text string, prefixes ...string) bool {
	t := strings.TrimSpace(text)
	for _, p := range prefixes {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) {
			return true
		}
	}
	return false
}

// excuseWords in scare quotes are an excuse the subscriber does not
// believe: he "forgot", she was "busy", it was a "joke".
var excuseWords = []string{"forgot", "busy", "working", "work", "lost", "accident", "joke", "friend", "mate", "tired", "sick", "ill", "late", "meeting", "colleague", "gym"}

// quotedExcuse returns the first scare-quoted excuse in toks, if any.
func quotedExcuse(text string, toks []token) (int, bool) {
	for k, t := range toks {
		if t.is(clsExcuse) && scareQuoted(text, toks, k, k+1) && quoteHugs(text, t) {
			return k, true
		}
	}
	return 0, false
}

// quotedPromise returns the index of a promise in scare quotes: "he
// 'promised' to do the dishes".
func quotedPromise(text string, toks []token) (int, bool) {
	for k, t := range toks {
		if wordIn(t.w, []string{"promised", "promise", "promises", "swore", "swears"}) && scareQuoted(text, toks, k, k+1) && quoteHugs(text, t) {
			return k, true
		}
	}
	return 0, false
}

// quoteHugs reports whether the quote marks sit right around t: 'busy'.
func quoteHugs(text string, t token) bool {
	return t.start > 0 && isQuote(text[:t.start], true) && (text[t.end-1] == '\'' || isQuote(text[t.end:], false))
}
