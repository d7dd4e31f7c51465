package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPrintTable(t *testing.T) {
	out := `BenchmarkDispatch/bare/prompts=1000-2   1  1 ns/op  4000 msg/s
BenchmarkDispatch/sqlite/prompts=1000-2  1  1 ns/op  3800 msg/s  0.05 sessions/msg
BenchmarkDispatch/postgres/prompts=1000-2  1  1 ns/op  2000 msg/s  1 sessions/msg
BenchmarkSMSWebhook/sqlite/c=16-2  1  1 ns/op  6000 req/s  20 p99-ms
BenchmarkSMSWebhook/sqlite/c=64-2  1  1 ns/op  4000 req/s  60 p99-ms
BenchmarkPlanDue/sqlite/first-day-2  1  1 ns/op  60000 prompts/s
BenchmarkPlanDue/sqlite/later-day-2  1  1 ns/op  40000 prompts/s
`
	var w bytes.Buffer
	printTable(&w, parse(strings.NewReader(out)), options{pgURL: "postgres://x"}, machine{CPU: "cpu", Cores: 2, Go: "go1.26"}, "go run ./scripts/bench", time.Second)
	table := w.String()
	for _, want := range []string{
		"| dispatch (claim, render, send, record) ÷ bare go-mail loop, same run | **0.95×** (3,800 vs 4,000 msg/s) | **0.50×** (2,000 vs 4,000 msg/s) | ≥ 0.9× | no |",
		"| SMTP sessions per message | prompts=1000: 0.05 sessions/msg | prompts=1000: 1.00 sessions/msg |",
		"| inbound SMS webhook, signed requests | c=16: 6,000 req/s; c=64: 4,000 req/s | not measured |",
		"| planning, everyone due in one minute, first day | 60,000 prompts/s | not measured | ≥ 50,000/s | yes, where measured |",
		"| planning, the same, later days | 40,000 prompts/s | not measured | ≥ 50,000/s | no |",
		"| scheduler pass with nothing due | not measured | not measured | ≤ 5 ms | not measured |",
		"Machine: cpu, 2 cores, go1.26",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}

	w.Reset()
	printTable(&w, nil, options{}, machine{}, "", 0)
	if !strings.Contains(w.String(), "not measured (no TEST_DATABASE_URL)") {
		t.Errorf("without TEST_DATABASE_URL the PostgreSQL column should say so:\n%s", w.String())
	}
}
