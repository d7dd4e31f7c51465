package store

import (
	"context"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
)

// maxCachedStmts bounds a stmtCache: queries built with a varying number
// of placeholders would otherwise grow it without end.
const maxCachedStmts = 512

// stmtCache keeps the SQLite writer's statements prepared:
// modernc.org/sqlite parses a query's text on every call otherwise (about
// a fifth of the webhook's CPU). PostgreSQL needs none: pgx caches
// prepared statements per connection itself.
//
// The writer has one connection, which the transaction asking for a
// statement holds, so a query seen for the first time runs unprepared
// and is only noted; the committer prepares the noted queries between
// batches, when the connection is free.
type stmtCache struct {
	db     *sqlx.DB
	mu     sync.Mutex
	stmts  map[string]*sqlx.Stmt
	wanted map[string]bool
}

func newStmtCache(db *sqlx.DB) *stmtCache {
	return &stmtCache{db: db, stmts: make(map[string]*sqlx.Stmt), wanted: make(map[string]bool)}
}

// stmt is query (already rebound) prepared for t, or nil when it is not
// prepared yet (it is then noted for prepareWanted), the cache is full or
// the text holds several statements.
func (c *stmtCache) stmt(ctx context.Context, t *sqlx.Tx, query string) *sqlx.Stmt {
	if c == nil || strings.Contains(query, ";") {
		return nil
	}
	c.mu.Lock()
	s, ok := c.stmts[query]
	if !ok && len(c.stmts)+len(c.wanted) < maxCachedStmts {
		c.wanted[query] = true
	}
	c.mu.Unlock()
	if s == nil {
		return nil
	}
	return t.StmtxContext(ctx, s)
}

// prepareWanted prepares the queries noted since the last call. A query
// that fails to prepare is not tried again (running it reports why).
func (c *stmtCache) prepareWanted(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	var queries []string
	for q := range c.wanted {
		queries = append(queries, q)
	}
	c.mu.Unlock()
	if len(queries) == 0 {
		return
	}
	prepared := make(map[string]*sqlx.Stmt, len(queries))
	for _, q := range queries {
		if s, err := c.db.PreparexContext(ctx, q); err == nil {
			prepared[q] = s
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, q := range queries {
		delete(c.wanted, q)
		if s := prepared[q]; s != nil {
			if old := c.stmts[q]; old != nil {
				// Prepared by another caller meanwhile: keep one.
				_ = s.Close()
				continue
			}
			c.stmts[q] = s
		} else {
			// Never prepared: it takes no place in the cache, and is
			// not noted again.
			c.stmts[q] = nil
		}
	}
}

// close closes every cached statement.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.stmts {
		if s != nil {
			s.Close()
		}
		delete(c.stmts, q)
	}
}
