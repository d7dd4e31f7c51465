package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/themes"
)

// benchDBs are the databases every benchmark runs on; PostgreSQL's skip
// without TEST_DATABASE_URL.
var benchDBs = []struct {
	name string
	open func(testing.TB) *store.DB
}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}}

// benchN is the benchmark's size: STEADY_BENCH_N, or def.
func benchN(b *testing.B, def int) int {
	b.Helper()
	return benchEnv(b, "STEADY_BENCH_N", def)
}

// benchEnv is the positive number in the environment variable name, or def
// when it is unset.
func benchEnv(b *testing.B, name string, def int) int {
	b.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q is not a positive number", name, s)
	}
	return n
}

// benchScheduler is a Scheduler on db with the real catalog and no logs,
// claiming STEADY_BENCH_BATCH subscribers a batch (or the default) with
// STEADY_BENCH_CLAIMERS claimers (or db.Claimers(), as steady serve).
func benchScheduler(b *testing.B, db *store.DB, start time.Time) *Scheduler {
	b.Helper()
	batch := benchEnv(b, "STEADY_BENCH_BATCH", 0)
	claimers := benchEnv(b, "STEADY_BENCH_CLAIMERS", db.Claimers())
	s, err := New(Config{Store: db, Catalog: themes.Default(), Clock: steady.NewManualClock(start),
		BatchSize: batch, Claimers: claimers, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkPlanDue measures the worst minute: N subscribers (STEADY_BENCH_N,
// default 2000) all due at once (everyone chose 20:30 in the same zone).
// A pass claims every one, writes a delivery each and advances their slot.
//
// first-day is a new database's first tick: the deliveries table is empty
// (and on PostgreSQL never analyzed), each iteration on a fresh database.
// later-day is the tick of each following day, with the deliveries of the
// days before in the table.
//
//	STEADY_BENCH_N=100000 go test -run '^$' -bench PlanDue -benchtime 1x ./scheduler
func BenchmarkPlanDue(b *testing.B) {
	n := benchN(b, 2000)
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, bd := range benchDBs {
		b.Run(bd.name+"/first-day", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := bd.open(b)
				first := seedDaily(b, db, n, start)
				s := benchScheduler(b, db, start)
				b.StartTimer()
				planAll(b, s, first.Add(time.Minute), n)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "prompts/s")
		})
		b.Run(bd.name+"/later-day", func(b *testing.B) {
			db := bd.open(b)
			first := seedDaily(b, db, n, start)
			s := benchScheduler(b, db, start)
			planAll(b, s, first.Add(time.Minute), n) // the first day, untimed
			b.ResetTimer()
			for i := range b.N {
				planAll(b, s, first.AddDate(0, 0, i+1).Add(time.Minute), n)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "prompts/s")
		})
	}
}

// planAll runs one tick at now and fails unless it queued want prompts.
func planAll(b *testing.B, s *Scheduler, now time.Time, want int) {
	b.Helper()
	got, err := s.runOnce(context.Background(), now)
	if err != nil || got != want {
		b.Fatalf("tick at %s queued %d, %v; want %d", now, got, err, want)
	}
}

// BenchmarkRunOnceIdle measures a pass with nothing due among N subscribers
// (STEADY_BENCH_N, default 2000): it should cost one indexed query,
// whatever N.
//
//	STEADY_BENCH_N=1000000 go test -run '^$' -bench RunOnceIdle ./scheduler
func BenchmarkRunOnceIdle(b *testing.B) {
	n := benchN(b, 2000)
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, bd := range benchDBs {
		b.Run(bd.name, func(b *testing.B) {
			db := bd.open(b)
			first := seedDaily(b, db, n, start)
			s := benchScheduler(b, db, start)
			now := first.Add(-time.Hour)
			b.ResetTimer()
			for b.Loop() {
				if got, err := s.runOnce(context.Background(), now); err != nil || got != 0 {
					b.Fatalf("idle tick queued %d, %v", got, err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/pass")
		})
	}
}

// seedDaily adds n active subscribers for a daily 20:30 prompt in New York,
// in multi-row batches (ImportSubscribers), and returns their first slot.
func seedDaily(tb testing.TB, db *store.DB, n int, now time.Time) time.Time {
	tb.Helper()
	ctx := context.Background()
	sched, err := steady.NewSchedule("daily", nil, 0, "20:30", now)
	if err != nil {
		tb.Fatal(err)
	}
	loc, err := steady.LoadLocation("America/New_York")
	if err != nil {
		tb.Fatal(err)
	}
	first := sched.Next(now, loc)
	const batch = 2000
	for start := 0; start < n; start += batch {
		rows := make([]store.ImportRow, 0, min(batch, n-start))
		for i := start; i < min(start+batch, n); i++ {
			addr := fmt.Sprintf("bench%d@example.org", i)
			rows = append(rows, store.ImportRow{
				Channel: steady.ChannelEmail, Address: addr, TimeZone: "America/New_York", Schedule: sched,
				AddressHash: "bench-" + strconv.Itoa(i),
				Consent:     steady.Consent{At: now, Method: "import", Wording: "benchmark"},
				NextSlot:    first,
			})
		}
		res, err := db.ImportSubscribers(ctx, store.ImportBatch{Rows: rows, Active: true, Now: now})
		if err != nil {
			tb.Fatal(err)
		}
		if res.Imported != len(rows) {
			tb.Fatalf("seeded %+v, want %d", res, len(rows))
		}
	}
	return first
}
