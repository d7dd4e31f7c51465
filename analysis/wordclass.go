package analysis

// Word classes are looked up once per word when a reply is tokenized, so
// the rules that ask "is this a negator?", "does this name a third party?"
// many times per reply ask a bit instead of scanning a list.
const (
	clsNegator uint16 = 1 << iota
	clsScopeBreaker
	clsPartner // partnerSubjects
	clsOther   // otherSubjects
	clsSpeech  // speechVerbs
	clsContrast
	clsExcuse
	clsPromise
)

// wordClasses maps a word to its classes. It is built once from the lists
// it stands for and never changed.
var wordClasses = buildWordClasses()

func buildWordClasses() map[string]uint16 {
	m := map[string]uint16{}
	for _, c := range []struct {
		cls   uint16
		words []string
	}{
		{clsNegator, negators}, {clsScopeBreaker, scopeBreakers}, {clsPartner, partnerSubjects}, {clsOther, otherSubjects},
		{clsSpeech, speechVerbs}, {clsContrast, contrastWords}, {clsExcuse, excuseWords}, {clsPromise, promiseWords},
	} {
		for _, w := range c.words {
			if w[len(w)-1] == '*' {
				panic("analysis: a word class cannot hold a prefix: " + w)
			}
			m[w] |= c.cls
		}
	}
	return m
}

// is reports whether t is in class c.
func (t token) is(c uint16) bool { return t.cls&c != 0 }

// blank turns toks[k] into a clause break: words read as a short answer or
// an echoed question mean nothing more.
func blank(toks []token, k int) {
	toks[k].w, toks[k].cls = clauseBreak, 0
}
