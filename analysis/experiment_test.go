package analysis

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

var experiment = flag.String("experiment", "", "a glob of labelled files written for training: split each into training and validation replies and report the model's variants on the validation replies")

var vary = flag.String("vary", "", "with -experiment: training variants to try, each a comma-separated list of name=value (training fields or model options), separated by ';'")

var holdBack = flag.String("hold-back", "", "with -experiment: a glob of its files whose training part is left out of training too (to measure what adding them gains)")

// validation reports whether l is one of the validation replies of an
// experiment: a quarter, chosen by a hash of the text, so a reply stays on
// its side whatever else the files hold.
func validation(l labelled) bool { return featureHash(l.Text)%4 == 0 }

// TestModelExperiment trains models on the training files plus the
// training part of -experiment's files and reports, on the validation
// part only, the rules alone, the embedded model and each variant. It
// never reads a held-out set.
func TestModelExperiment(t *testing.T) {
	if *experiment == "" {
		t.Skip("run with -experiment 'glob'")
	}
	files, err := filepath.Glob(*experiment)
	if err != nil || len(files) == 0 {
		t.Fatalf("-experiment %q: no files (%v)", *experiment, err)
	}
	held := map[string]bool{}
	if *holdBack != "" {
		hb, err := filepath.Glob(*holdBack)
		if err != nil || len(hb) == 0 {
			t.Fatalf("-hold-back %q: no files (%v)", *holdBack, err)
		}
		for _, f := range hb {
			held[f] = true
		}
	}
	var base, train, val []labelled
	for _, f := range tuningFiles {
		base = append(base, loadLabelled(t, f)...)
	}
	for _, f := range files {
		for _, l := range loadLabelled(t, f) {
			switch {
			case validation(l):
				val = append(val, l)
			case !held[f]:
				train = append(train, l)
			}
		}
	}
	t.Logf("training: %d + %d new; validation: %d", len(base), len(train), len(val))
	line := func(name string, m *model) {
		res := scoreModel(val, m, nil)
		s := safetyCounts(val, m)
		e := errorKinds(val, m)
		t.Logf("%-40s red %.3f  green %.3f  safety %d/%d  false alarms %d  (silent %d, wrong colour %d, spurious %d)", name, macroF1(res[Red]), macroF1(res[Green]), s.tp, s.tp+s.fn, s.fp, e.silent, e.colour, e.spurious)
	}
	line("rules alone", nil)
	line("embedded model (trained on these too)", builtin)
	all := append(append([]labelled{}, base...), train...)
	m, err := parseModel(trainOn(all, "experiment", defaultTraining))
	if err != nil {
		t.Fatal(err)
	}
	line("retrained without the validation replies", m)
	thresholds := func(m *model) {
		for _, sf := range []float64{0.6, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99} {
			m.safety = sf
			line(fmt.Sprintf("  its safety flags at %.2f", sf), m)
		}
	}
	thresholds(m)
	m.safety = defaultTraining.safety
	for _, sd := range []float64{0.03, 0.1, 0.2, 0.3} {
		m.safetyDrop = sd
		line(fmt.Sprintf("  the rules' safety flags dropped under %.3f", sd), m)
	}
	m.safetyDrop = 0
	if *vary == "" {
		return
	}
	for _, v := range strings.Split(*vary, ";") {
		p := defaultTraining
		for _, kv := range strings.Split(v, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(kv), "=")
			if err := p.set(name, value); err != nil {
				t.Fatalf("-vary %q: %v", kv, err)
			}
		}
		m, err := parseModel(trainOn(all, "experiment", p))
		if err != nil {
			t.Fatal(err)
		}
		line("variant "+v, m)
		thresholds(m)
	}
}

// safetyCounts counts safety flags found, missed and raised wrongly.
func safetyCounts(set []labelled, m *model) counts {
	return *scoreModel(set, m, nil)[Red]["safety"]
}

type kinds struct{ silent, colour, spurious int }

// errorKinds counts, per theme of each reply, a labelled theme given no
// flag, given the other colour, and a flag on a theme with no label.
func errorKinds(set []labelled, m *model) kinds {
	var k kinds
	for _, l := range set {
		want := map[string]Polarity{}
		for _, f := range l.Flags {
			want[f.Theme] = f.Polarity
		}
		have := map[string]Polarity{}
		for _, f := range analyze(l.Text, l.Theme, m) {
			if p, ok := have[f.Theme]; ok && p != f.Polarity {
				have[f.Theme] = "both"
				continue
			}
			have[f.Theme] = f.Polarity
		}
		for th, p := range want {
			switch h, ok := have[th]; {
			case !ok:
				k.silent++
			case h != p:
				k.colour++
			}
		}
		for th := range have {
			if _, ok := want[th]; !ok {
				k.spurious++
			}
		}
	}
	return k
}

var showTrainMisses = flag.String("train-misses", "", "with -experiment: print the training part's misses for this theme (never the validation part's)")

func TestExperimentTrainingMisses(t *testing.T) {
	if *experiment == "" || *showTrainMisses == "" {
		t.Skip("run with -experiment 'glob' -train-misses theme")
	}
	files, _ := filepath.Glob(*experiment)
	for _, f := range files {
		for _, l := range loadLabelled(t, f) {
			if validation(l) {
				continue
			}
			got := analyze(l.Text, l.Theme, missModel())
			want, have := "", ""
			for _, fl := range l.Flags {
				if fl.Theme == *showTrainMisses {
					want = string(fl.Polarity)
				}
			}
			for _, fl := range got {
				if fl.Theme == *showTrainMisses {
					have += string(fl.Polarity)
				}
			}
			if want != have {
				t.Logf("want %q got %q: %q (prompt %s) %v", want, have, l.Text, l.Theme, got)
			}
		}
	}
}

var rulesOnly = flag.Bool("rules-only", false, "with -train-misses: the rules' misses, without the model")

func missModel() *model {
	if *rulesOnly {
		return nil
	}
	return builtin
}
