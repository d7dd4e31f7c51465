package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A new subscriber is due at once (next_summary_at not worked out yet);
// once their time is set they are not due until it comes.
func TestSummariesDue(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 14, 12, 0, 0, 0, time.UTC)
		a := active(t, db, "due-a@example.org", now.Add(time.Hour))
		b := active(t, db, "due-b@example.org", now.Add(time.Hour))
		due, err := db.SummariesDue(ctx, now, 10)
		if err != nil || len(due) != 2 {
			t.Fatalf("new subscribers: %d due (%v), want 2", len(due), err)
		}
		// The batch being sent is left out of the read of the next one.
		due, err = db.SummariesDue(ctx, now, 10, a.ID)
		if err != nil || len(due) != 1 || due[0].ID != b.ID {
			t.Fatalf("except %d: due %v (%v), want only %d", a.ID, due, err, b.ID)
		}
		next := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		if err := db.SetNextSummaries(ctx, map[int64]time.Time{a.ID: next, b.ID: next.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			at   time.Time
			want []int64
		}{{now, nil}, {next.Add(-time.Microsecond), nil}, {next, []int64{a.ID}}, {next.Add(2 * time.Hour), []int64{a.ID, b.ID}}} {
			due, err := db.SummariesDue(ctx, c.at, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, s := range due {
				got = append(got, s.ID)
			}
			if len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) {
				t.Errorf("at %s: due %v, want %v (earliest first)", c.at, got, c.want)
			}
		}
		page, err := db.SubscribersPage(ctx, steady.StatusActive, a.ID, 10)
		if err != nil || len(page) != 1 || page[0].ID != b.ID {
			t.Errorf("page after %d: %v (%v), want subscriber %d", a.ID, page, err, b.ID)
		}
	})
}

// On PostgreSQL the due query is an index scan even as a generic plan on
// a table never analysed: the cached-plan trap of issue 14 cannot turn
// the idle minute into a sequential scan.
func TestSummariesDueUsesTheIndex(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	storetest.Open(t, url)
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{`SET plan_cache_mode = force_generic_plan`,
		`PREPARE due (timestamptz, int) AS SELECT id FROM subscribers WHERE next_summary_at <= $1 ORDER BY next_summary_at LIMIT $2`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := conn.QueryContext(ctx, `EXPLAIN EXECUTE due (now(), 200)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if p := strings.Join(plan, "\n"); !strings.Contains(p, "subscribers_next_summary") || strings.Contains(p, "Seq Scan") {
		t.Errorf("due query plan:\n%s", p)
	}
}
