package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	_ "modernc.org/sqlite"             // registers driver "sqlite"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// database is one empty database for a serve run: a SQLite file, or a
// schema of its own in the PostgreSQL database at TEST_DATABASE_URL.
type database struct {
	url      string
	postgres bool
	drop     func() // removes the schema (PostgreSQL)
}

func newDatabase(ctx context.Context, kind, dir, pgURL, name string) (*database, error) {
	if kind == "sqlite" {
		return &database{url: filepath.Join(dir, name+".db"), drop: func() {}}, nil
	}
	u, err := url.Parse(pgURL)
	if err != nil {
		return nil, fmt.Errorf("TEST_DATABASE_URL: %w", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "steady_bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", pgURL)
	if err != nil {
		return nil, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return &database{url: u.String(), postgres: true, drop: func() {
		defer admin.Close()
		_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	}}, nil
}

// seed migrates the database through the store and bulk-inserts n active,
// confirmed email subscribers on a daily schedule whose next slot is slot
// (in the past: all due at serve's first tick; in the future: idle). The
// store's own sign-up path is two transactions a subscriber and queues a
// confirmation each, far too slow for a million; the rows are the ones the
// chaos test's seed checks against the store's (chaos/seed_test.go), bar
// the consent records, which serve never reads in bulk.
func (d *database) seed(ctx context.Context, n int, slot time.Time) error {
	db, err := store.Open(ctx, d.url)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	db.Close()

	raw, err := d.open()
	if err != nil {
		return err
	}
	defer raw.Close()
	slot = slot.UTC().Truncate(time.Minute)
	sched := steady.Schedule{Cadence: steady.CadenceDaily, Hour: slot.Hour(), Minute: slot.Minute()}.String()
	created := time.Now().UTC().Add(-time.Hour).Truncate(time.Microsecond)
	confirmed := created.Add(time.Minute)
	const rows, perTx = 1000, 50000
	for from := 0; from < n; from += perTx {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for b := from; b < min(from+perTx, n); b += rows {
			var sb strings.Builder
			sb.WriteString(`INSERT INTO subscribers (channel, address, timezone, schedule, status, next_slot,
				confirm_sent_at, created_at, confirmed_at) VALUES `)
			args := make([]any, 0, 9*rows)
			for i := b; i < min(b+rows, n); i++ {
				if i > b {
					sb.WriteString(", ")
				}
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, string(steady.ChannelEmail), fmt.Sprintf("bench-%07d@example.org", i+1), "UTC", sched,
					string(steady.StatusActive), d.ts(slot), d.ts(created), d.ts(created), d.ts(confirmed))
			}
			if _, err := tx.ExecContext(ctx, d.q(sb.String()), args...); err != nil {
				tx.Rollback()
				return fmt.Errorf("seed subscribers: %w", err)
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	if d.postgres {
		_, err = raw.ExecContext(ctx, "ANALYZE subscribers")
	}
	return err
}

func (d *database) open() (*sql.DB, error) {
	if d.postgres {
		return sql.Open("pgx", d.url)
	}
	return sql.Open("sqlite", "file:"+d.url+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
}

// ts is a time as the store writes it (store/time.go).
func (d *database) ts(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d.postgres {
		return t
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}

// q rebinds ? placeholders to $1, $2… for PostgreSQL.
func (d *database) q(query string) string {
	if !d.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
