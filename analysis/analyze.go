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
	"refuses", "refused", "refusing", "reluctant", "hesitant", "fails", "failed", "unwilling"}

// scopeBreakers end a negation's reach: "he didn't hit me but he threatened
// to" negates only the hitting.
var scopeBreakers = []string{"but", "and", "because", "so", "though", "although", "while", "yet", "then", "when", "if"}

// Analyze reads one reply. promptTheme is the theme of the prompt it
// answers ("" when unknown); its short answer (YES/NO, 1-5 and their
// everyday variants) counts for that theme under the catalog's convention,
// unless the free text says otherwise about the same theme. The free text
// can flag any theme. The result is deterministic, one flag per theme and
// polarity, answer first and then in the order the text raised them.
func Analyze(text, promptTheme string) []Flag { return analyze(text, promptTheme, builtin) }

// analyze is Analyze with the learned model m next to the rules, or none
// (nil): the labelled tests report the rules alone too.
func analyze(text, promptTheme string, m *model) []Flag {
	toks, ans := readTokens(text)
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

	if _, ok := themes.Lookup(promptTheme); !ok {
		ans.polarity = ""
	}

	claimed := make([]bool, len(toks))
	var textFlags []Flag
	var hits []hit
	var buf [64]candidate
	var sp spans
	for _, c := range index.candidates(toks, buf[:]) {
		r, i := &rules[c.rule()], c.at()
		end, ok := r.pat.matchAt(toks, i)
		if !ok || slices.Contains(claimed[i:end], true) {
			continue
		}
		// The match's own first word may name who acted: "he's useless".
		if !r.actor.fits(subjectBefore(toks, i+1)) || r.other && !otherBefore(toks, i) {
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
		if r.theme != themes.Safety && pastContrast(toks, i, end) {
			pol = flip(pol) // "she was always so affectionate, but these days ..."
		}
		if pol == Green && r.theme != themes.Safety && thoughtUntil(toks, i, end) {
			pol = Red // "I thought he was honest until I found out about the loan"
		}
		if pol == Green && r.theme != themes.Safety && doubted(toks, i) {
			pol = Red // "I'm not sure I trust her anymore"
		}
		if negated(toks, i, r.theme == themes.Safety) {
			// "he didn't hit me this time", "she doesn't push me any
			// more": a negation that admits it happened before is no
			// all-clear.
			if r.theme == themes.Safety && !onlyThisTime(toks, end) {
				for k := i; k < end; k++ {
					claimed[k] = true
				}
				continue
			}
			if r.theme != themes.Safety { // safety is only ever red
				pol = flip(pol)
			}
		}
		for k := i; k < end; k++ {
			claimed[k] = true
		}
		ev := evidence(text, toks, &sp, i, end)
		hedged := pol == Green && r.pol == Red && hedgedNegation(toks, i)
		hits = append(hits, hit{i, end, Flag{Theme: r.theme, Polarity: pol, Evidence: ev}, hedged})
		if r.also != "" {
			hits = append(hits, hit{i, end, Flag{Theme: r.also, Polarity: pol, Evidence: ev}, hedged})
		} else if r.theme == themes.Distancing && pol == Red && (whenIRaise(toks, end) || raisedBefore(toks, i)) {
			// Pulling away as the answer to being told things is
			// also a confiding flag: "she blanks me when I bring up money".
			hits = append(hits, hit{i, end, Flag{Theme: themes.Confiding, Polarity: Red, Evidence: ev}, false})
		}
	}
	if k, ok := quotedExcuse(text, toks); ok && !slices.ContainsFunc(hits, func(h hit) bool { return h.f.Polarity == Red }) {
		hits = append(hits, hit{k, k + 1, Flag{Theme: themes.Honesty, Polarity: Red, Evidence: evidence(text, toks, &sp, k, k+1)}, false})
	}
	if !slices.ContainsFunc(hits, func(h hit) bool { return h.f.Theme == themes.KeepingWord }) {
		if k, ok := quotedPromise(text, toks); ok {
			// "he 'promised' to do the dishes": a promise the writer does not believe.
			hits = append(hits, hit{k, k + 1, Flag{Theme: themes.KeepingWord, Polarity: Red, Evidence: evidence(text, toks, &sp, k, k+1)}, false})
		} else if s, e, pol, ok := promiseOutcome(toks); ok && partner.fits(subjectBefore(toks, s+1)) {
			hits = append(hits, hit{s, e, Flag{Theme: themes.KeepingWord, Polarity: pol, Evidence: evidence(text, toks, &sp, s, e)}, false})
		}
	}
	var cm marks // read only when something may be flagged
	if len(hits) > 0 || m != nil {
		cm = clauseMarks(text, toks)
	}
	if len(hits) > 0 {
		var sarcastic bool
		hits, sarcastic = judge(text, toks, &sp, cm, hits)
		if sarcastic && ans.polarity == Green {
			ans.polarity = "" // "sure, he 'listens'" is no yes
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.start - b.start })
	for _, h := range hits {
		textFlags = append(textFlags, h.f)
	}

	answered := 0 // the short answer's flag, first, is not the model's to review
	if ans.polarity != "" {
		overridden := false
		for _, f := range textFlags {
			if f.Theme == promptTheme {
				overridden = true
			}
		}
		if !overridden {
			add(Flag{Theme: promptTheme, Polarity: ans.polarity, Evidence: ans.words})
			answered = 1
		}
	}
	for _, f := range textFlags {
		add(f)
	}

	// The learned model reviews the rules' flags and speaks to themes
	// nothing else flagged.
	flags = m.apply(text, promptTheme, toks, &sp, cm, flags, answered)
	// A theme both red and green in the text keeps both: the summary shows
	// the red with its words, and the support too.
	return flags
}

// readTokens tokenizes text and reads the short answer it opens with,
// blanking the answer's words and an echoed question before it.
func readTokens(text string) ([]token, answer) {
	toks := tokenize(text)
	ans, n := shortAnswer(text, toks)
	if n == 0 {
		// A reply may open by echoing the question: "can I trust him? no.",
		// "Best friend? She barely knows me." The echo is not the
		// subscriber's claim, and the answer may follow it.
		if q := echoedQuestion(text, toks); q > 0 {
			for k := 0; k < q; k++ {
				blank(toks, k)
			}
			ans, _ = shortAnswer(text, toks)
		}
	}
	return toks, ans
}

// whenIRaise reports whether toks[end:] goes on "when I bring up ...",
// "whenever I try to talk", "every time I open up": the writer raising
// something.
func whenIRaise(toks []token, end int) bool {
	p := raisePattern
	for k := end; k < len(toks) && k <= end+raiseReach && toks[k].w != sentenceBreak; k++ {
		if e, ok := p.matchAt(toks, k); ok {
			// Pulling away when the writer mentions marriage or the future
			// is fear and doubt, not confiding.
			for j := e; j < len(toks) && j < e+4 && !isBarrier(toks[j].w); j++ {
				if wordIn(toks[j].w, fearTopics) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// raiseReach is how many words after pulling away "when I bring up ..."
// may start: "she goes quiet and goes to bed early whenever I try to talk".
const raiseReach = 8

// raisedBefore reports whether the sentence before toks[i] has the writer
// raising something: "when I try to talk about it he leaves the house".
func raisedBefore(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-raiseReach-4 && toks[k].w != sentenceBreak; k-- {
		if e, ok := raisePattern.matchAt(toks, k); ok && e <= i {
			for j := e; j < i; j++ {
				if wordIn(toks[j].w, fearTopics) {
					return false
				}
			}
			return true
		}
	}
	return false
}

var fearTopics = []string{"marriage", "future", "wedding", "engagement", "commitment", "kids", "children", "baby", "moving", "proposal", "ring"}

var raisePattern = compile("when|whenever|if|time i ~3 bring|raise|mention|mentioned|talk|open|tell|share|ask|asked|cry|cried")

// doubted reports whether "not sure" or "not certain" stands shortly before
// toks[i] in the same clause. It hedges a red flag ("not sure he lied" is
// still red) but doubts a sign of support: "not sure I trust her" is red.
func doubted(toks []token, i int) bool {
	for k := i - 1; k >= 1 && k >= i-negationWindow; k-- {
		if isBarrier(toks[k].w) || toks[k].is(clsScopeBreaker) {
			return false
		}
		if wordIn(toks[k].w, []string{"sure", "certain"}) && toks[k-1].w == "not" {
			return true
		}
	}
	return false
}

// thoughtUntil reports whether toks[i:end] is what the writer once
// thought ("I thought he was", "I used to think") and the same sentence
// goes on "until" or "but": "I thought he was honest until I found the
// messages" is a belief that ended.
func thoughtUntil(toks []token, i, end int) bool {
	thought := false
	for k := i - 1; k >= 1 && k >= i-5 && !isBarrier(toks[k].w); k-- {
		thought = thought || toks[k].w == "thought" && toks[k-1].w == "i"
	}
	if !thought {
		return false
	}
	for k := end; k < len(toks) && k < end+6 && toks[k].w != sentenceBreak; k++ {
		if toks[k].w == "until" || toks[k].w == "till" || toks[k].w == "but" {
			return true
		}
	}
	return false
}

// pastContrast reports whether toks[i:end] is set in a past the writer
// contrasts with now: "was" or "were" shortly before it, and "but now",
// "but these days", "but lately" after it in the same sentence. Like "used
// to", it flips the phrase: "he was so attentive but now ..." is red.
func pastContrast(toks []token, i, end int) bool {
	past := false
	for k := i - 1; k >= 0 && k >= i-3 && !isBarrier(toks[k].w); k-- {
		past = past || toks[k].w == "was" || toks[k].w == "were" || toks[k].w == "been"
	}
	if !past {
		return false
	}
	for k := end; k < len(toks) && toks[k].w != sentenceBreak; k++ {
		if toks[k].w != "but" {
			continue
		}
		for j := k + 1; j < len(toks) && j <= k+3; j++ {
			if wordIn(toks[j].w, []string{"now", "these", "lately", "nowadays", "recently", "anymore"}) {
				return true
			}
		}
	}
	return false
}

// maxEcho is the most words an opening question can have to be read as the
// subscriber echoing the prompt.
const maxEcho = 6

// echoedQuestion returns how many tokens an opening question takes, up to
// and including its "?", or 0 when the reply does not open with one: a
// short one ("Best friend?") or a yes/no question of any length, such as
// the prompt copied back ("Has your partner been there for you this week?").
func echoedQuestion(text string, toks []token) int {
	words := 0
	for k, t := range toks {
		if t.w == sentenceBreak {
			if words > 0 && text[t.start] == '?' && k+1 < len(toks) && (words <= maxEcho || yesNoQuestion(toks[:k])) {
				return k + 1
			}
			return 0
		}
		if !isBarrier(t.w) {
			words++
		}
	}
	return 0
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
// lying" negates too; except for safety, so does "used to" ("we used to
// laugh"): "he used to hit me" is still a safety flag. For safety a
// negation does not reach across a new subject either: in "when I said no
// he pinned me" or "if I can't prove it he grabs me" the "no" and the
// "can't" are another clause's ("I don't think he hits me" and "not once has he hit me" still negate).
func negated(toks []token, i int, safety bool) bool {
	n := 0
	subject := false // for safety: he, she or they stands between
	for k := i - 1; k >= 0 && k >= i-negationWindow; k-- {
		w := toks[k].w
		next := ""
		if k+1 < len(toks) {
			next = toks[k+1].w
		}
		if isBarrier(w) || toks[k].is(clsScopeBreaker) && (w != "so" || soStartsClause(next)) {
			break
		}
		if safety && wordIn(w, []string{"he", "she", "they"}) {
			subject = true
			continue
		}
		if subject && toks[k].is(clsNegator) && !wordIn(next, []string{"think", "believe", "suppose", "say", "mean", "feel", "know", "that", "sure", "once", "has", "have", "did", "does", "would", "will", "ever"}) {
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
		if !safety && w == "used" && next == "to" && k+1 < i {
			n++
			continue
		}
		// "not sure he lied" hedges and does not negate "lied"; but "not
		// sure about us" negates the phrase "sure about us" itself.
		if toks[k].is(clsNegator) && (k+1 == i || !wordIn(toks[k+1].w, []string{"sure", "certain"})) {
			n++
		}
	}
	return n%2 == 1
}

// actor is who a rule needs to have done the thing.
type actor byte

const (
	anyone       actor = iota // no check
	partner                   // the partner (or nobody named): "I lied to him" is not a flag
	self                      // the subscriber's own feeling: "I'm scared of him"
	we                        // the two of them together: "we barely talk"
	notOther                  // anyone but a third party: "I keep checking his phone", "he checks my phone", not "my mum checks up on me"
	partnerAlone              // the partner (or nobody named), not the two of them: "we argued but sorted it out" is no help from him
	partnerNamed              // the partner, named: "he is scary", not "the film was terrifying"
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
		"mate", "mates", "pal", "pals", "flatmate", "flatmates", "housemate", "housemates", "roommates", "sister's", "others", "someone", "somebody", "aunt", "auntie", "nephew", "niece", "toddler", "baby", "kid", "child", "children", "dog", "cat", "puppy", "nan", "nana", "gran", "granny", "stepmom", "stepmum", "stepdad", "laws", "sis", "bro", "therapist",
		"landlord", "landlady", "brothers", "sisters", "law", "stranger", "strangers", "doctor", "nurse",
		"brother's", "mum's", "mom's", "dad's", "mother's", "father's", "friend's", "cousin's", "aunt's", "uncle's", "son's", "daughter's"}
)

// subjectBefore is the nearest word before toks[i] that says who acts:
// "I", "we", the partner, or somebody else.
func subjectBefore(toks []token, i int) subject {
	// "my boyfriend, who I thought I knew, has been lying": after "has" or
	// "is" the subject is not "I" or "we", so look past them.
	thirdPerson := false
	for k := max(i-3, 0); k < i; k++ {
		// "I'm the one who's been distant": "who is" can still be the writer.
		thirdPerson = thirdPerson || wordIn(toks[k].w, thirdPersonAux) && (k == 0 || !wordIn(toks[k-1].w, []string{"who", "that", "which"}))
	}
	for k := i - 1; k >= 0; k-- {
		w := toks[k].w
		switch {
		case (w == "i" || w == "we") && thirdPerson:
			continue
		case w == "i":
			return subjSelf
		case w == "we":
			return subjWe
		case isName(toks, k):
			// "my friend Sarah" is the friend; "but Tom has been lovely" the partner.
			if k > 0 && toks[k-1].is(clsOther) {
				return subjOther
			}
			return subjPartner
		case toks[k].is(clsPartner) && k > 0 && toks[k-1].is(clsOther) && toks[k-1].w != "ex" && !wordIn(toks[k].w, []string{"he", "she", "they"}):
			// "my friend's husband is violent": someone else's partner
			// (an ex-husband is still the writer's; "the kids he ..." is
			// the partner acting).
			return subjOther
		case toks[k].is(clsPartner):
			return subjPartner
		case toks[k].is(clsOther) && (isObject(toks, k) || k > 0 && toks[k-1].is(clsSpeech)):
			// "she said everyone gets sad and changed the subject": what
			// was said is not who acted.
			continue
		case toks[k].is(clsOther) && isObject(toks, k):
			// "he says it to his mates but then laughs": the mates are not
			// who laughs.
			continue
		case toks[k].is(clsOther):
			// "my bf's friends" still names the friends; "best friend" is not an
			// actor ("she's my best friend"), unless it opens a clause: "my best
			// friend stood up for me".
			if k > 0 && toks[k-1].w == "best" {
				if k > 1 && toks[k-2].w == "my" && (k == 2 || isBarrier(toks[k-3].w) || toks[k-3].is(clsScopeBreaker)) {
					return subjOther
				}
				continue
			}
			return subjOther
		}
	}
	return subjNone
}

// isObject reports whether the person named at toks[k] follows a
// preposition ("to his mates", "with my mum"), so is not a subject.
func isObject(toks []token, k int) bool {
	j := k - 1
	for j >= 0 && wordIn(toks[j].w, []string{"my", "his", "her", "their", "our", "your", "the", "best", "own", "a"}) {
		j--
	}
	return j >= 0 && wordIn(toks[j].w, []string{"to", "with", "at", "for", "from", "about", "of", "by", "than", "around"})
}

// thirdPersonAux are auxiliaries whose subject is never "I" or "we".
var thirdPersonAux = []string{"has", "is", "does"}

// nameFollowers are words that, after a capitalised word opening a sentence,
// show it is someone's name acting: "Tom has", "Priya never", "Dan stood".
var nameFollowers = []string{"has", "is", "was", "does", "did", "never", "always", "just", "said", "says", "told", "tells",
	"will", "would", "can", "could", "keeps", "kept", "got", "gets", "went", "goes", "had", "really", "still", "actually", "literally",
	"stood", "took", "left", "came", "made", "drove", "ran", "sat", "put", "let", "gave", "threw", "broke", "found", "held", "paid",
	"stuck", "knew", "hit", "forgot", "swore", "lies", "cheats", "stands", "sticks", "makes", "takes", "checks", "leaves", "shows",
	"ignores", "listens", "helps", "supports", "lets", "comes", "puts", "hides", "doesn", "didn", "won", "isn", "wasn"}

// notNames are capitalised words that open sentences without naming anyone.
var notNames = []string{"it", "this", "that", "there", "everything", "nothing", "something", "anything", "everyone", "someone",
	"nobody", "somebody", "yesterday", "today", "tonight", "tomorrow", "work", "life", "what", "who", "which", "where", "when",
	"why", "how", "yes", "no", "yeah", "nope", "the", "a", "an", "my", "his", "her", "our", "their", "your", "one", "christmas",
	"love", "money", "home", "dinner", "sex", "trust", "honesty", "communication", "things", "stuff", "time", "god", "mum", "mom", "dad"}

// isName reports whether toks[k] looks like a person's name acting as a
// subject: capitalised, starting a clause or following a conjunction, and
// (at a sentence start, where every word is capitalised) followed by a verb
// or an adverb that shows it acts.
func isName(toks []token, k int) bool {
	t := toks[k]
	if !t.capital || isBarrier(t.w) || wordIn(t.w, notNames) || t.is(clsNegator) || t.is(clsScopeBreaker) {
		return false
	}
	acts := k+1 < len(toks) && (wordIn(toks[k+1].w, nameFollowers) || strings.HasSuffix(toks[k+1].w, "ed") || strings.HasSuffix(toks[k+1].w, "ly"))
	if k == 0 || toks[k-1].w == sentenceBreak || toks[k-1].w == clauseBreak {
		return acts
	}
	// Mid-sentence, a capital names someone; "told Tom" is an object.
	return acts && !wordIn(toks[k-1].w, []string{"to", "with", "at", "for", "from", "about", "of", "by", "told", "asked", "tell", "ask", "like", "than"}) ||
		toks[k-1].is(clsScopeBreaker) || toks[k-1].is(clsOther) || wordIn(toks[k-1].w, []string{"partner", "husband", "wife", "boyfriend", "girlfriend", "fiance", "spouse"})
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
	case partnerAlone:
		return s == subjNone || s == subjPartner
	case partnerNamed:
		return s == subjPartner
	}
	return true
}

// spans knows, for each token, where its sentence and its clause begin and
// end (token indexes, inclusive), so quoting evidence does not rescan a
// long reply for every flag. It is filled on first use.
type spans struct {
	sentFrom, sentTo, clauseFrom, clauseTo []int32
	// contrasts[k] and untils[k] count the contrast words and the "until"s
	// before toks[k], so judge can ask about any stretch at once.
	contrasts, untils []int32
}

func (sp *spans) fill(toks []token) {
	if sp.sentFrom != nil {
		return
	}
	n := len(toks)
	all := make([]int32, 6*n+2)
	sp.sentFrom, sp.sentTo, sp.clauseFrom, sp.clauseTo = all[:n], all[n:2*n], all[2*n:3*n], all[3*n:4*n]
	sp.contrasts, sp.untils = all[4*n:5*n+1], all[5*n+1:]
	for k, t := range toks {
		sp.contrasts[k+1], sp.untils[k+1] = sp.contrasts[k], sp.untils[k]
		if t.is(clsContrast) {
			sp.contrasts[k+1]++
		}
		if t.w == "until" || t.w == "till" {
			sp.untils[k+1]++
		}
	}
	s, c := int32(0), int32(0)
	for k := range toks {
		sp.sentFrom[k], sp.clauseFrom[k] = s, c
		if toks[k].w == sentenceBreak {
			s, c = int32(k+1), int32(k+1)
		} else if toks[k].w == clauseBreak {
			c = int32(k + 1)
		}
	}
	s, c = int32(n-1), int32(n-1)
	for k := n - 1; k >= 0; k-- {
		sp.sentTo[k], sp.clauseTo[k] = s, c
		if toks[k].w == sentenceBreak {
			s, c = int32(k-1), int32(k-1)
		} else if toks[k].w == clauseBreak {
			c = int32(k - 1)
		}
	}
}

// evidence quotes the subscriber's words around toks[i:end]: the sentence,
// or the clause when the sentence is long.
func evidence(text string, toks []token, sp *spans, i, end int) string {
	sp.fill(toks)
	s, e := toks[sp.sentFrom[i]].start, toks[sp.sentTo[end-1]].end
	if e-s > maxEvidence {
		s, e = toks[sp.clauseFrom[i]].start, toks[sp.clauseTo[end-1]].end
	}
	if e-s > maxEvidence {
		// A clause too long to quote whole: the match and the words
		// around it, as many as fit, so a lone "the" is never the quote.
		from, to := i, end
		for grew := true; grew; {
			grew = false
			if from > int(sp.clauseFrom[i]) && toks[to-1].end-toks[from-1].start <= maxEvidence {
				from--
				grew = true
			}
			if to <= int(sp.clauseTo[end-1]) && toks[to].end-toks[from].start <= maxEvidence {
				to++
				grew = true
			}
		}
		s, e = toks[from].start, toks[to-1].end
	}
	return strings.TrimSpace(text[s:e])
}

// onlyThisTime reports whether the words right after a negated phrase say
// the negation is recent ("this time", "anymore", "lately", "since"), which
// admits that it happened before.
func onlyThisTime(toks []token, end int) bool {
	for k := end; k < len(toks) && k < end+4; k++ {
		w := toks[k].w
		if isBarrier(w) {
			return false
		}
		next := ""
		if k+1 < len(toks) {
			next = toks[k+1].w
		}
		switch {
		case w == "anymore", w == "lately", w == "since", w == "yet":
			return true
		case w == "this" && wordIn(next, []string{"time", "week", "month"}):
			return true
		case w == "any" && next == "more":
			return true
		}
	}
	return false
}

// otherBefore reports whether a third party is named earlier in the
// sentence of toks[i] or in the sentence before: "his mum had a go at me
// and he said nothing", "His mum started on me again. He said nothing."
func otherBefore(toks []token, i int) bool {
	breaks := 0
	for k := i - 1; k >= 0; k-- {
		if toks[k].w == sentenceBreak {
			if breaks++; breaks == 2 {
				return false
			}
			continue
		}
		if toks[k].is(clsOther) {
			return true
		}
	}
	return false
}
