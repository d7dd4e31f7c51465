package main

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: github.com/steadyapp/steady/scheduler
cpu: AMD EPYC
BenchmarkDispatch/bare/prompts=1000-2         	       1	 246000000 ns/op	      4060 msg/s
BenchmarkDispatch/sqlite/prompts=1000-2       	       1	1160000000 ns/op	       862.5 msg/s	         0.2124 ratio-to-bare	         1.000 sessions/msg
BenchmarkAnalyze/short         	 1000000	      1600 ns/op	    630000 replies/cpu-s	      48 B/op	       6 allocs/op
--- SKIP: BenchmarkDispatch/postgres
PASS
ok  	github.com/steadyapp/steady/scheduler	3.2s
`
	rs := parse(strings.NewReader(out))
	if len(rs) != 3 {
		t.Fatalf("parsed %d results, want 3: %+v", len(rs), rs)
	}
	if rs[1].Name != "BenchmarkDispatch/sqlite/prompts=1000" {
		t.Errorf("name %q", rs[1].Name)
	}
	if got := rs[1].Metrics["ratio-to-bare"]; got != 0.2124 {
		t.Errorf("ratio %v", got)
	}
	if got := rs[1].Metrics["sessions/msg"]; got != 1 {
		t.Errorf("sessions %v", got)
	}
	if !rs[1].has("sqlite") || rs[1].has("postgres") || !rs[0].has("bare") || !rs[1].has("prompts") {
		t.Errorf("segments of %q", rs[1].Name)
	}
	if got := rs[2].Metrics["allocs/op"]; got != 6 {
		t.Errorf("allocs %v", got)
	}
}
