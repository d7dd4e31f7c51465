package store

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
)

// readStmts keeps SQLite's read-pool statements for readOne prepared:
// modernc.org/sqlite parses a query's text on every call otherwise, and
// the subscriber check runs before every message sent. A statement
// prepared on the pool is prepared again by database/sql on each
// connection the first time it runs there. PostgreSQL needs none: pgx
// caches prepared statements per connection itself.
type readStmts struct {
	db    *sqlx.DB
	mu    sync.Mutex
	stmts map[string]*sqlx.Stmt
}

func newReadStmts(db *sqlx.DB) *readStmts {
	return &readStmts{db: db, stmts: make(map[string]*sqlx.Stmt)}
}

// stmt is query (already rebound) prepared, or nil when it cannot be.
func (r *readStmts) stmt(ctx context.Context, query string) *sqlx.Stmt {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.stmts[query]; ok {
		return s
	}
	if len(r.stmts) >= maxCachedStmts {
		return nil
	}
	s, err := r.db.PreparexContext(ctx, query)
	if err != nil {
		return nil // running it unprepared reports why
	}
	r.stmts[query] = s
	return s
}

func (r *readStmts) close() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for q, s := range r.stmts {
		_ = s.Close()
		delete(r.stmts, q)
	}
}

// readOne runs one read-only statement that fills dest, on the read pool
// and outside any transaction (one statement sees one snapshot), or in
// the transaction of an Atomically call that ctx carries. It is for reads
// on every message's path: a transaction around it would cost a BEGIN
// and a COMMIT more, and on PostgreSQL a round trip each.
func (db *DB) readOne(ctx context.Context, dest any, query string, args ...any) error {
	if _, ok := ctx.Value(txKey{db}).(*tx); ok {
		t, err := db.beginRead(ctx)
		if err != nil {
			return err
		}
		return t.get(ctx, dest, query, args...)
	}
	query = db.read.Rebind(query)
	if s := db.readStmts.stmt(ctx, query); s != nil {
		return s.GetContext(ctx, dest, cleanArgs(args)...)
	}
	return db.read.GetContext(ctx, dest, query, cleanArgs(args)...)
}

// readAll is readOne for a statement that fills the slice dest with
// several rows.
func (db *DB) readAll(ctx context.Context, dest any, query string, args ...any) error {
	if _, ok := ctx.Value(txKey{db}).(*tx); ok {
		t, err := db.beginRead(ctx)
		if err != nil {
			return err
		}
		return t.sel(ctx, dest, query, args...)
	}
	query = db.read.Rebind(query)
	if s := db.readStmts.stmt(ctx, query); s != nil {
		return s.SelectContext(ctx, dest, cleanArgs(args)...)
	}
	return db.read.SelectContext(ctx, dest, query, cleanArgs(args)...)
}
