package mailreply

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusFigure reports how much of the corpus comes out exactly as
// expected, with and without knowing the prompt each reply quotes, and
// fails when fewer than 95% of the replies to Steady's prompts do with
// it. Run it with
//
//	go test ./mailreply -run TestCorpusFigure -v
func TestCorpusFigure(t *testing.T) {
	t.Parallel()
	emls, err := filepath.Glob("testdata/replies/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	var quoting, known, blind, older, olderOK int
	for _, path := range emls {
		raw := mustRead(t, path)
		want := strings.TrimSuffix(string(mustRead(t, strings.TrimSuffix(path, ".eml")+".txt")), "\n")
		name := strings.TrimSuffix(filepath.Base(path), ".eml")
		k := corpusKnown(t, path)
		m, _ := Extract(raw)
		if k == (Known{}) {
			older++
			if m.Text == want {
				olderOK++
			}
			continue
		}
		quoting++
		if m.Text == want {
			blind++
		} else {
			t.Logf("without the prompt: %s:\n%s", name, m.Text)
		}
		if m, _ := ExtractKnown(raw, k); m.Text == want {
			known++
		} else {
			t.Logf("with the prompt: %s:\n%s", name, m.Text)
		}
	}
	pct := func(n, of int) float64 { return 100 * float64(n) / float64(max(of, 1)) }
	t.Logf("replies quoting one of Steady's prompts: %d/%d exact (%.1f%%) with the prompt known (ExtractKnown), %d/%d (%.1f%%) without (Extract)",
		known, quoting, pct(known, quoting), blind, quoting, pct(blind, quoting))
	t.Logf("older replies (no prompt stored): %d/%d exact (%.1f%%) with Extract", olderOK, older, pct(olderOK, older))
	if quoting < 60 {
		t.Errorf("only %d replies quote a stored prompt; want at least 60", quoting)
	}
	if pct(known, quoting) < 95 {
		t.Errorf("%.1f%% of replies to Steady's prompts exact with the prompt known; want at least 95%%", pct(known, quoting))
	}
}
