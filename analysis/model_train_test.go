package analysis

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/steadyapp/steady/themes"
)

var writeModel = flag.Bool("write-model", false, "train the model on the tuning replies and write model.txt and model.bin (go generate)")

// The model's training: every tuning reply, in file order, 15 passes of
// stochastic gradient descent per label, learning rate 0.1, L2 1e-4. No
// randomness, so the same replies give the same model.
// defaultTraining is how go generate trains the embedded model: every
// training reply, in file order, epochs passes of stochastic gradient
// descent per label. No randomness, so the same replies give the same
// model.
var defaultTraining = training{epochs: 20, rate: 0.1, l2: 3e-3, safetyL2: 0.1, safetyNoPrompt: true, safetyNB: 1, minCount: 3, keep: 0.05, refit: 0.2,
	modelOptions: modelOptions{threshold: 0.2, bare: 0.5, dropAt: 0.1, dropOthers: 0.03, prompt: true, stems: true, skips: true, safety: 0.97, safetyDrop: 0.1}}

// training is how a model is trained, and the options it is written with.
type training struct {
	epochs   int
	rate, l2 float64
	keep     float64 // weights under it are left out of model.txt
	minCount int     // features in fewer replies are not used
	// refit, when above 0, trains each label twice: the second time only
	// on the features whose first weight reached refit.
	refit float64
	// safetyL2, when above 0, is the safety label's own L2: a strong one
	// keeps the model's safety flags to what many danger replies share.
	safetyL2 float64
	// safetyNoPrompt keeps the prompt's theme out of the safety label:
	// Steady asks no question about safety, so no real reply has that
	// prompt, while a sixth of the training replies about danger do.
	safetyNoPrompt bool
	// safetyPos, when above 0, weighs each danger reply's gradient by it
	// in the safety label (under 1: as if danger were rarer among the
	// training replies than the writers made it).
	safetyPos float64
	// safetyNB, when above 0, scales the safety label's features by their
	// naive-Bayes log-count ratio (NBSVM) with this smoothing, so a word
	// seen mostly in danger replies starts out weighing more than one seen
	// in both; the written weights are the scaled ones.
	safetyNB float64
	modelOptions
}

// set changes one field by name, the modelOptions' names too (for
// TestModelExperiment's -vary).
func (p *training) set(name, value string) error {
	var err error
	switch name {
	case "l2":
		p.l2, err = strconv.ParseFloat(value, 64)
	case "safetyL2":
		p.safetyL2, err = strconv.ParseFloat(value, 64)
	case "safetyNB":
		p.safetyNB, err = strconv.ParseFloat(value, 64)
	case "safetyPos":
		p.safetyPos, err = strconv.ParseFloat(value, 64)
	case "refit":
		p.refit, err = strconv.ParseFloat(value, 64)
	case "keep":
		p.keep, err = strconv.ParseFloat(value, 64)
	case "minCount":
		p.minCount, err = strconv.Atoi(value)
	case "epochs":
		p.epochs, err = strconv.Atoi(value)
	default:
		return p.modelOptions.set(name, value)
	}
	return err
}

// trainFiles are the replies the model is trained on: the tuning set, the
// everyday replies and the training replies written blind to the rules
// (testdata/train, see its README).
var trainFiles = append(tuningFiles, mustGlob(trainGlob)...)

// tuningFiles are the replies the rules were tuned on.
var tuningFiles = []string{"testdata/labelled.jsonl", "testdata/everyday.jsonl"}

const trainGlob = "testdata/train/*.jsonl"

func mustGlob(pattern string) []string {
	m, err := filepath.Glob(pattern)
	if err != nil {
		panic(err)
	}
	return m
}

// trainModel returns model.txt's text, trained on files.
func trainModel(t testing.TB, files []string) string {
	var set []labelled
	for _, f := range files {
		set = append(set, loadLabelled(t, f)...)
	}
	return trainOn(set, strings.Join(files, " and "), defaultTraining)
}

