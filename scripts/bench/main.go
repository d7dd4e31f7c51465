// Command bench runs Steady's performance benchmarks against SQLite and, when
// TEST_DATABASE_URL is set, PostgreSQL, measures the peak RSS of `steady
// serve` against a local SMTP sink, and prints one markdown table with the
// goals of issue 14 and the machine it ran on.
//
//	TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	go run ./scripts/bench            # the goals' sizes (tens of minutes)
//	go run ./scripts/bench -quick     # small sizes, 2-3 minutes (CI)
//	go run ./scripts/bench -n 5000    # every benchmark and RSS run at 5,000
//
// Each benchmark runs once (`-benchtime 1x`, the analyser for a second) with
// its size in STEADY_BENCH_N. A benchmark that does not exist (yet) is
// reported as "not measured", as is the PostgreSQL column without
// TEST_DATABASE_URL. Progress goes to stderr, the table to stdout.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options is what the command line chose.
type options struct {
	quick  bool
	n      int      // overrides every size when > 0
	only   []string // run only these benchmarks (and "rss"), when set
	bin    string   // a steady binary to measure instead of building one
	logs   string   // where serve's logs go, when set
	pgURL  string
	root   string // the module's directory
	stderr io.Writer
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "small sizes, for CI (about 2-3 minutes)")
	n := fs.Int("n", 0, "size for every benchmark and RSS run (STEADY_BENCH_N), instead of each one's own")
	logs := fs.String("logs", "", "keep serve's logs in this directory (they are deleted with the run's temporary files otherwise)")
	bin := fs.String("bin", "", "measure this steady binary's RSS instead of building ./cmd/steady (to compare two builds)")
	only := fs.String("only", "", "comma-separated benchmark names to run (rss for the serve measurements); default all")
	if err := fs.Parse(args); err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	o := options{quick: *quick, n: *n, bin: *bin, logs: *logs, pgURL: os.Getenv("TEST_DATABASE_URL"), root: root, stderr: stderr}
	if *only != "" {
		o.only = strings.Split(*only, ",")
	}
	started := time.Now()
	m := describeMachine(ctx, root)

	var results []result
	for _, b := range benchmarks {
		if !o.wants(b.name) {
			continue
		}
		rs, err := runBenchmark(ctx, o, b)
		if err != nil {
			fmt.Fprintf(stderr, "bench: %s: %v (reported as not measured)\n", b.name, err)
		}
		results = append(results, rs...)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if o.wants("rss") {
		rs, err := measureRSS(ctx, o)
		if err != nil {
			fmt.Fprintf(stderr, "bench: rss: %v\n", err)
		}
		results = append(results, rs...)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	command := "go run ./scripts/bench " + strings.Join(args, " ")
	printTable(stdout, results, o, m, strings.TrimSpace(command), time.Since(started))
	return nil
}

func (o options) wants(name string) bool {
	if len(o.only) == 0 {
		return true
	}
	for _, w := range o.only {
		if strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(w), "Benchmark"), strings.TrimPrefix(name, "Benchmark")) {
			return true
		}
	}
	return false
}

// size is n when -n was given, else the quick or the full size.
func (o options) size(quick, full int) int {
	switch {
	case o.n > 0:
		return o.n
	case o.quick:
		return quick
	}
	return full
}

// moduleRoot is the directory holding go.mod, from `go env GOMOD`.
func moduleRoot() (string, error) {
	out, err := goOutput(context.Background(), "", "env", "GOMOD")
	if err != nil {
		return "", err
	}
	mod := strings.TrimSpace(out)
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run it inside the steady module (go env GOMOD is empty)")
	}
	return filepath.Dir(mod), nil
}
