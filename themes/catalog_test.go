package themes

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	steady "github.com/steadyapp/steady"
)

func TestThemesOrder(t *testing.T) {
	t.Parallel()
	want := []string{Honesty, KeepingWord, Trust, Confiding, HasYourBack, Distancing, FearDoubt, Friendship, Dependability}
	got := All()
	if len(got) != len(want) {
		t.Fatalf("All() has %d themes, want %d", len(got), len(want))
	}
	for i, th := range got {
		if th.ID != want[i] || th.Name == "" || th.Summary == "" {
			t.Errorf("theme %d = %+v, want id %q with a name and a summary", i, th, want[i])
		}
	}
	// The default catalog covers every theme, in the same order.
	cat := Default().Themes()
	if len(cat) != len(want) {
		t.Fatalf("Default().Themes() has %d themes, want %d", len(cat), len(want))
	}
	for i, th := range cat {
		if th.ID != want[i] {
			t.Errorf("catalog theme %d = %q, want %q", i, th.ID, want[i])
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) found a theme")
	}
}

func TestDefaultCatalogPrompts(t *testing.T) {
	t.Parallel()
	c := Default()
	perTheme := map[string]int{}
	for _, p := range c.Prompts() {
		perTheme[p.Theme]++
		if len(p.Text) > 160 {
			t.Errorf("%s: %d characters, want at most 160 (one SMS)", p.ID, len(p.Text))
		}
		for _, r := range p.Text {
			if r < 0x20 || r > 0x7e {
				t.Errorf("%s: character %q is not plain printable ASCII", p.ID, r)
			}
		}
		if !strings.HasPrefix(p.ID, p.Theme+"-") {
			t.Errorf("%s: id does not start with its theme %q", p.ID, p.Theme)
		}
		if p.Answer == AnswerScale && !strings.Contains(p.Text, "5 (") {
			t.Errorf("%s: a scale prompt should say what 5 means", p.ID)
		}
		if got, ok := c.Prompt(p.ID); !ok || got != p {
			t.Errorf("Prompt(%q) = %+v, %v", p.ID, got, ok)
		}
	}
	for _, th := range All() {
		if perTheme[th.ID] < 5 {
			t.Errorf("theme %s has %d prompts, want at least 5", th.ID, perTheme[th.ID])
		}
	}
	if _, ok := c.Prompt("nope-1"); ok {
		t.Error("Prompt(nope-1) found a prompt")
	}
}

// checkRotation walks len(prompts) calls of Next from a seed and checks
// that every prompt comes exactly once and (when wantAlternate) that no
// two consecutive prompts, the wrap included, share a theme.
func checkRotation(t *testing.T, c *Catalog, seed int64, wantAlternate bool) {
	t.Helper()
	n := len(c.Prompts())
	seen := map[string]int{}
	first := c.Next("", seed)
	p := first
	for i := range n {
		seen[p.ID]++
		next := c.Next(p.ID, seed)
		if wantAlternate && next.Theme == p.Theme {
			t.Errorf("seed %d, step %d: %s then %s share a theme", seed, i, p.ID, next.ID)
		}
		p = next
	}
	if p != first {
		t.Errorf("seed %d: after %d steps got %s, want to be back at %s", seed, n, p.ID, first.ID)
	}
	for _, q := range c.Prompts() {
		if seen[q.ID] != 1 {
			t.Errorf("seed %d: %s seen %d times in one cycle, want 1", seed, q.ID, seen[q.ID])
		}
	}
}

func TestNextDefault(t *testing.T) {
	t.Parallel()
	c := Default()
	for _, seed := range []int64{0, 1, 7, 45, 46, 1000, -3} {
		checkRotation(t, c, seed, true)
	}
	// The first round takes one prompt from each theme, in theme order.
	p := c.Next("", 0)
	for i, th := range All() {
		if p.Theme != th.ID {
			t.Errorf("first round, prompt %d: theme %s, want %s", i, p.Theme, th.ID)
		}
		p = c.Next(p.ID, 0)
	}
}

func TestNextSeedFallback(t *testing.T) {
	t.Parallel()
	c := Default()
	n := int64(len(c.Prompts()))
	for _, seed := range []int64{0, 3, n, n + 3, -1} {
		want := c.Next("", seed)
		if got := c.Next("gone-7", seed); got != want {
			t.Errorf("Next(unknown, %d) = %s, want the seed's prompt %s", seed, got.ID, want.ID)
		}
	}
	if a, b := c.Next("", 0), c.Next("", 1); a == b {
		t.Errorf("seeds 0 and 1 both start at %s", a.ID)
	}
	if a, b := c.Next("", 2), c.Next("", 2+n); a != b {
		t.Errorf("seed 2 starts at %s, seed 2+len at %s; want the same", a.ID, b.ID)
	}
}