// trainOn returns model.txt's text, trained on set (from what).
func trainOn(set []labelled, what string, p training) string {
	labels := modelLabels()
	vocab := map[string]int{}
	var names []string
	feats := make([][]int, len(set))
	for i, l := range set {
		seen := map[int]bool{}
		use := func(s string) {
			id, ok := vocab[s]
			if !ok {
				id = len(names)
				vocab[s] = id
				names = append(names, s)
			}
			if !seen[id] {
				seen[id] = true
				feats[i] = append(feats[i], id)
			}
		}
		toks, _ := readTokens(l.Text)
		features(toks, clauseMarks(l.Text, toks), p.modelOptions, func(f feature) { use(f.String()) })
		if p.prompt {
			use(promptFeature(l.Theme))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Steady's learned analyser model: a logistic regression per theme and polarity\n")
	fmt.Fprintf(&b, "# over words, stems, word pairs and the prompt's theme, trained on %s by `go generate ./analysis`.\n", what)
	fmt.Fprintf(&b, "# %d replies, %d features; weights under %.2f left out. Do not edit by hand.\n", len(set), len(names), p.keep)
	b.WriteString(p.modelOptions.String())
	type line struct {
		feat  string
		label string
		w     float64
	}
	if p.minCount > 1 {
		df := make([]int, len(names))
		for _, fs := range feats {
			for _, id := range fs {
				df[id]++
			}
		}
		for i, fs := range feats {
			kept := fs[:0]
			for _, id := range fs {
				if df[id] >= p.minCount {
					kept = append(kept, id)
				}
			}
			feats[i] = kept
		}
	}
	var lines []line
	for li, lab := range labels {
		bias := len(names)
		ys := make([]float64, len(set))
		for i, l := range set {
			for _, f := range l.Flags {
				if f.Theme == lab.theme && f.Polarity == lab.pol {
					ys[i] = 1
				}
			}
		}
		lp := p
		var first []bool // the features this label may read (nil: all)
		if lab.theme == themes.Safety {
			if p.safetyL2 > 0 {
				lp.l2 = p.safetyL2
			}
			if p.safetyNoPrompt {
				first = make([]bool, len(names))
				for id, name := range names {
					first[id] = !strings.HasPrefix(name, promptMark)
				}
			}
		}
		pos := 1.0
		if lab.theme == themes.Safety && p.safetyPos > 0 {
			pos = p.safetyPos
		}
		var scale []float64
		if lab.theme == themes.Safety && p.safetyNB > 0 {
			scale = nbRatios(feats, ys, len(names), p.safetyNB)
		}
		w := fit(feats, ys, len(names), lp, first, pos, scale)
		if p.refit > 0 {
			use := make([]bool, len(names))
			for id := range names {
				use[id] = math.Abs(w[id]) >= p.refit && (first == nil || first[id])
			}
			w = fit(feats, ys, len(names), lp, use, pos, scale)
		}
		fmt.Fprintf(&b, "\t%s\t%.4f\n", labels[li], w[bias])
		for id, name := range names {
			if math.Abs(w[id]) >= p.keep {
				lines = append(lines, line{name, lab.String(), w[id]})
			}
		}
	}
	slices.SortFunc(lines, func(a, c line) int {
		if d := strings.Compare(a.feat, c.feat); d != 0 {
			return d
		}
		return strings.Compare(a.label, c.label)
	})
	// One line a feature: its name, then each label's number (its place
	// in the bias lines above, from 0) and weight.
	number := map[string]int{}
	for i, lab := range labels {
		number[lab.String()] = i
	}
	for i, l := range lines {
		if i == 0 || lines[i-1].feat != l.feat {
			if i > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "%s\t", l.feat)
		} else {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d:%.3f", number[l.label], l.w)
	}
	if len(lines) > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

// TestWriteModel is the go generate step; it only writes with -write-model.
func TestWriteModel(t *testing.T) {
	if !*writeModel {
		t.Skip("run with -write-model (go generate ./analysis)")
	}
	text := trainModel(t, trainFiles)
	bin, err := modelBinary(text)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("model.txt", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("model.bin", bin, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The embedded model is what the tuning replies train: after changing
// them (or the features), run go generate ./analysis.
func TestModelIsUpToDate(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile("model.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := trainModel(t, trainFiles); got != string(text) {
		t.Error("model.txt is not what the tuning replies train: run go generate ./analysis")
	}
}

// The embedded model.bin holds model.txt's weights: after changing
// model.txt, run go generate ./analysis.
func TestModelBinIsUpToDate(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile("model.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, err := modelBinary(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(modelBin, want) {
		t.Error("model.bin is not model.txt's weights: run go generate ./analysis")
	}
}

// A model flag quotes the subscriber's words and never speaks to Safety.
func TestModelFlags(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"he's been a bit off lately and I can't put my finger on it", "we went dancing and it was brilliant"} {
		toks := tokenize(text)
		for _, f := range builtin.apply(text, "", toks, &spans{}, clauseMarks(text, toks), nil, 0) {
			if f.Theme == "safety" || !strings.Contains(text, f.Evidence) {
				t.Errorf("model flag %+v for %q", f, text)
			}
		}
	}
}

// No reply the model is trained on is one of the held-out replies (the
// same words, whatever the case and spacing): the short answers ("oui",
// "no") that any writer may write are left out of testdata/train.
func TestTrainingRepliesAreNotHeldOut(t *testing.T) {
	t.Parallel()
	key := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	held := map[string]string{}
	for _, c := range labelledSets {
		if c.name == "tuning" {
			continue
		}
		for _, l := range loadLabelled(t, c.path) {
			held[key(l.Text)] = c.name
		}
	}
	for _, f := range mustGlob(trainGlob) {
		for _, l := range loadLabelled(t, f) {
			if set, ok := held[key(l.Text)]; ok {
				t.Errorf("%s: %q is in the %s set", f, l.Text, set)
			}
		}
	}
}

// fit trains one label's weights (the bias last) by stochastic gradient
// descent over feats, reading only the features use allows (nil: all),
// with each positive reply's gradient weighed by pos and each feature's
// value scale[id] (nil: 1). The weights returned are the scaled ones, as
// a model applies them to features of value 1.
func fit(feats [][]int, ys []float64, n int, p training, use []bool, pos float64, scale []float64) []float64 {
	w := make([]float64, n+1)
	bias := n
	x := func(id int) float64 {
		if scale == nil {
			return 1
		}
		return scale[id]
	}
	for range p.epochs {
		for i, fs := range feats {
			z := w[bias]
			for _, id := range fs {
				if use == nil || use[id] {
					z += w[id] * x(id)
				}
			}
			g := sigmoid(z) - ys[i]
			if ys[i] == 1 {
				g *= pos
			}
			for _, id := range fs {
				if use == nil || use[id] {
					w[id] -= p.rate * (g*x(id) + p.l2*w[id])
				}
			}
			w[bias] -= p.rate * g
		}
	}
	for id := range n {
		w[id] *= x(id)
	}
	return w
}

// nbRatios is each feature's naive-Bayes log-count ratio for the label
// ys, smoothed by alpha: log((p/|p|) / (q/|q|)), p and q the feature's
// counts in the positive and the negative replies.
func nbRatios(feats [][]int, ys []float64, n int, alpha float64) []float64 {
	p, q := make([]float64, n), make([]float64, n)
	for i, fs := range feats {
		c := q
		if ys[i] == 1 {
			c = p
		}
		for _, id := range fs {
			c[id]++
		}
	}
	var sp, sq float64
	for id := range n {
		p[id] += alpha
		q[id] += alpha
		sp += p[id]
		sq += q[id]
	}
	r := make([]float64, n)
	for id := range n {
		r[id] = math.Log((p[id] / sp) / (q[id] / sq))
	}
	return r
}
