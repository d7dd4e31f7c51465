package analysis

// A reply is read as clauses: who speaks or acts in each, whether it is a
// report, a question or a wish, and how it relates to the clause before.
// marks holds what Analyze needs of that, one byte per token, filled only
// when the lexicon found something to judge.
type marks []uint8

const (
	markReported uint8 = 1 << iota // a third party's words, as the subscriber reports them
	markQuestion                   // a yes/no question: "does he listen?"
	markWish                       // a wish or hypothetical: "I wish he would", "what if"
)

// speechVerbs introduce someone's words or opinion: "my mum says ...",
// "my friends think ...", "his sister told everyone ...".
var speechVerbs = []string{"say", "says", "said", "saying", "told", "tells", "tell", "telling", "think", "thinks", "thought",
	"reckon", "reckons", "reckoned", "warned", "warns", "claims", "claimed", "believes", "believed", "insists", "insisted",
	"reckoning", "worries", "worried", "swears", "swore", "called", "calls"}

// questionOpeners open a yes/no question when they start a sentence that
// ends in "?": "does he ...", "can I ...", "is she ...".
var questionOpeners = []string{"do", "does", "did", "is", "are", "was", "were", "can", "could", "will", "would", "should",
	"has", "have", "had", "am", "shall", "may", "might"}

// subjectWords restart a clause after "and" or "but": "... and he told
// her to stop" is the partner's own doing again.
var subjectWords = []string{"i", "he", "she", "they", "we", "my", "his", "her"}

// clauseMarks reads toks into marks. text is the reply, for the "?" that
// ends a question.
func clauseMarks(text string, toks []token) marks {
	m := make(marks, len(toks))
	sentStart := 0
	for k := 0; k <= len(toks); k++ {
		if k < len(toks) && toks[k].w != sentenceBreak {
			continue
		}
		// toks[sentStart:k] is one sentence; toks[k] its end, if any.
		if k < len(toks) && text[toks[k].start] == '?' && sentStart < k && yesNoQuestion(toks[sentStart:k]) {
			for j := sentStart; j < k; j++ {
				m[j] |= markQuestion
			}
		}
		sentStart = k + 1
	}
	for k := range toks {
		switch {
		case wishAt(toks, k):
			markClause(m, toks, k, markWish)
		case toks[k].is(clsSpeech) && k > 0 && subjectBefore(toks, k) == subjOther && !partnerBetween(toks, k):
			markClause(m, toks, k+1, markReported)
		}
	}
	return m
}

// partnerBetween reports whether the partner is named between the
// speech verb at toks[k] and the third party before it in the same
// clause: "my mum says" is the mum, "my mum was rude and he said" is not.
func partnerBetween(toks []token, k int) bool {
	for j := k - 1; j >= 0 && !isBarrier(toks[j].w); j-- {
		if toks[j].is(clsOther) {
			return false
		}
		if toks[j].is(clsPartner) || toks[j].w == "i" {
			return true
		}
	}
	return false
}

// yesNoQuestion reports whether a sentence is a question that asks rather
// than tells: it opens with an auxiliary ("does he ...", "can I ...")
// and does not report a fact inside it ("is it normal that he ...").
func yesNoQuestion(sent []token) bool {
	first := 0
	for first < len(sent) && (isBarrier(sent[first].w) || wordIn(sent[first].w, []string{"and", "but", "so", "ok", "okay", "well", "honestly"})) {
		first++
	}
	if first >= len(sent) || !wordIn(sent[first].w, questionOpeners) {
		return false
	}
	for _, t := range sent[first:] {
		if t.w == "that" {
			return false
		}
	}
	return true
}

// wishAt reports whether a wish or hypothetical starts at toks[k]: "I
// wish", "if only", "what if", "I hope", "hopefully", "I would love".
func wishAt(toks []token, k int) bool {
	w := toks[k].w
	next := ""
	if k+1 < len(toks) {
		next = toks[k+1].w
	}
	switch {
	case w == "wish" || w == "wished":
		return k > 0 && wordIn(toks[k-1].w, []string{"i", "just", "really", "only"})
	case w == "if" && next == "only":
		return true
	case w == "what" && next == "if":
		return true
	case w == "hope" || w == "hoping":
		return k > 0 && toks[k-1].w == "i" || k > 1 && toks[k-2].w == "i"
	case w == "hopefully":
		return true
	case (w == "wonder" || w == "wondering") && (next == "if" || next == "whether"):
		// "I wonder if he'd stand up for me"; "he keeps wondering if ..." is his doubt.
		return k > 0 && toks[k-1].w == "i" || k > 1 && toks[k-2].w == "i" && toks[k-1].w == "am"
	case w == "if" && k+1 < len(toks) && toks[k+1].is(clsPartner):
		return conditional(toks, k+2) // "if he lied to me I'd leave"
	case w == "would" && wordIn(next, []string{"love", "like"}):
		return k > 0 && toks[k-1].w == "i"
	}
	return false
}

// conditional reports whether the sentence from toks[k] goes on to what
// the writer would do: "if he lied to me I'd leave" supposes, it does not
// report.
func conditional(toks []token, k int) bool {
	for j := k; j+1 < len(toks) && j < k+15 && toks[j].w != sentenceBreak; j++ {
		if toks[j].w == "i" && wordIn(toks[j+1].w, []string{"would", "could", "might"}) {
			return true
		}
	}
	return false
}

// markClause sets bit on toks[from:] up to the end of the clause: a break,
// a contrast ("but", "until"), or "and"/"so"/"then" followed by a new
// subject ("... and he told her to stop").
func markClause(m marks, toks []token, from int, bit uint8) {
	for j := from; j < len(toks); j++ {
		w := toks[j].w
		if isBarrier(w) {
			return
		}
		if wordIn(w, []string{"but", "yet", "though", "although", "until", "except", "however"}) {
			return
		}
		if wordIn(w, []string{"and", "so", "then"}) && j+1 < len(toks) && wordIn(toks[j+1].w, subjectWords) {
			return
		}
		m[j] |= bit
	}
}

// contrastWords join a clause whose word on a theme wins over the clause
// before: "he listened, but then he laughed it off".
var contrastWords = []string{"but", "then", "until", "till", "except", "though", "although", "yet", "however", "still", "now", "anyway"}

// contrastBetween reports whether a contrast word stands in toks[a:b], the
// words between two flags ("even though" counts by its "though").
func contrastBetween(sp *spans, a, b int) bool { return b > a && sp.contrasts[b] > sp.contrasts[a] }

// sameStretch reports whether toks[a] and toks[b] (a < b) are in one
// sentence, or in two where the later opens with a contrast word ("He
// listened. Then he laughed.").
func sameStretch(toks []token, sp *spans, a, b int) bool {
	fa, fb := sp.sentFrom[a], sp.sentFrom[b]
	if fa == fb {
		return true
	}
	// b's sentence must directly follow a's and open with a contrast word.
	return sp.sentTo[a]+2 == fb && toks[fb].is(clsContrast)
}
