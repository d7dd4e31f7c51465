package summary

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// eachRaw runs fn on SQLite and PostgreSQL with a migrated database and a
// plain connection to the same one, for changing rows behind the store's
// back.
func eachRaw(t *testing.T, fn func(t *testing.T, db *store.DB, exec func(q string, args ...any))) {
	t.Helper()
	run := func(t *testing.T, url, driver string, pg bool) {
		db := storetest.Open(t, url)
		dsn := url
		raw, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		fn(t, db, func(q string, args ...any) {
			t.Helper()
			if pg {
				for i := 1; strings.Contains(q, "?"); i++ {
					q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
				}
			}
			if _, err := raw.Exec(q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		})
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "steady.db"), "sqlite", false) })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresURL(t), "pgx", true) })
}

// subscribeAtTime subscribes address in zone, prompted daily at hh:mm.
func (b *bundle) subscribeAtTime(t *testing.T, address, zone string, hh, mm int) steady.Subscriber {
	t.Helper()
	return b.subscribeMinute(t, address, zone, hh, mm, steady.ChannelEmail, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
}

// Stepping the clock through three month ends, each subscriber gets each
// month's summary exactly once, on the 1st in their own zone, no earlier
// than their prompt time and within one step of it: New York at 01:30 on
// 1 November 2026 (the clocks go back at 02:00, so 01:30 comes twice),
// Lord Howe (half-hour DST from 4 October), Auckland (already in DST),
// Kolkata at 23:45 (the 1st ends before UTC's), London.
func TestSummaryDueOnceAcrossDSTAndMonthEnds(t *testing.T) {
	t.Parallel()
	type who struct {
		zone   string
		hh, mm int
	}
	people := []who{{"America/New_York", 1, 30}, {"Australia/Lord_Howe", 2, 15}, {"Pacific/Auckland", 7, 0},
		{"Asia/Kolkata", 23, 45}, {"Europe/London", 8, 0}, {"America/Los_Angeles", 0, 0}}
	const step = 15 * time.Minute
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
		svc := b.service(t)
		var subs []steady.Subscriber
		for i, p := range people {
			sub := b.subscribeAtTime(t, fmt.Sprintf("dst%d@example.org", i), p.zone, p.hh, p.mm)
			for _, m := range []time.Month{time.September, time.October, time.November} {
				b.reply(t, sub, time.Date(2026, m, 15, 12, 0, 0, 0, time.UTC), "he lied to me again")
			}
			subs = append(subs, sub)
		}
		ctx := context.Background()
		for _, m := range []time.Month{time.October, time.November, time.December} {
			end := time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)
			for now := end.Add(-3 * 24 * time.Hour); now.Before(end.Add(4 * 24 * time.Hour)); now = now.Add(step) {
				b.clock.Set(now)
				if err := svc.RunOnce(ctx, now); err != nil {
					t.Fatalf("at %s: %v", now, err)
				}
			}
		}
		for i, sub := range subs {
			loc, _ := time.LoadLocation(people[i].zone)
			recs, err := db.Summaries(ctx, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			var months []string
			for _, r := range recs {
				months = append(months, r.Month)
				m, _ := ParseMonth(r.Month)
				due := time.Date(m.Next().Year, m.Next().Month, 1, people[i].hh, people[i].mm, 0, 0, loc)
				if r.CreatedAt.Before(due) || r.CreatedAt.Sub(due) >= step {
					t.Errorf("%s: %s summary made at %s, due %s", people[i].zone, r.Month, r.CreatedAt.In(loc), due)
				}
			}
			if want := []string{"2026-09", "2026-10", "2026-11"}; !reflect.DeepEqual(months, want) {
				t.Errorf("%s: summaries %v, want %v", people[i].zone, months, want)
			}
			if n := len(b.previews(t, sub.Address)); n != 3 {
				t.Errorf("%s: %d messages sent, want 3", people[i].zone, n)
			}
		}
	})
}

// TestNextSummaryAt: the next time is the first instant DueMonth turns
// true for a new month.
func TestNextSummaryAt(t *testing.T) {
	t.Parallel()
	for _, zone := range []string{"America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "Asia/Kolkata", "UTC"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, hm := range [][2]int{{0, 0}, {1, 30}, {2, 30}, {23, 59}} {
			sub := steady.Subscriber{TimeZone: zone, Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: hm[0], Minute: hm[1]}}
			for now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); now.Year() == 2026; now = now.Add(47 * time.Hour) {
				next := NextSummaryAt(sub, loc, now)
				if !next.After(now) {
					t.Fatalf("%s %v at %s: next %s is not after now", zone, hm, now, next)
				}
				m, due := dueMonth(sub, loc, next)
				if !due {
					t.Errorf("%s %v at %s: nothing due at next %s", zone, hm, now, next.In(loc))
				}
				if before, was := dueMonth(sub, loc, next.Add(-time.Minute)); was && before == m {
					t.Errorf("%s %v: %s already due a minute before %s", zone, hm, m, next.In(loc))
				}
			}
		}
	}
}

