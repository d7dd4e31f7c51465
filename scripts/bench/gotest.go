package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// benchmark is one `go test -bench` run: a top-level benchmark, the
// packages it may live in (searched all), and its sizes.
type benchmark struct {
	name       string   // e.g. BenchmarkDispatch
	pkgs       []string // e.g. ./scheduler
	quick      int      // STEADY_BENCH_N with -quick
	full       int      // STEADY_BENCH_N at the goals' sizes
	cpu        string   // -cpu, when set
	benchtime  string   // default 1x
	quickTime  string   // benchtime with -quick, when it differs
	noDatabase bool     // the benchmark uses no database (one figure)
}

// benchmarks are the ones the table reports, in order. Their names are the
// contract of issue 14: other changes add them, and a missing one is "not
// measured".
var benchmarks = []benchmark{
	{name: "BenchmarkDispatch", pkgs: []string{"./scheduler"}, quick: 1000, full: 10000},
	{name: "BenchmarkRunOnceIdle", pkgs: []string{"./scheduler"}, quick: 10000, full: 1000000},
	{name: "BenchmarkPlanDue", pkgs: []string{"./scheduler"}, quick: 5000, full: 100000},
	{name: "BenchmarkSummaryIdle", pkgs: []string{"./summary"}, quick: 10000, full: 1000000},
	{name: "BenchmarkMonthlySummaries", pkgs: []string{"./summary"}, quick: 500, full: 100000},
	{name: "BenchmarkSMSWebhook", pkgs: []string{"./web", "./cmd/steady"}, quick: 2000, full: 20000},
	{name: "BenchmarkAnalyze", pkgs: []string{"./analysis"}, cpu: "1", benchtime: "2s", quickTime: "1s", noDatabase: true},
}

// runBenchmark runs b in each of its packages and returns what it printed.
func runBenchmark(ctx context.Context, o options, b benchmark) ([]result, error) {
	var all []result
	var errs []string
	for _, pkg := range b.pkgs {
		args := []string{"test", "-run", "^$", "-bench", "^" + b.name + "$", "-benchtime", b.time(o), "-count", "1", "-timeout", "0"}
		if b.cpu != "" {
			args = append(args, "-cpu", b.cpu)
		}
		args = append(args, pkg)
		env := []string{}
		if b.full > 0 {
			env = append(env, "STEADY_BENCH_N="+strconv.Itoa(o.size(b.quick, b.full)))
		}
		fmt.Fprintf(o.stderr, "--- %s go %s\n", strings.Join(env, " "), strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = o.root
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout = io.MultiWriter(&out, o.stderr)
		cmd.Stderr = o.stderr
		err := cmd.Run()
		rs := parse(&out)
		all = append(all, rs...)
		if err != nil && len(rs) == 0 {
			errs = append(errs, fmt.Sprintf("%s: %v", pkg, err))
		}
	}
	if len(all) == 0 && len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return all, nil
}

func (b benchmark) time(o options) string {
	if o.quick && b.quickTime != "" {
		return b.quickTime
	}
	if b.benchtime != "" {
		return b.benchtime
	}
	return "1x"
}

// goOutput runs the go command in dir and returns its stdout.
func goOutput(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}
