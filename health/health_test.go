package health_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/health"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

var (
	_ health.Pinger        = (*store.DB)(nil)
	_ health.SchemaChecker = (*store.DB)(nil)
)

// readyz GETs /readyz from a server of c and returns the status and body.
func readyz(t *testing.T, c *health.Checker) (int, string) {
	t.Helper()
	srv := httptest.NewServer(c)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// rawDB opens the same database as the store, to break it behind the
// store's back as an operator (or a newer Steady) would.
func rawDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(url, "postgres") {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func exec(t *testing.T, raw *sql.DB, query string) {
	t.Helper()
	if _, err := raw.ExecContext(context.Background(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestReadyzFollowsTheDatabase: ready on a migrated database; 503 with
// the reason when its schema is behind or ahead of this program, and when
// the database is gone.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, url string) {
		db := storetest.Open(t, url)
		c, err := health.New(health.Config{Checks: []health.Check{health.Database(db, nil), health.Schema(db)}, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if status, body := readyz(t, c); status != http.StatusOK || body != "ready\n" {
			t.Fatalf("migrated: %d %q, want 200 ready", status, body)
		}
		raw := rawDB(t, url)
		var latest int
		if err := raw.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&latest); err != nil {
			t.Fatal(err)
		}

		// Behind: the latest migration is not applied.
		exec(t, raw, `DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`)
		status, body := readyz(t, c)
		if status != http.StatusServiceUnavailable || !strings.HasPrefix(body, "schema: migrations are pending") || !strings.Contains(body, "steady migrate") {
			t.Errorf("schema behind: %d %q", status, body)
		}
		// Ahead: a newer Steady migrated it.
		exec(t, raw, `INSERT INTO schema_migrations (version, applied_at) SELECT MAX(version) + 1, MAX(applied_at) FROM schema_migrations`)
		exec(t, raw, `INSERT INTO schema_migrations (version, applied_at) SELECT MAX(version) + 1, MAX(applied_at) FROM schema_migrations`)
		status, body = readyz(t, c)
		if status != http.StatusServiceUnavailable || !strings.HasPrefix(body, "schema: the database was migrated by a newer Steady") {
			t.Errorf("schema ahead: %d %q", status, body)
		}
		// Back to what this program expects.
		exec(t, raw, `DELETE FROM schema_migrations WHERE version > `+strconv.Itoa(latest))
		if status, body := readyz(t, c); status != http.StatusOK {
			t.Fatalf("schema restored: %d %q", status, body)
		}

		// Gone: the store's connections are closed.
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		status, body = readyz(t, c)
		if status != http.StatusServiceUnavailable || !strings.Contains(body, "database: the query failed") {
			t.Errorf("database closed: %d %q", status, body)
		}
		// One line per failed check, naming no server or user.
		if strings.Count(body, "\n") != 2 || strings.Contains(body, "127.0.0.1") || strings.Contains(body, "postgres@") {
			t.Errorf("database closed: body %q, want two plain lines", body)
		}
	})
}

// TestReadyzSchemaTableGone: the table of applied migrations is dropped
// under a running server (PostgreSQL, where the connection stays up).
func TestReadyzSchemaTableGone(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	db := storetest.Open(t, url)
	c, err := health.New(health.Config{Checks: []health.Check{health.Database(db, nil), health.Schema(db)}})
	if err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, url)
	exec(t, raw, `DROP TABLE schema_migrations`)
	status, body := readyz(t, c)
	if status != http.StatusServiceUnavailable || body != "schema: the schema version could not be read\n" {
		t.Errorf("schema table gone: %d %q", status, body)
	}
}
