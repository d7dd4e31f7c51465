package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// row is one line of the table: a benchmark's metric on each database,
// against a goal.
type row struct {
	what  string
	goal  string
	bench string   // top-level benchmark name
	units []string // the metric's unit (the first one reported is used)
	with  []string // words a result's name must contain (e.g. "first")
	// met says whether a value meets the goal; nil for a figure shown
	// for context only.
	met func(float64) bool
	// cell, when set, formats a database's cell itself (dispatch's ratio
	// beside both throughputs); it returns the value judged by met.
	cell       func(rs []result, db string) (string, float64, bool)
	noDatabase bool
}

var rows = []row{
	{what: "dispatch (claim, render, send, record) ÷ bare go-mail loop, same run", goal: "≥ 0.9×", bench: "BenchmarkDispatch",
		met: func(v float64) bool { return v >= 0.9 }, cell: dispatchCell},
	{what: "SMTP sessions per message", goal: "many messages per connection (≤ 0.1)", bench: "BenchmarkDispatch",
		units: []string{"sessions/msg"}, met: func(v float64) bool { return v <= 0.1 }},
	{what: "scheduler pass with nothing due", goal: "≤ 5 ms", bench: "BenchmarkRunOnceIdle",
		units: []string{"ms/pass"}, met: func(v float64) bool { return v <= 5 }},
	{what: "planning, everyone due in one minute, first day", goal: "≥ 50,000/s", bench: "BenchmarkPlanDue", with: []string{"first"},
		units: []string{"prompts/s"}, met: func(v float64) bool { return v >= 50000 }},
	{what: "planning, the same, later days", goal: "≥ 50,000/s", bench: "BenchmarkPlanDue", with: []string{"later"},
		units: []string{"prompts/s"}, met: func(v float64) bool { return v >= 50000 }},
	{what: "summary service's minute pass with nothing due", goal: "≤ 5 ms", bench: "BenchmarkSummaryIdle",
		units: []string{"ms/pass"}, met: func(v float64) bool { return v <= 5 }},
	{what: "monthly summaries", goal: "100k in ≤ 60 s (≥ 1,667/s)", bench: "BenchmarkMonthlySummaries",
		units: []string{"summaries/s"}, met: func(v float64) bool { return v >= 100000.0/60 }},
	{what: "inbound SMS webhook, signed requests", goal: "≥ 5,000/s", bench: "BenchmarkSMSWebhook",
		units: []string{"req/s"}, met: func(v float64) bool { return v >= 5000 }},
	{what: "inbound SMS webhook, p99 latency", goal: "≤ 50 ms", bench: "BenchmarkSMSWebhook",
		units: []string{"p99-ms"}, met: func(v float64) bool { return v <= 50 }},
	{what: "analyser, short replies, one core", goal: "≥ 100,000/s", bench: "BenchmarkAnalyze",
		units: []string{"replies/cpu-s", "replies/s"}, met: func(v float64) bool { return v >= 100000 }, noDatabase: true},
	{what: "peak RSS of `serve` sending every due prompt", goal: "< 50 MB, flat in N", bench: "BenchmarkServeRSS", with: []string{"sending"},
		units: []string{"MB"}, met: func(v float64) bool { return v < 50 }},
	{what: "peak RSS of `serve` idle", goal: "< 50 MB, flat in N", bench: "BenchmarkServeRSS", with: []string{"idle"},
		units: []string{"MB"}, met: func(v float64) bool { return v < 50 }},
}

