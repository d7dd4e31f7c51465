package main

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// result is one line of `go test -bench` output: the benchmark's full name
// (without the -GOMAXPROCS suffix) and its metrics by unit.
type result struct {
	Name    string
	Metrics map[string]float64
}

// segments is the name split at "/": BenchmarkX, then each sub-benchmark.
func (r result) segments() []string { return strings.Split(r.Name, "/") }

// has says whether one of the name's segments is seg, or starts with
// seg followed by "=" or "-" (so "postgres" matches "postgres" and
// "c=16" matches "c=16").
func (r result) has(seg string) bool {
	for _, s := range r.segments() {
		if s == seg || strings.HasPrefix(s, seg+"=") || strings.HasPrefix(s, seg+"-") {
			return true
		}
	}
	return false
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads standard benchmark lines:
//
//	BenchmarkX/sqlite/n=1000-2   1   123456 ns/op   862.1 msg/s   0.21 ratio-to-bare
//
// Other lines (PASS, ok, goos: ...) are skipped.
func parse(r io.Reader) []result {
	var out []result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		res := result{Name: procSuffix.ReplaceAllString(f[0], ""), Metrics: map[string]float64{}}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			res.Metrics[f[i+1]] = v
		}
		out = append(out, res)
	}
	return out
}

// mentions says whether a segment after the benchmark's own contains w
// ("first" is in "first-day").
func (r result) mentions(w string) bool {
	for _, s := range r.segments()[1:] {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