// TestNextUneven checks rotation on lopsided catalogs, where plain rounds
// would put one theme twice in a row.
func TestNextUneven(t *testing.T) {
	t.Parallel()
	ids := []string{Honesty, KeepingWord, Trust, Confiding, HasYourBack, Distancing, FearDoubt, Friendship, Dependability}
	tests := []struct {
		name   string
		counts []int // prompts per theme, in ids order
	}{
		{"one theme", []int{3}},
		{"two even", []int{2, 2}},
		{"first theme heavy", []int{4, 2, 2}},
		{"last theme heavy", []int{1, 1, 1, 1, 1, 1, 1, 1, 8}},
		{"middle heavy", []int{2, 0, 6, 1, 0, 3}},
		{"half", []int{5, 1, 1, 1, 1, 1}},
		{"default plus one", []int{7, 5, 5, 5, 5, 5, 5, 5, 5}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		counts := make([]int, 1+r.IntN(len(ids)))
		for i := range counts {
			counts[i] = r.IntN(7)
		}
		tests = append(tests, struct {
			name   string
			counts []int
		}{fmt.Sprint(counts), counts})
	}
	for _, tt := range tests {
		var b strings.Builder
		b.WriteString(`{"prompts": [`)
		total, most := 0, 0
		for i, k := range tt.counts {
			for j := range k {
				if total > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `{"id": "%s-%d", "theme": %q, "answer": "yesno", "text": "Question?"}`, ids[i], j+1, ids[i])
				total++
			}
			most = max(most, k)
		}
		b.WriteString("]}")
		if total == 0 {
			continue
		}
		c, err := Load(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		// A cycle with no two neighbours alike exists exactly when no
		// theme holds more than half the prompts (and there are 2+).
		possible := total >= 2 && most*2 <= total
		for seed := range int64(total) {
			checkRotation(t, c, seed, possible)
		}
	}
}

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json, want string
	}{
		{"not json", `{"prompts": [`, "read catalog"},
		{"unknown field", `{"prompts": [{"id": "a-1", "theme": "trust", "anwser": "yesno", "text": "Q?"}]}`, `unknown field "anwser"`},
		{"no prompts", `{"prompts": []}`, "no prompts"},
		{"empty object", `{}`, "no prompts"},
		{"empty id", `{"prompts": [{"id": " ", "theme": "trust", "answer": "yesno", "text": "Q?"}]}`, "prompt 1: id is empty"},
		{"duplicate id", `{"prompts": [
			{"id": "trust-1", "theme": "trust", "answer": "yesno", "text": "Q?"},
			{"id": "trust-1", "theme": "trust", "answer": "yesno", "text": "Q2?"}]}`, `prompt 2 ("trust-1"): id is already used by prompt 1`},
		{"empty theme", `{"prompts": [{"id": "a-1", "theme": "", "answer": "yesno", "text": "Q?"}]}`, `prompt 1 ("a-1"): theme is empty`},
		{"unknown theme", `{"prompts": [{"id": "a-1", "theme": "honsty", "answer": "yesno", "text": "Q?"}]}`, `theme "honsty" is not one of honesty, keeping_word`},
		{"empty text", `{"prompts": [{"id": "a-1", "theme": "trust", "answer": "yesno", "text": "  "}]}`, `prompt 1 ("a-1"): text is empty`},
		{"bad answer", `{"prompts": [{"id": "a-1", "theme": "trust", "answer": "yes", "text": "Q?"}]}`, `answer "yes" is not "yesno" or "scale"`},
		{"trailing data", `{"prompts": [{"id": "a-1", "theme": "trust", "answer": "yesno", "text": "Q?"}]} {}`, "unexpected data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(strings.NewReader(tt.json))
			if err == nil {
				t.Fatalf("Load succeeded with %d prompts, want an error containing %q", len(c.Prompts()), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(`{"prompts": [
		{"id": "a-1", "theme": "nope", "answer": "yesno", "text": "Q?"},
		{"id": "a-2", "theme": "trust", "answer": "maybe", "text": ""}]}`))
	if err == nil {
		t.Fatal("Load succeeded, want an error")
	}
	for _, want := range []string{`prompt 1 ("a-1"): theme "nope"`, `prompt 2 ("a-2"): text is empty`, `prompt 2 ("a-2"): answer "maybe"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestDefaultReturnsFreshCatalog(t *testing.T) {
	t.Parallel()
	a, b := Default(), Default()
	if a == b {
		t.Fatal("Default returned the same *Catalog twice")
	}
	ps := a.Prompts()
	ps[0] = steady.Prompt{ID: "changed"}
	if got := a.Prompts()[0].ID; got == "changed" {
		t.Error("changing the slice from Prompts changed the catalog")
	}
}
