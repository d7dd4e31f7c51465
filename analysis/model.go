package analysis

import (
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/steadyapp/steady/themes"
)

// The learned model next to the rules: a logistic regression per theme
// and polarity over the reply's words, their stems, word pairs and pairs
// one word apart, a word in a negation's reach marked as such ("not" then
// "NOT_listen"), nothing from a question, a wish or a third party's
// reported words, and the prompt's theme. `go generate` trains it on the
// tuning and training replies (trainFiles in model_train_test.go) and
// writes model.txt, and model.bin, its weights as the tables the embedded
// model reads in place (modeltable.go): the same reply always gets the
// same flags, and each model flag quotes the sentence of the word that
// weighed most for it. It reviews the rules' flags (one it finds
// unlikely, under its drop level, is dropped; Safety only under its own
// safety-drop level, never the short answer's) and adds a flag for a
// theme left unflagged when it is fairly sure (its threshold; for Safety
// its safety level). model.txt's "=" lines say at
// what levels.

//go:generate go test . -run TestWriteModel -count=1 -write-model

//go:embed model.bin
var modelBin []byte

// builtin is the embedded model, read in place and never changed.
var builtin = mustLoadModel(modelBin)

// maxModelLabels bounds the labels, so scoring needs no allocation.
const maxModelLabels = 32

// model holds the weights: per feature (hashed), the labels it weighs
// for; labels are themes.AnalysisThemes(), each red then green (Safety's
// green is never a label of any reply).
type model struct {
	modelOptions
	labels []modelLabel
	bias   []float64
	tab    weightTable // per feature (hashed), its weights
}

// modelOptions are how a model reads a reply and uses what it scores;
// model.txt's "=" lines.
type modelOptions struct {
	threshold float64 // the probability a flag the model adds needs
	// dropAt reviews the rules' flags: one the model gives under it is
	// dropped (0: never).
	dropAt float64
	// dropOthers is dropAt for the themes other than the prompt's, when
	// the prompt's theme is a feature (0: dropAt).
	dropOthers float64
	// bare is the threshold for a reply with no prompt theme, when the
	// prompt's theme is a feature (0: threshold).
	bare float64
	// safety is the probability a safety flag the model adds needs (0:
	// the model never adds one); it never turns one.
	safety float64
	// safetyDrop, when above 0, drops a rules' safety flag the model
	// gives under it (so sure a reply is not about danger, it is more
	// often right than the phrase: a rough game, a film, a sister's
	// threat over jeans).
	safetyDrop float64
	prompt     bool // the prompt's theme is a feature
	stems      bool // each word's stem is a feature next to the word
	skips      bool // pairs of words one apart are features too
}

// String is the options as model.txt's "=" lines.
func (o modelOptions) String() string {
	s := fmt.Sprintf("=threshold\t%g\n=bare\t%g\n=drop\t%g\n=drop-others\t%g\n=prompt\t%t\n=stems\t%t\n=skips\t%t\n=safety\t%g\n",
		o.threshold, o.bare, o.dropAt, o.dropOthers, o.prompt, o.stems, o.skips, o.safety)
	if o.safetyDrop > 0 {
		s += fmt.Sprintf("=safety-drop\t%g\n", o.safetyDrop)
	}
	return s
}

// set reads one "=" line's name and value.
func (o *modelOptions) set(name, value string) error {
	var err error
	switch name {
	case "threshold":
		o.threshold, err = strconv.ParseFloat(value, 64)
	case "bare":
		o.bare, err = strconv.ParseFloat(value, 64)
	case "drop":
		o.dropAt, err = strconv.ParseFloat(value, 64)
	case "drop-others":
		o.dropOthers, err = strconv.ParseFloat(value, 64)
	case "prompt":
		o.prompt, err = strconv.ParseBool(value)
	case "stems":
		o.stems, err = strconv.ParseBool(value)
	case "safety":
		o.safety, err = strconv.ParseFloat(value, 64)
	case "skips":
		o.skips, err = strconv.ParseBool(value)
	case "safety-drop":
		o.safetyDrop, err = strconv.ParseFloat(value, 64)
	default:
		return fmt.Errorf("unknown option %q", name)
	}
	return err
}

type modelLabel struct {
	theme string
	pol   Polarity
}

