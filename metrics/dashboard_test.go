package metrics_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/metrics"
	"github.com/steadyapp/steady/store/storetest"
)

// TestDashboardUsesOnlyRegisteredMetrics loads docs/grafana-dashboard.json
// and checks that every metric its queries name is one the Recorder
// registers (a histogram's _bucket, _sum and _count included), so a
// renamed metric cannot leave an empty panel behind.
func TestDashboardUsesOnlyRegisteredMetrics(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("the dashboard is not valid JSON: %v", err)
	}

	rec := metrics.New()
	if err := rec.WatchQueue(storetest.SQLite(t), steady.SystemClock{}, 0); err != nil {
		t.Fatal(err)
	}
	fams, err := rec.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, f := range fams {
		known[f.GetName()] = true
		if f.GetType().String() == "HISTOGRAM" {
			for _, s := range []string{"_bucket", "_sum", "_count"} {
				known[f.GetName()+s] = true
			}
		}
	}

	// A metric name in PromQL: a word of the registry's families that is
	// not a function, keyword or label (steady_, go_ and process_ here).
	name := regexp.MustCompile(`\b(?:steady|go|process)_[a-z0-9_]+\b`)
	used := map[string]bool{}
	queries := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			queries++
			for _, n := range name.FindAllString(tg.Expr, -1) {
				used[n] = true
				if !known[n] {
					t.Errorf("panel %q uses %s, which the Recorder does not register", p.Title, n)
				}
			}
		}
	}
	if queries == 0 || len(used) == 0 {
		t.Fatal("the dashboard has no queries naming a metric")
	}
	// And every Steady metric has a panel.
	for n := range known {
		if strings.HasPrefix(n, "steady_") && !used[n] && !used[n+"_bucket"] && !strings.HasSuffix(n, "_sum") && !strings.HasSuffix(n, "_count") && !strings.HasSuffix(n, "_bucket") {
			t.Errorf("no panel shows %s", n)
		}
	}
}