// failingNext is the store of a process that dies after sending a batch
// and before moving its subscribers' times on.
type failingNext struct {
	*store.DB
	mu    sync.Mutex
	fails int
}

func (f *failingNext) SetNextSummaries(ctx context.Context, next map[int64]time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("killed")
	}
	return f.DB.SetNextSummaries(ctx, next)
}

// A pass that stops after a batch is sent, before the batch's times are
// stored, neither loses nor doubles a summary: the next process finds the
// sent ones claimed and sends the rest.
func TestSummaryCrashMidBatch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		var subs []steady.Subscriber
		for i := range 7 {
			sub := b.subscribe(t, fmt.Sprintf("crash%d@example.org", i), "Europe/London", 8, steady.ChannelEmail)
			b.reply(t, sub, time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), "he lied to me again")
			subs = append(subs, sub)
		}
		ctx := context.Background()
		dying, err := New(Config{Store: &failingNext{DB: db, fails: 1}, Sender: messages.NewPreviewSender(db, b.clock), Links: b.links, Clock: b.clock, Batch: 3, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := dying.RunOnce(ctx, now); err == nil {
			t.Fatal("the dying pass reported no error")
		}
		sent := 0
		for _, sub := range subs {
			sent += len(b.previews(t, sub.Address))
		}
		if sent != 3 {
			t.Fatalf("%d sent before the crash, want the first batch of 3", sent)
		}
		for _, at := range []time.Time{now, now.Add(time.Minute), now.Add(24 * time.Hour)} {
			if err := b.service(t).RunOnce(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
		for _, sub := range subs {
			if n := len(b.previews(t, sub.Address)); n != 1 {
				t.Errorf("subscriber %d: %d summaries sent, want 1", sub.ID, n)
			}
		}
	})
}

// Flags stored when a reply arrives are what the summary uses; flags of
// another analyser version are not: the reply is analysed again.
func TestStaleAnalyserVersionIsReanalysed(t *testing.T) {
	t.Parallel()
	eachRaw(t, func(t *testing.T, db *store.DB, exec func(string, ...any)) {
		b := setup(t, db, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
		svc := b.service(t)
		sub := b.subscribe(t, "stale@example.org", "Europe/London", 8, steady.ChannelEmail)
		b.reply(t, sub, time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), "he lied to me again")
		ctx := context.Background()
		nov := Month{2026, time.November}
		fresh, err := svc.BuildFor(ctx, sub, nov)
		if err != nil {
			t.Fatal(err)
		}
		if fresh.Trend.Red != 1 || len(fresh.Once) != 1 {
			t.Fatalf("fresh summary: %d red flags, once %v; want one", fresh.Trend.Red, fresh.Once)
		}
		// Stored flags of the current version are used as they are ...
		exec(`UPDATE replies SET flags = '[]' WHERE subscriber_id = ?`, sub.ID)
		if d, err := svc.BuildFor(ctx, sub, nov); err != nil || d.Trend.Red != 0 {
			t.Fatalf("with no stored flags: %d red flags (%v), want the stored none", d.Trend.Red, err)
		}
		// ... and those of another version are not.
		exec(`UPDATE replies SET analysis_version = 0 WHERE subscriber_id = ?`, sub.ID)
		stale, err := svc.BuildFor(ctx, sub, nov)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(stale, fresh) {
			t.Errorf("re-analysed summary differs:\n%+v\nwant\n%+v", stale, fresh)
		}
	})
}

// A subscriber who moves zone between passes gets the summary at the new
// zone's time, not the old one's: a new zone or schedule has the next
// summary time worked out again.
func TestSummaryFollowsANewTimeZone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mid := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
		b := setup(t, db, mid)
		svc := b.service(t)
		ctx := context.Background()
		sub := b.subscribe(t, "mover@example.org", "Europe/London", 8, steady.ChannelEmail)
		b.reply(t, sub, time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), "he lied to me again")
		if err := svc.RunOnce(ctx, mid); err != nil { // next: 1 December, 08:00 London
			t.Fatal(err)
		}
		if _, err := db.SetSchedule(ctx, sub.ID, "Pacific/Auckland", sub.Schedule,
			func(steady.Subscriber) (time.Time, error) { return mid.Add(24 * time.Hour), nil }); err != nil {
			t.Fatal(err)
		}
		// 08:00 on 1 December in Auckland is 19:00 UTC on 30 November.
		at := time.Date(2026, 11, 30, 19, 0, 0, 0, time.UTC)
		for _, now := range []time.Time{mid.Add(time.Minute), at} {
			b.clock.Set(now)
			if err := svc.RunOnce(ctx, now); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(b.previews(t, sub.Address)); n != 1 {
			t.Errorf("%d summaries sent at 08:00 in Auckland, want 1", n)
		}
	})
}
