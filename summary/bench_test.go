package summary

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/cputime"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// benchN is STEADY_BENCH_N, or def.
func benchN(b *testing.B, def int) int {
	if v := os.Getenv("STEADY_BENCH_N"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("STEADY_BENCH_N=%q: want a positive number", v)
		}
		return n
	}
	return def
}

// benchDB is a migrated database and a plain connection to the same one,
// for seeding in bulk.
type benchDB struct {
	db  *store.DB
	raw *sql.DB
	pg  bool
}

// eachBenchDB runs fn as the sub-benchmarks sqlite/<name> and
// postgres/<name> (the latter with TEST_DATABASE_URL only).
func eachBenchDB(b *testing.B, name string, fn func(b *testing.B, d benchDB)) {
	b.Run("sqlite/"+name, func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "steady.db")
		db := storetest.Open(b, path)
		raw, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { raw.Close() })
		fn(b, benchDB{db: db, raw: raw})
	})
	b.Run("postgres/"+name, func(b *testing.B) {
		url := storetest.PostgresURL(b)
		db := storetest.Open(b, url)
		raw, err := sql.Open("pgx", url)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { raw.Close() })
		fn(b, benchDB{db: db, raw: raw, pg: true})
	})
}

// rebind writes a query's ? as PostgreSQL's $1 when needed (one argument).
func (d benchDB) rebind(q string) string {
	if d.pg {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}

// ts is t as the dialect stores it.
func (d benchDB) ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if d.pg {
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// insert runs INSERT INTO table (cols) VALUES ... for rows, a few hundred
// rows a statement, in one transaction.
func (d benchDB) insert(b *testing.B, table, cols string, rows [][]any) {
	b.Helper()
	ctx := context.Background()
	tx, err := d.raw.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	width := strings.Count(cols, ",") + 1
	for len(rows) > 0 {
		n := min(len(rows), 4000/width)
		var q strings.Builder
		args := make([]any, 0, n*width)
		fmt.Fprintf(&q, "INSERT INTO %s (%s) VALUES ", table, cols)
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(")
			for j := range r {
				if j > 0 {
					q.WriteString(", ")
				}
				if d.pg {
					fmt.Fprintf(&q, "$%d", len(args)+j+1)
				} else {
					q.WriteString("?")
				}
			}
			q.WriteString(")")
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			b.Fatalf("seed %s: %v", table, err)
		}
		rows = rows[n:]
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// seedSubscribers adds n active email subscribers in London, prompted
// daily at 08:00, joined in September 2026, next looked at nextAt (the
// column's default, "not worked out yet", when zero).
func (d benchDB) seedSubscribers(b *testing.B, n int, nextAt time.Time) {
	b.Helper()
	joined := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	if nextAt.IsZero() {
		nextAt = time.Unix(0, 0)
	}
	rows := make([][]any, 0, min(n, 100000))
	for i := range n {
		rows = append(rows, []any{"email", fmt.Sprintf("s%d@example.org", i), "Europe/London", "daily 08:00", "active",
			d.ts(joined), d.ts(joined), d.ts(nextAt)})
		if len(rows) == cap(rows) || i == n-1 {
			d.insert(b, "subscribers", "channel, address, timezone, schedule, status, created_at, confirmed_at, next_summary_at", rows)
			rows = rows[:0]
		}
	}
}

var benchReplies = []string{
	"he listened when I talked about work and it felt good",
	"no",
	"4",
	"she promised to call and didn't, again",
	"we laughed a lot this week",
	"he went quiet and distant again after the argument",
	"yes mostly, she asked how my day was",
	"I felt he didn't respect my decision",
}

// seedReplies gives every subscriber perSub replies in November 2026, as
// RecordReply would store them (sealed bodies, flags).
func (d benchDB) seedReplies(b *testing.B, perSub int) {
	b.Helper()
	ctx := context.Background()
	var ids []int64
	rows, err := d.raw.QueryContext(ctx, "SELECT id FROM subscribers ORDER BY id")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	keys := d.db.Keyring()
	var out [][]any
	for _, id := range ids {
		for j := range perSub {
			body := benchReplies[(int(id)+j)%len(benchReplies)]
			src := fmt.Sprintf("bench-%d-%d", id, j)
			flags, version, harm := store.ReplyFlags(body, "")
			at := time.Date(2026, 11, 1+j%28, 20, 0, 0, 0, time.UTC)
			out = append(out, []any{id, "web", keys.Seal(body, "replies.body|"+src), d.ts(at), src, flags, version, harm})
		}
		if len(out) >= 20000 {
			d.insert(b, "replies", "subscriber_id, channel, body, received_at, source_id, flags, analysis_version, harm", out)
			out = out[:0]
		}
	}
	d.insert(b, "replies", "subscriber_id, channel, body, received_at, source_id, flags, analysis_version, harm", out)
}

func benchLinks(b *testing.B, clock steady.Clock) *links.Links {
	lk, err := links.New("https://steady.example", "Steady <steady@steady.example>", []byte("0123456789abcdef0123"), clock)
	if err != nil {
		b.Fatal(err)
	}
	return lk
}

// BenchmarkSummaryIdle is the summary service's minute pass on a day
// nothing is due, with STEADY_BENCH_N subscribers (default 10,000; the
// goal is at most 5 ms at 1,000,000).
func BenchmarkSummaryIdle(b *testing.B) {
	n := benchN(b, 10000)
	now := time.Date(2026, 11, 14, 12, 0, 0, 0, time.UTC)
	eachBenchDB(b, fmt.Sprintf("subscribers=%d", n), func(b *testing.B, d benchDB) {
		d.seedSubscribers(b, n, time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
		clock := steady.NewManualClock(now)
		svc, err := New(Config{Store: d.db, Sender: messages.NewPreviewSender(d.db, clock), Links: benchLinks(b, clock), Clock: clock})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		if err := svc.RunOnce(ctx, now); err != nil { // the first pass reads a whole incident window
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			if err := svc.RunOnce(ctx, now.Add(time.Duration(i+1)*time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/pass")
	})
}

// BenchmarkMonthlySummaries builds and sends, through the real SMTP
// sender to an in-process SMTP server, the November summaries of
// STEADY_BENCH_N subscribers (default 500) with 20 replies each.
func BenchmarkMonthlySummaries(b *testing.B) {
	n := benchN(b, 500)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	eachBenchDB(b, fmt.Sprintf("subscribers=%d", n), func(b *testing.B, d benchDB) {
		d.seedSubscribers(b, n, time.Time{})
		d.seedReplies(b, 20)
		srv := smtptest.Start(b)
		sender, err := messages.NewSMTPSender(messages.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: messages.TLSNone},
			"Steady <steady@steady.example>")
		if err != nil {
			b.Fatal(err)
		}
		clock := steady.NewManualClock(now)
		workers, _ := strconv.Atoi(os.Getenv("STEADY_BENCH_WORKERS")) // 0: the default
		svc, err := New(Config{Store: d.db, Sender: sender, Links: benchLinks(b, clock), Clock: clock, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		var elapsed, cpu time.Duration
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			if _, err := d.raw.ExecContext(ctx, "DELETE FROM summaries"); err != nil {
				b.Fatal(err)
			}
			if _, err := d.raw.ExecContext(ctx, d.rebind("UPDATE subscribers SET next_summary_at = ?"), d.ts(time.Unix(0, 0))); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start, cpu0 := time.Now(), cputime.Used()
			if err := svc.RunOnce(ctx, now); err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(start)
			cpu += cputime.Used() - cpu0
		}
		var sent int
		if err := d.raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM summaries WHERE status = 'sent'").Scan(&sent); err != nil || sent != n {
			b.Fatalf("%d summaries sent, want %d (%v)", sent, n, err)
		}
		b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "summaries/s")
		// CPU time of the whole process (the SMTP server and, on SQLite,
		// the database included): what a machine shared with other work
		// inflates less than wall-clock time.
		if cpu > 0 {
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n*b.N), "cpu-ms/summary")
		}
	})
}

// BenchmarkMonthReplies reads, a batch of 200 at a time as the summary
// pass does, the November replies of STEADY_BENCH_N subscribers (default
// 2,000) with 20 replies each: the query, the scanning, the opening of
// the sealed bodies and of the stored flags.
func BenchmarkMonthReplies(b *testing.B) {
	n := benchN(b, 2000)
	from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	eachBenchDB(b, fmt.Sprintf("subscribers=%d", n), func(b *testing.B, d benchDB) {
		d.seedSubscribers(b, n, time.Time{})
		d.seedReplies(b, 20)
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		cpu0 := cputime.Used()
		for b.Loop() {
			for start := 0; start < n; start += 200 {
				rs, err := d.db.MonthReplies(ctx, ids[start:min(start+200, n)], from, to)
				if err != nil || len(rs) != 20*(min(start+200, n)-start) {
					b.Fatalf("%d replies (%v)", len(rs), err)
				}
			}
		}
		if cpu := cputime.Used() - cpu0; cpu > 0 {
			b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu-µs/subscriber")
		}
	})
}