// modelLabels lists the labels the model scores, in file order.
func modelLabels() []modelLabel {
	var out []modelLabel
	for _, th := range themes.AnalysisThemes() {
		out = append(out, modelLabel{th, Red}, modelLabel{th, Green})
	}
	return out
}

func (l modelLabel) String() string { return l.theme + ":" + string(l.pol) }

// mustLoadModel reads the embedded model.bin.
func mustLoadModel(bin []byte) *model {
	m, err := loadModel(bin)
	if err != nil {
		panic("analysis: embedded model.bin: " + err.Error())
	}
	return m
}

// FNV-1a, 64 bits.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func featureHash(s string) uint64 { return fnvAdd(fnvOffset, s) }

// feature is one word, or two words in a row, of a reply.
type feature struct {
	w1, w2     string
	neg1, neg2 bool // in a negation's reach: written "NOT_word"
	stem       bool // w1 is a word's stem: written "S:stem"
	pair       bool
	skip       bool // a pair one word apart: written "w1__w2"
	at         int  // the token it starts at
}

const negMark = "NOT_"

func (f feature) String() string {
	s := f.w1
	if f.stem {
		s = stemMark + s
	}
	if f.neg1 {
		s = negMark + s
	}
	if f.pair {
		s += "_"
		if f.skip {
			s += "_"
		}
		if f.neg2 {
			s += negMark
		}
		s += f.w2
	}
	return s
}

// hash is featureHash(f.String()) without building the string.
func (f feature) hash() uint64 {
	h := uint64(fnvOffset)
	if f.neg1 {
		h = fnvAdd(h, negMark)
	}
	if f.stem {
		h = fnvAdd(h, stemMark)
	}
	h = fnvAdd(h, f.w1)
	if f.pair {
		h = fnvAdd(h, "_")
		if f.skip {
			h = fnvAdd(h, "_")
		}
		if f.neg2 {
			h = fnvAdd(h, negMark)
		}
		h = fnvAdd(h, f.w2)
	}
	return h
}

// negReach is how many words after a negator are marked.
const negReach = 3

// features calls yield for each word and word pair of toks the model
// reads: a break, a question, a wish or reported words end a run.
func features(toks []token, m marks, o modelOptions, yield func(feature)) {
	prev, prevNeg, prevAt := "", false, -1
	prev2, prev2Neg, prev2At := "", false, -1
	neg := 0
	skip := 0
	for k, t := range toks {
		if skip == 0 && thirdPartyBestFriend(toks, k) {
			skip = 3 // "my best mate reckons ...": someone else, not the partner as a friend
		}
		if skip > 0 || isBarrier(t.w) || m != nil && m[k]&(markQuestion|markWish|markReported) != 0 {
			skip = max(skip-1, 0)
			prev, prev2, neg = "", "", 0
			continue
		}
		isNeg := neg > 0
		if isNeg {
			neg--
		}
		if t.is(clsNegator) {
			neg = negReach
		}
		yield(feature{w1: t.w, neg1: isNeg, at: k})
		if o.stems {
			if st := stem(t.w); st != t.w {
				yield(feature{w1: st, neg1: isNeg, stem: true, at: k})
			}
		}
		if prev != "" {
			yield(feature{w1: prev, neg1: prevNeg, w2: t.w, neg2: isNeg, pair: true, at: prevAt})
		}
		if o.skips && prev2 != "" {
			yield(feature{w1: prev2, neg1: prev2Neg, w2: t.w, neg2: isNeg, pair: true, skip: true, at: prev2At})
		}
		prev2, prev2Neg, prev2At = prev, prevNeg, prevAt
		prev, prevNeg, prevAt = t.w, isNeg, k
	}
}

