package analysis

import (
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

var writeModel = flag.Bool("write-model", false, "train the model on the tuning replies and write model.txt (go generate)")

// The model's training: every tuning reply, in file order, 15 passes of
// stochastic gradient descent per label, learning rate 0.1, L2 1e-4. No
// randomness, so the same replies give the same model.
const (
	trainEpochs = 10
	trainRate   = 0.1
	trainL2     = 3e-2
	// keepWeight drops the weights too small to matter from model.txt.
	keepWeight = 0.1
)

var trainFiles = []string{"testdata/labelled.jsonl", "testdata/everyday.jsonl"}

// trainModel returns model.txt's text, trained on files.
func trainModel(t testing.TB, files []string) string {
	var set []labelled
	for _, f := range files {
		set = append(set, loadLabelled(t, f)...)
	}
	labels := modelLabels()
	vocab := map[string]int{}
	var names []string
	feats := make([][]int, len(set))
	for i, l := range set {
		toks, _ := readTokens(l.Text)
		seen := map[int]bool{}
		features(toks, clauseMarks(l.Text, toks), func(f feature) {
			s := f.String()
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
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Steady's learned analyser model: a logistic regression per theme and polarity\n")
	fmt.Fprintf(&b, "# over words and word pairs, trained on %s by `go generate ./analysis`.\n", strings.Join(files, " and "))
	fmt.Fprintf(&b, "# %d replies, %d features; weights under %.2f left out. Do not edit by hand.\n", len(set), len(names), keepWeight)
	type line struct {
		feat  string
		label string
		w     float64
	}
	var lines []line
	for li, lab := range labels {
		w := make([]float64, len(names)+1)
		bias := len(names)
		for range trainEpochs {
			for i, l := range set {
				y := 0.0
				for _, f := range l.Flags {
					if f.Theme == lab.theme && f.Polarity == lab.pol {
						y = 1
					}
				}
				z := w[bias]
				for _, id := range feats[i] {
					z += w[id]
				}
				g := sigmoid(z) - y
				for _, id := range feats[i] {
					w[id] -= trainRate * (g + trainL2*w[id])
				}
				w[bias] -= trainRate * g
			}
		}
		fmt.Fprintf(&b, "\t%s\t%.4f\n", labels[li], w[bias])
		for id, name := range names {
			if math.Abs(w[id]) >= keepWeight {
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
	for _, l := range lines {
		fmt.Fprintf(&b, "%s\t%s\t%.4f\n", l.feat, l.label, l.w)
	}
	return b.String()
}

// TestWriteModel is the go generate step; it only writes with -write-model.
func TestWriteModel(t *testing.T) {
	if !*writeModel {
		t.Skip("run with -write-model (go generate ./analysis)")
	}
	if err := os.WriteFile("model.txt", []byte(trainModel(t, trainFiles)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The embedded model is what the tuning replies train: after changing
// them (or the features), run go generate ./analysis.
func TestModelIsUpToDate(t *testing.T) {
	t.Parallel()
	if got := trainModel(t, trainFiles); got != modelText {
		t.Error("model.txt is not what the tuning replies train: run go generate ./analysis")
	}
}

// A model flag quotes the subscriber's words and never speaks to Safety.
func TestModelFlags(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"he's been a bit off lately and I can't put my finger on it", "we went dancing and it was brilliant"} {
		toks := tokenize(text)
		for _, f := range builtin.flags(text, toks, &spans{}, clauseMarks(text, toks), nil) {
			if f.Theme == "safety" || !strings.Contains(text, f.Evidence) {
				t.Errorf("model flag %+v for %q", f, text)
			}
		}
	}
}
