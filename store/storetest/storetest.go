// Package storetest gives tests a real, migrated store.DB: a SQLite file in
// t.TempDir(), and a PostgreSQL schema of its own when TEST_DATABASE_URL is
// set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable).
//
// Every DB it opens seals the subscriber's words with a random key of its
// own (Keyring), as steady serve does, unless the test passes its own
// store.WithKeyring to Open.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/sealed"
	"github.com/steadyapp/steady/store"
)

// EnvURL names the environment variable holding the PostgreSQL test URL.
const EnvURL = "TEST_DATABASE_URL"

// Each runs fn as the subtests "sqlite" and "postgres", each with a fresh
// migrated database. The postgres subtest is skipped without TEST_DATABASE_URL.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachURL runs fn as the subtests "sqlite" and "postgres" with the URL of
// an empty, unmigrated database: a file path under t.TempDir(), or a fresh
// PostgreSQL schema (skipped without TEST_DATABASE_URL). For tests of
// migrations and of the whole program, which open the database themselves.
func EachURL(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "steady.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURL(t)) })
}

// SQLite returns a migrated database in a file under t.TempDir(), closed
// when the test ends.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "steady.db"))
}

// Postgres returns a migrated database in a new schema of the database at
// TEST_DATABASE_URL, dropped when the test ends; it skips the test when the
// variable is unset.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

// PostgresURL creates an empty schema in the database at TEST_DATABASE_URL,
// drops it when the test ends, and returns a URL whose connections use it
// (for tests that run the whole program). It skips the test when the
// variable is unset.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Skip(EnvURL + " is not set; skipping PostgreSQL")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvURL, err)
	}
	schema := "steady_test_" + randomHex(t)

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("storetest: drop schema: %v", err)
		}
	})

	// pgx passes unknown URL parameters to the server as run-time
	// parameters, so every pooled connection gets this search_path.
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Keyring returns a Keyring of one new random key.
func Keyring(t testing.TB) *sealed.Keyring {
	t.Helper()
	k, err := sealed.New(sealed.Generate())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Open opens and migrates the database at url (as EachURL gives), closing
// it when the test ends. It seals with a random key unless opts hold a
// store.WithKeyring.
func Open(t testing.TB, url string, opts ...store.Option) *store.DB {
	t.Helper()
	return open(t, url, opts...)
}

// open opens and migrates url, closing it when the test ends (before any
// cleanup registered earlier, such as dropping the schema).
func open(t testing.TB, url string, opts ...store.Option) *store.DB {
	t.Helper()
	ctx := context.Background()
	opts = append([]store.Option{store.WithKeyring(Keyring(t))}, opts...)
	db, err := store.Open(ctx, url, opts...)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("storetest: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return db
}

func randomHex(t testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return hex.EncodeToString(b)
}

// Claim claims every delivery queued and due at now, as a dispatcher would
// one by one, with leases of a minute, and returns the claims oldest first.
func Claim(t testing.TB, db *store.DB, now time.Time) []store.Claim {
	t.Helper()
	var cs []store.Claim
	for {
		c, err := db.ClaimNext(context.Background(), now, now.Add(time.Minute))
		if errors.Is(err, steady.ErrNotFound) {
			return cs
		}
		if err != nil {
			t.Fatalf("storetest: claim: %v", err)
		}
		cs = append(cs, c)
	}
}

// SQLiteFilesContaining names those of the SQLite database file at path,
// its -wal, -shm and -journal whose raw bytes contain words: for tests
// that what was erased is gone from the disk.
func SQLiteFilesContaining(t testing.TB, path, words string) []string {
	t.Helper()
	var found []string
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		raw, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(words)) {
			found = append(found, filepath.Base(p))
		}
	}
	return found
}
