package analysis

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/steadyapp/steady/themes"
	"os"
	"slices"
	"strings"
	"testing"
)

// The labelled replies. testdata/labelled.jsonl is the tuning set. Three
// sets are held out of all tuning (their misses are never printed):
// testdata/labelled_holdout.jsonl, written before the analyser by the same
// author; testdata/labelled_holdout_independent.jsonl, written by two
// people who never saw the rules; and testdata/labelled_holdout_blind2.jsonl,
// 464 replies written on 2026-12-02 by a writer who had seen neither the
// rules nor any labelled data (provenance, its
// hand-written source with a style tag per reply, and the scripts that
// built and checked it in testdata/blind2/), added after the first round
// of issue 13's changes; and testdata/labelled_holdout_blind3.jsonl, 560
// replies, about 30% of them about danger, written on 2026-12-04 by
// another writer as blind (testdata/blind3/), for the safety goal. Their
// texts are never read and never trained on (only their figures are
// printed).
//
// The 0.85 red-flag macro F1 threshold applies to the tuning set and to
// the same-author held-out set. The three independent sets are guarded by
// floors a little under what the analyser reaches today, which catch
// regressions; they are NOT the goal. Issue 13's goal (red 0.80, support
// 0.75, every safety reply found, no false alarm) is met by every set's
// F1 but not by the three independent sets' safety replies: see README,
// "Red flags and the monthly summary". The model is
// trained on testdata/train too (model_train_test.go), which holds none
// of these sets' replies.
const (
	minMacroF1                 = 0.85
	minIndependentMacroF1      = 0.80
	minIndependentGreenMacroF1 = 0.80
	minBlind2MacroF1           = 0.78
	minBlind2GreenMacroF1      = 0.80
	blind2Path                 = "testdata/labelled_holdout_blind2.jsonl"
	minBlind3MacroF1           = 0.83
	minBlind3GreenMacroF1      = 0.87
	blind3Path                 = "testdata/labelled_holdout_blind3.jsonl"
)

var showMisses = flag.Bool("show-misses", false, "print the tuning set's misses (never the held-out set's)")

type labelled struct {
	Text  string `json:"text"`
	Theme string `json:"theme"`
	Flags []struct {
		Theme    string   `json:"theme"`
		Polarity Polarity `json:"polarity"`
	} `json:"flags"`
}