// apply returns have (the short answer's flag, the first answered of them,
// then the rules') reviewed by the model (review: the rules' flags it
// finds unlikely dropped), with the model's own flags for the themes left
// unflagged.
func (m *model) apply(text, promptTheme string, toks []token, sp *spans, cm marks, have []Flag, answered int) []Flag {
	if m == nil || len(toks) == 0 {
		return have
	}
	var z, topW [maxModelLabels]float64
	var top [maxModelLabels]int // the token that weighed most, per label
	copy(z[:], m.bias)
	for i := range top {
		top[i] = -1
	}
	features(toks, cm, m.modelOptions, func(f feature) {
		for i, end := m.tab.find(f.hash()); i < end; i++ {
			l, w := m.tab.label(i), float64(m.tab.weight(i))
			z[l] += w
			if w > topW[l] {
				top[l], topW[l] = f.at, w
			}
		}
	})
	if m.prompt {
		for i, end := m.tab.find(fnvAdd(fnvAdd(fnvOffset, promptMark), promptTheme)); i < end; i++ {
			z[m.tab.label(i)] += float64(m.tab.weight(i))
		}
	}
	if !m.prompt || promptTheme != "" {
		// A model that reads the prompt's theme was trained on replies
		// that all had one: without it, its doubts are not to be trusted.
		have = append(have[:answered:answered], m.review(have[answered:], promptTheme, z[:])...)
	}
	out := have
	threshold := m.threshold
	if m.prompt && promptTheme == "" && m.bare > 0 {
		threshold = m.bare
	}
	for i := 0; i+1 < len(m.labels); i += 2 {
		th := m.labels[i].theme
		if flagged(have, th) {
			continue
		}
		if th == themes.Safety {
			if m.safety > 0 && sigmoid(z[i]) >= m.safety && top[i] >= 0 {
				out = append(out, Flag{Theme: th, Polarity: Red, Evidence: evidence(text, toks, sp, top[i], top[i]+1)})
			}
			continue
		}
		best := i
		if z[i+1] > z[i] {
			best = i + 1
		}
		if sigmoid(z[best]) < threshold || top[best] < 0 {
			continue
		}
		k := top[best]
		out = append(out, Flag{Theme: th, Polarity: m.labels[best].pol, Evidence: evidence(text, toks, sp, k, k+1)})
	}
	return out
}

const promptMark = "PROMPT:"

// promptFeature is the feature for the prompt's theme.
func promptFeature(theme string) string { return promptMark + theme }

// review drops the rules' flags the model finds unlikely (Safety only
// under safetyDrop).
func (m *model) review(have []Flag, promptTheme string, z []float64) []Flag {
	if m.dropAt == 0 {
		return have
	}
	drop := func(theme string) float64 {
		if m.prompt && theme != promptTheme && m.dropOthers > 0 {
			return m.dropOthers
		}
		return m.dropAt
	}
	out := have[:0:0]
	for _, f := range have {
		li := -1
		for i, l := range m.labels {
			if l.theme == f.Theme && l.pol == f.Polarity {
				li = i
			}
		}
		if li >= 0 && f.Theme != themes.Safety && sigmoid(z[li]) < drop(f.Theme) {
			continue
		}
		if li >= 0 && f.Theme == themes.Safety && sigmoid(z[li]) < m.safetyDrop {
			continue
		}
		out = append(out, f)
	}
	return out
}

func flagged(fs []Flag, theme string) bool {
	for _, f := range fs {
		if f.Theme == theme {
			return true
		}
	}
	return false
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// thirdPartyBestFriend reports whether a clause opens at toks[k] with "my
// best friend" (mate, pal) as its subject: a third party acting, as the
// lexicon's first blocker reads it.
func thirdPartyBestFriend(toks []token, k int) bool {
	return (k == 0 || isBarrier(toks[k-1].w)) && k+3 < len(toks) && toks[k].w == "my" && toks[k+1].w == "best" &&
		wordIn(toks[k+2].w, []string{"friend", "friends", "mate", "mates", "pal", "pals", "buddy"}) && !isBarrier(toks[k+3].w)
}

const stemMark = "S:"

// stem strips an English word's commonest endings, so "lied", "lies" and
// "lying" share a feature ("ly"), as do "promised" and "promises".
func stem(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = w[:n-3]
	case n > 4 && (strings.HasSuffix(w, "ied") || strings.HasSuffix(w, "ies")):
		w = w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = w[:n-2]
	case n > 4 && strings.HasSuffix(w, "ly"):
		w = w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		w = w[:n-1]
	}
	if k := len(w); k > 3 && w[k-1] == w[k-2] && !strings.ContainsRune("aeioulsz", rune(w[k-1])) {
		w = w[:k-1] // "stopped", "stopping": "stop"
	}
	if k := len(w); k > 3 && w[k-1] == 'e' {
		w = w[:k-1] // "promise", "promised": "promis"
	}
	return w
}