// printTable writes the markdown table, the machine and the command.
func printTable(w io.Writer, results []result, o options, m machine, command string, took time.Duration) {
	fmt.Fprintln(w, "| what | SQLite | PostgreSQL | goal | met? |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, r := range rows {
		var cells [2]string
		verdict := verdict{}
		for i, db := range []string{"sqlite", "postgres"} {
			if r.noDatabase && db == "postgres" {
				cells[i] = "(no database)"
				continue
			}
			if db == "postgres" && o.pgURL == "" {
				cells[i] = "not measured (no TEST_DATABASE_URL)"
				verdict.missing++
				continue
			}
			text, vals := r.format(results, db)
			cells[i] = text
			if len(vals) == 0 {
				verdict.missing++
			}
			for _, v := range vals {
				if r.met != nil && !r.met(v) {
					verdict.failed++
				} else {
					verdict.passed++
				}
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", r.what, cells[0], cells[1], r.goal, verdict.String())
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Machine: %s, %d cores, %s; %s UTC; `%s` (%s).\n",
		m.CPU, m.Cores, m.Go, m.Date.Format("2006-01-02 15:04"), command, took.Round(time.Second))
}

// format is a database's cell and the values judged against the goal.
func (r row) format(results []result, db string) (string, []float64) {
	if r.cell != nil {
		text, v, ok := r.cell(results, db)
		if !ok {
			return "not measured", nil
		}
		return text, []float64{v}
	}
	var parts []string
	var vals []float64
	var names []string
	for _, res := range r.matching(results, db) {
		v, unit, ok := res.metric(r.units)
		if !ok {
			continue
		}
		vals = append(vals, v)
		names = append(names, res.detail(r.bench, db, r.with))
		parts = append(parts, number(v)+" "+unit)
	}
	if len(vals) == 0 {
		return "not measured", nil
	}
	if len(vals) == 1 && names[0] == "" {
		return parts[0], vals
	}
	for i := range parts {
		if names[i] != "" {
			parts[i] = names[i] + ": " + parts[i]
		}
	}
	return strings.Join(parts, "; "), vals
}

// matching is the results of r's benchmark on db with r's segments.
func (r row) matching(results []result, db string) []result {
	var out []result
	for _, res := range results {
		if res.segments()[0] != r.bench || (!r.noDatabase && !res.has(db)) {
			continue
		}
		ok := true
		for _, w := range r.with {
			ok = ok && res.mentions(w)
		}
		if ok {
			out = append(out, res)
		}
	}
	return out
}

// metric is the first of units the result reports.
func (res result) metric(units []string) (float64, string, bool) {
	for _, u := range units {
		if v, ok := res.Metrics[u]; ok {
			return v, u, true
		}
	}
	return 0, "", false
}

// detail is what tells the result apart in its cell: the name's segments
// other than the benchmark, the database and the row's own (e.g. "c=16",
// "n=100000").
func (res result) detail(bench, db string, with []string) string {
	var keep []string
	for _, s := range res.segments() {
		if s == bench || s == db || strings.HasPrefix(s, db+"-") {
			continue
		}
		skip := false
		for _, w := range with {
			skip = skip || strings.Contains(s, w)
		}
		if !skip {
			keep = append(keep, s)
		}
	}
	return strings.Join(keep, " ")
}

// dispatchCell is "0.24× (721 vs 2,958 msg/s)": the database's throughput
// over the bare loop's, both from the same run, or the benchmark's own
// ratio-to-bare when it reports one.
func dispatchCell(results []result, db string) (string, float64, bool) {
	var mine, bare *result
	for i := range results {
		res := &results[i]
		if res.segments()[0] != "BenchmarkDispatch" {
			continue
		}
		switch {
		case res.has(db) && mine == nil:
			mine = res
		case res.has("bare") && bare == nil:
			bare = res
		}
	}
	if mine == nil {
		return "", 0, false
	}
	units := []string{"msg/s", "msgs/s"}
	v, _, haveV := mine.metric(units)
	ratio, haveRatio := mine.Metrics["ratio-to-bare"]
	var bv float64
	haveBare := false
	if bare != nil {
		bv, _, haveBare = bare.metric(units)
	}
	if !haveRatio && haveV && haveBare && bv > 0 {
		ratio, haveRatio = v/bv, true
	}
	switch {
	case haveRatio && haveV && haveBare:
		return fmt.Sprintf("**%.2f×** (%s vs %s msg/s)", ratio, number(v), number(bv)), ratio, true
	case haveRatio && haveV:
		return fmt.Sprintf("**%.2f×** (%s msg/s)", ratio, number(v)), ratio, true
	case haveRatio:
		return fmt.Sprintf("**%.2f×**", ratio), ratio, true
	}
	return "", 0, false
}

type verdict struct{ passed, failed, missing int }

func (v verdict) String() string {
	switch {
	case v.failed > 0:
		return "no"
	case v.passed == 0:
		return "not measured"
	case v.missing > 0:
		return "yes, where measured"
	}
	return "yes"
}

// number formats a figure for reading: thousands separated, two
// significant decimals below 10.
func number(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return thousands(int64(math.Round(v)))
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 0.1 || a == 0:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 2, 64)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
