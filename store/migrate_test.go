package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestMigrateTwiceIsNoOp(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for range 2 {
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.CheckSchema(ctx); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestSchemaTooNewIsRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.ExecForTest(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (999, ?)`, t0); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); !errors.Is(err, steady.ErrSchemaTooNew) {
			t.Errorf("Migrate = %v, want ErrSchemaTooNew", err)
		}
		if err := db.CheckSchema(ctx); !errors.Is(err, steady.ErrSchemaTooNew) {
			t.Errorf("CheckSchema = %v, want ErrSchemaTooNew", err)
		}
	})
}

func TestCheckSchemaUnmigrated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "fresh.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Dialect() != "sqlite" {
		t.Errorf("Dialect = %q", db.Dialect())
	}
	if err := db.CheckSchema(ctx); err == nil {
		t.Fatal("CheckSchema on an empty database succeeded")
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.ExecForTest(ctx, `DELETE FROM schema_migrations`); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckSchema(ctx); err == nil || errors.Is(err, steady.ErrSchemaTooNew) {
		t.Fatalf("CheckSchema with pending migrations = %v", err)
	}
}

// Processes migrating the same database at once take turns.
func TestConcurrentMigrate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "race.db") }},
		{"postgres", func(t *testing.T) string { return storetest.PostgresURL(t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := tt.url(t)
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 4 {
				wg.Go(func() {
					db, err := store.Open(ctx, url)
					if err != nil {
						errs <- err
						return
					}
					defer db.Close()
					if err := db.Migrate(ctx); err != nil {
						errs <- err
						return
					}
					errs <- db.CheckSchema(ctx)
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestOpenPostgresDialect(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	if db.Dialect() != "postgres" {
		t.Errorf("Dialect = %q", db.Dialect())
	}
}

// A path with characters that mean something in a URI is still a path.
func TestOpenOddPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "my data", "a%20b#c?.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at %q: %v", path, err)
	}
}

// Migrate says how many migrations it applied, and none the second time.
func TestMigrateCount(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.MigrateToForTest(ctx, 2); err != nil {
			t.Fatal(err)
		}
		n, err := db.MigrateCount(ctx)
		if err != nil || n < 3 {
			t.Fatalf("MigrateCount after version 2 = %d, %v; want the rest (at least 3)", n, err)
		}
		if n, err := db.MigrateCount(ctx); n != 0 || err != nil {
			t.Fatalf("MigrateCount again = %d, %v; want 0", n, err)
		}
	})
}

// A fresh SQLite file is switched to WAL once, by Open.
func TestOpenUsesWAL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "wal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if mode, err := db.JournalModeForTest(ctx); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q, %v; want wal", mode, err)
	}
}

// Migration 0005 lower-cases stored email addresses, except where two rows
// would then collide; those are left as they were.
func TestMigrationLowerCasesEmails(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.MigrateToForTest(ctx, 4); err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		for i, addr := range []string{"Bob@Example.org", "carol@example.org", "Dave@example.org", "dave@example.org",
			"Erin@example.org", "ERIN@example.org"} {
			ids[addr] = oldSubscriber(t, db, int64(101+i), steady.ChannelEmail, addr)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for addr, want := range map[string]string{
			"Bob@Example.org":   "bob@example.org",
			"carol@example.org": "carol@example.org",
			"Dave@example.org":  "Dave@example.org", // collides with dave@: left alone
			"dave@example.org":  "dave@example.org",
			"Erin@example.org":  "Erin@example.org", // both would become erin@: both left alone
			"ERIN@example.org":  "ERIN@example.org",
		} {
			if got := mustSubscriber(t, db, ids[addr]).Address; got != want {
				t.Errorf("%s became %s, want %s", addr, got, want)
			}
		}
	})
}

// Migration 0006: deliveries an older version left sending are taken back
// by the next worker: an email goes back to the queue (the old batch claim
// had most of them never tried), a text counts as in flight and is unknown.
func TestMigrationTakesBackOldSendingDeliveries(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.MigrateToForTest(ctx, 5); err != nil {
			t.Fatal(err)
		}
		email := oldSubscriber(t, db, 101, steady.ChannelEmail, "old@example.org")
		sms := oldSubscriber(t, db, 102, steady.ChannelSMS, "+447700900123")
		for i, id := range []int64{email, sms} {
			ch := []string{"email", "sms"}[i]
			if err := db.ExecForTest(ctx, `INSERT INTO deliveries (subscriber_id, kind, channel, slot, prompt_id, theme,
				prompt_text, status, attempts, next_attempt_at, provider_id, last_error, created_at, updated_at)
				VALUES (?, 'confirm', ?, ?, '', '', '', 'queued', 0, ?, '', '', ?, ?)`,
				id, ch, oldTime(t0), oldTime(t0), oldTime(t0), oldTime(t0)); err != nil {
				t.Fatal(err)
			}
		}
		// What the old dispatcher left behind: claimed, one attempt, sending.
		if err := db.ExecForTest(ctx, `UPDATE deliveries SET status = 'sending', attempts = 1, updated_at = ?`, t0.UTC().Format(time.RFC3339Nano)); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		r, err := db.RecoverLeases(ctx, t0.Add(time.Minute))
		if err != nil || r.Requeued != 1 || r.Unknown != 1 {
			t.Fatalf("RecoverLeases = %+v, %v; want the email requeued, the text unknown", r, err)
		}
		if d := mustDeliveries(t, db, email)[0]; d.Status != steady.DeliveryQueued {
			t.Errorf("old email: %s, want queued", d.Status)
		}
		if d := mustDeliveries(t, db, sms)[0]; d.Status != steady.DeliveryUnknown {
			t.Errorf("old text: %s, want unknown", d.Status)
		}
	})
}

// oldSubscriber inserts a pending subscriber row as an older schema holds
// it, with SQL rather than the store's calls, which read and write the
// current schema's columns. It returns id.
func oldSubscriber(t *testing.T, db *store.DB, id int64, ch steady.Channel, address string) int64 {
	t.Helper()
	if err := db.ExecForTest(context.Background(), `INSERT INTO subscribers (id, channel, address, timezone, schedule, status, created_at)
		VALUES (?, ?, ?, 'Europe/London', ?, 'pending', ?)`, id, string(ch), address, daily(20, 30).String(), oldTime(t0)); err != nil {
		t.Fatal(err)
	}
	return id
}

// oldTime is t in the layout both schemas read.
func oldTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