func loadLabelled(t testing.TB, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		for _, fl := range l.Flags {
			if !themes.Known(fl.Theme) || (fl.Polarity != Red && fl.Polarity != Green) {
				t.Fatalf("%s:%d: bad label %+v", path, n, fl)
			}
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type counts struct{ tp, fp, fn int }

func (c counts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }
func (c counts) f1() float64 {
	p, r := c.precision(), c.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// score compares the analyser with the labels, per theme and polarity.
func score(set []labelled, miss func(l labelled, got []Flag)) map[Polarity]map[string]*counts {
	return scoreModel(set, builtin, miss)
}

// scoreModel is score with the rules and model m (nil: the rules alone).
func scoreModel(set []labelled, m *model, miss func(l labelled, got []Flag)) map[Polarity]map[string]*counts {
	res := map[Polarity]map[string]*counts{Red: {}, Green: {}}
	for _, l := range set {
		got := analyze(l.Text, l.Theme, m)
		wrong := false
		for _, pol := range []Polarity{Red, Green} {
			want, have := map[string]bool{}, map[string]bool{}
			for _, f := range l.Flags {
				if f.Polarity == pol {
					want[f.Theme] = true
				}
			}
			for _, f := range got {
				if f.Polarity == pol {
					have[f.Theme] = true
				}
			}
			for _, th := range themes.AnalysisThemes() {
				c := res[pol][th]
				if c == nil {
					c = &counts{}
					res[pol][th] = c
				}
				switch {
				case want[th] && have[th]:
					c.tp++
				case have[th]:
					c.fp++
					wrong = true
				case want[th]:
					c.fn++
					wrong = true
				}
			}
		}
		if wrong && miss != nil {
			miss(l, got)
		}
	}
	return res
}

// macroF1 averages F1 over the themes that occur in the labels or the
// results for that polarity.
func macroF1(per map[string]*counts) float64 {
	var sum float64
	n := 0
	for _, c := range per {
		if c.tp+c.fp+c.fn == 0 {
			continue
		}
		sum += c.f1()
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func report(t *testing.T, name string, res map[Polarity]map[string]*counts) (redF1, greenF1 float64) {
	var b strings.Builder
	for _, pol := range []Polarity{Red, Green} {
		fmt.Fprintf(&b, "%s %s flags:\n  %-14s %9s %9s %6s %4s %4s %4s\n", name, pol, "theme", "precision", "recall", "F1", "tp", "fp", "fn")
		for _, th := range themes.AnalysisThemes() {
			c := res[pol][th]
			if c.tp+c.fp+c.fn == 0 {
				continue
			}
			fmt.Fprintf(&b, "  %-14s %9.2f %9.2f %6.2f %4d %4d %4d\n", th, c.precision(), c.recall(), c.f1(), c.tp, c.fp, c.fn)
		}
		fmt.Fprintf(&b, "  macro F1 (%s): %.3f\n", pol, macroF1(res[pol]))
	}
	t.Log("\n" + b.String())
	return macroF1(res[Red]), macroF1(res[Green])
}

// labelledSet is one labelled file and what it must reach.
type labelledSet struct {
	name, path   string
	minRed       float64 // red-flag macro F1
	minGreen     float64 // sign-of-support macro F1
	safetyRecall bool    // every safety reply must be found
	// maxSafetyMissed and maxFalseAlarms are regression floors for a set
	// whose safety replies are not all found yet (safetyRecall false):
	// the goal stays every one found and no false alarm.
	maxSafetyMissed, maxFalseAlarms int
	optional                        bool // skipped when the file is not there
	showMisses                      bool // only the tuning set's misses may be printed
}

var labelledSets = []labelledSet{
	{name: "tuning", path: "testdata/labelled.jsonl", minRed: minMacroF1, safetyRecall: true, showMisses: true},
	{name: "same-author", path: "testdata/labelled_holdout.jsonl", minRed: minMacroF1, safetyRecall: true},
	{name: "independent", path: "testdata/labelled_holdout_independent.jsonl", minRed: minIndependentMacroF1, minGreen: minIndependentGreenMacroF1, maxSafetyMissed: 4, maxFalseAlarms: 1},
	{name: "blind2", path: blind2Path, minRed: minBlind2MacroF1, minGreen: minBlind2GreenMacroF1, maxSafetyMissed: 1, maxFalseAlarms: 2},
	{name: "blind3", path: blind3Path, minRed: minBlind3MacroF1, minGreen: minBlind3GreenMacroF1, maxSafetyMissed: 21, maxFalseAlarms: 1},
}

// TestLabelledReplies prints each set's figures and fails below its
// thresholds. The tuning and same-author sets must raise no false safety
// alarm; the others at most today's figure (independent: 1, since the
// third round's model, which finds 2 more there; blind2: 2; blind3: 1).
// Run one set with -run 'TestLabelledReplies/tuning'.
func TestLabelledReplies(t *testing.T) {
	t.Parallel()
	var tuning, held int
	for _, c := range labelledSets {
		t.Run(c.name, func(t *testing.T) {
			if c.optional {
				if _, err := os.Stat(c.path); errors.Is(err, os.ErrNotExist) {
					t.Skipf("%s is not there", c.path)
				}
			}
			set := loadLabelled(t, c.path)
			if c.name == "tuning" {
				tuning = len(set)
			} else {
				held += len(set)
			}
			var miss func(labelled, []Flag)
			if *showMisses && c.showMisses {
				miss = func(l labelled, got []Flag) {
					t.Logf("MISS %q (theme %q)\n  want %v\n  got  %+v", l.Text, l.Theme, l.Flags, got)
				}
			}
			res := score(set, miss)
			red, green := report(t, c.name, res)
			sc := res[Red][themes.Safety]
			rules := scoreModel(set, nil, nil)
			fmt.Printf("labelled replies, %s set (%d): red-flag macro F1 %.3f, support macro F1 %.3f, safety recall %.2f (%d of %d), false safety alarms %d; rules alone %.3f / %.3f\n",
				c.name, len(set), red, green, sc.recall(), sc.tp, sc.tp+sc.fn, sc.fp, macroF1(rules[Red]), macroF1(rules[Green]))
			if red < c.minRed {
				t.Errorf("%s set: red-flag macro F1 %.3f, want at least %.2f", c.name, red, c.minRed)
			}
			if green < c.minGreen {
				t.Errorf("%s set: support macro F1 %.3f, want at least %.2f", c.name, green, c.minGreen)
			}
			if sc.fp > c.maxFalseAlarms {
				t.Errorf("%s set: %d false safety alarms, want at most %d", c.name, sc.fp, c.maxFalseAlarms)
			}
			if c.safetyRecall && sc.fn > 0 {
				t.Errorf("%s set: %d safety replies missed, want none", c.name, sc.fn)
			}
			if !c.safetyRecall && sc.fn > c.maxSafetyMissed {
				t.Errorf("%s set: %d safety replies missed, want at most %d (and the goal is none)", c.name, sc.fn, c.maxSafetyMissed)
			}
		})
	}
	if t.Failed() || tuning == 0 || held == 0 {
		return // a single set was run, or one failed to load
	}
	total := tuning + held
	if total < 250 {
		t.Fatalf("%d labelled replies, want at least 250", total)
	}
	if held*5 < total {
		t.Fatalf("%d of %d labelled replies held out, want at least a fifth", held, total)
	}
}

// Every flag the analyser gives on the labelled set quotes words that are
// really in the reply.
func TestEvidenceIsTheSubscribersWords(t *testing.T) {
	t.Parallel()
	for _, l := range loadLabelled(t, "testdata/labelled.jsonl") {
		for _, f := range Analyze(l.Text, l.Theme) {
			for _, part := range strings.Split(f.Evidence, " … ") {
				if part == "" || !strings.Contains(l.Text, part) {
					t.Errorf("Analyze(%q): evidence %q is not in the reply", l.Text, f.Evidence)
				}
			}
			if !slices.Contains(themes.AnalysisThemes(), f.Theme) {
				t.Errorf("unknown theme %q", f.Theme)
			}
		}
	}
}
