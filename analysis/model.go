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
// and polarity (Safety aside) over the reply's words and word pairs, a
// word in a negation's reach marked as such ("not" then "NOT_listen"), and
// nothing from a question, a wish or a third party's reported words.
// `go generate` trains it on the tuning replies (testdata/labelled.jsonl
// and testdata/everyday.jsonl) and writes model.txt, which is embedded:
// the same reply always gets the same flags, and each model flag quotes
// the sentence of the word that weighed most for it. It only speaks to a
// theme that neither the rules nor the short answer flagged, and only when
// it is fairly sure (modelThreshold).

//go:generate go test . -run TestWriteModel -count=1 -write-model

//go:embed model.txt
var modelText string

// builtin is the embedded model, parsed once and never changed.
var builtin = mustParseModel(modelText)

// modelThreshold is the probability a model flag needs. It was chosen on
// a batch of 40 replies written for the purpose and not trained on (red
// macro F1 0.55 for the rules alone, 0.65 with the model at 0.4, 0.62 at
// 0.5), and checked on a second such batch (0.46 alone, 0.70 at 0.4).
const modelThreshold = 0.4

// maxModelLabels bounds the labels, so scoring needs no allocation.
const maxModelLabels = 32

// model holds the weights: per feature (hashed), the labels it weighs
// for; labels are themes.AnalysisThemes() but Safety, red then green.
type model struct {
	labels  []modelLabel
	bias    []float64
	weights map[uint64][]labelWeight
}

type modelLabel struct {
	theme string
	pol   Polarity
}

type labelWeight struct {
	label int
	w     float64
}

// modelLabels lists the labels the model scores, in file order.
func modelLabels() []modelLabel {
	var out []modelLabel
	for _, th := range themes.AnalysisThemes() {
		if th != themes.Safety {
			out = append(out, modelLabel{th, Red}, modelLabel{th, Green})
		}
	}
	return out
}

func (l modelLabel) String() string { return l.theme + ":" + string(l.pol) }

// mustParseModel reads model.txt: "bias <label> <weight>" and
// "<feature>\t<label>\t<weight>" lines, "#" comments.
func mustParseModel(text string) *model {
	m, err := parseModel(text)
	if err != nil {
		panic("analysis: embedded model.txt: " + err.Error())
	}
	return m
}

func parseModel(text string) (*model, error) {
	labels := modelLabels()
	index := map[string]int{}
	for i, l := range labels {
		index[l.String()] = i
	}
	if len(labels) > maxModelLabels {
		return nil, fmt.Errorf("%d labels, at most %d", len(labels), maxModelLabels)
	}
	m := &model{labels: labels, bias: make([]float64, len(labels)), weights: map[uint64][]labelWeight{}}
	for n, line := range strings.Split(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want 3 fields, got %d", n+1, len(f))
		}
		li, ok := index[f[1]]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown label %q", n+1, f[1])
		}
		w, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		if f[0] == "" {
			m.bias[li] = w
			continue
		}
		h := featureHash(f[0])
		m.weights[h] = append(m.weights[h], labelWeight{li, w})
	}
	return m, nil
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
	pair       bool
	at         int // the token it starts at
}

const negMark = "NOT_"

func (f feature) String() string {
	s := f.w1
	if f.neg1 {
		s = negMark + s
	}
	if f.pair {
		s += "_"
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
	h = fnvAdd(h, f.w1)
	if f.pair {
		h = fnvAdd(h, "_")
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
func features(toks []token, m marks, yield func(feature)) {
	prev, prevNeg, prevAt := "", false, -1
	neg := 0
	skip := 0
	for k, t := range toks {
		if skip == 0 && thirdPartyBestFriend(toks, k) {
			skip = 3 // "my best mate reckons ...": someone else, not the partner as a friend
		}
		if skip > 0 || isBarrier(t.w) || m != nil && m[k]&(markQuestion|markWish|markReported) != 0 {
			skip = max(skip-1, 0)
			prev, neg = "", 0
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
		if prev != "" {
			yield(feature{w1: prev, neg1: prevNeg, w2: t.w, neg2: isNeg, pair: true, at: prevAt})
		}
		prev, prevNeg, prevAt = t.w, isNeg, k
	}
}

// flags returns the model's flags for themes not in have.
func (m *model) flags(text string, toks []token, sp *spans, cm marks, have []Flag) []Flag {
	if m == nil || len(toks) == 0 {
		return nil
	}
	var z, topW [maxModelLabels]float64
	var top [maxModelLabels]int // the token that weighed most, per label
	copy(z[:], m.bias)
	for i := range top {
		top[i] = -1
	}
	features(toks, cm, func(f feature) {
		for _, lw := range m.weights[f.hash()] {
			z[lw.label] += lw.w
			if lw.w > topW[lw.label] {
				top[lw.label], topW[lw.label] = f.at, lw.w
			}
		}
	})
	var out []Flag
	for i := 0; i+1 < len(m.labels); i += 2 {
		th := m.labels[i].theme
		if flagged(have, th) {
			continue
		}
		best := i
		if z[i+1] > z[i] {
			best = i + 1
		}
		if sigmoid(z[best]) < modelThreshold || top[best] < 0 {
			continue
		}
		k := top[best]
		out = append(out, Flag{Theme: th, Polarity: m.labels[best].pol, Evidence: evidence(text, toks, sp, k, k+1)})
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
