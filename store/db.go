// Package store keeps Steady's data in SQLite (a file) or PostgreSQL.
//
// Every exported method is one transaction: it begins, defers a rollback,
// calls unexported (ctx, tx, ...) helpers and commits, so nothing ever
// half-commits. Atomically runs several exported calls in one transaction
// instead, committed or rolled back as a whole: each call made with the
// context Atomically gives joins it.
//
// Queries are plain SQL with ? placeholders, rebound for PostgreSQL; where
// the dialects differ, each has its own text (sqlite.go, postgres.go,
// migrations/<dialect>/). All times go in and come out as UTC, truncated
// to the microsecond; a zero time.Time is NULL.
//
// Errors wrap their cause. A missing row is an error wrapping
// steady.ErrNotFound, never a zero value with a nil error.
//
// The subscriber's own words (reply bodies, consent wording, summaries,
// preview messages) are sealed on write and opened on read with the
// Keyring given to Open (WithKeyring); see sealed_columns.go. Without one
// they are written as plaintext, and a sealed value read back is an
// error wrapping sealed.ErrNoKey.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/sealed"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	"modernc.org/sqlite"               // registers driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DB is Steady's database. Safe for concurrent use.
//
// On SQLite, db is the one writer connection: every transaction that may
// write queues for it in the pool (first come, first served) rather than
// in SQLite's busy-timeout sleeps, and read holds the read-only
// connections the methods that only read use, which WAL lets run beside
// the writer. On PostgreSQL both are the same pool, bounded by
// WithConnections.
type DB struct {
	db      *sqlx.DB
	read    *sqlx.DB
	dialect *dialect
	path    string // the SQLite file; "" on PostgreSQL
	keys    *sealed.Keyring
	// conns bounds the PostgreSQL pool and SQLite's read pool.
	conns int
	// synchronous is SQLite's PRAGMA synchronous for the writer.
	synchronous string
	// commits runs SQLite's Atomically calls in group commits; nil on
	// PostgreSQL.
	commits *committer
	// replies runs PostgreSQL's RecordReplyTo calls outside Atomically
	// in group commits; nil on SQLite.
	replies *replyBatcher
	// lookups runs PostgreSQL's SubscriberAndLatestPrompt calls outside
	// Atomically together; nil on SQLite.
	lookups *lookupBatcher
	// stmts keeps the SQLite writer's statements prepared, and readStmts
	// those of readOne on the read pool; nil on PostgreSQL.
	stmts     *stmtCache
	readStmts *readStmts
}

// Option changes how Open opens a database.
type Option func(*DB)

// WithKeyring seals the subscriber's words with k's current key and opens
// them with any of its keys. Without it nothing is sealed.
func WithKeyring(k *sealed.Keyring) Option {
	return func(db *DB) { db.keys = k }
}

// WithConnections bounds the connections Open keeps: PostgreSQL's pool,
// or SQLite's read-only pool (SQLite always has one writer). n < 1 means
// DefaultConnections.
func WithConnections(n int) Option {
	return func(db *DB) { db.conns = n }
}

// DefaultConnections is the pool size without WithConnections: twice the
// processors Go may use, plus two. More backends than that on the same
// machine mostly wait for each other.
func DefaultConnections() int { return 2*runtime.GOMAXPROCS(0) + 2 }

// SQLite's synchronous settings WithSQLiteSynchronous accepts.
const (
	// SynchronousFull syncs the WAL on every commit: a committed
	// transaction survives a power loss. The default.
	SynchronousFull = "FULL"
	// SynchronousNormal syncs the WAL only at checkpoints: a commit
	// survives the process crashing, but the last transactions before a
	// power loss or an operating-system crash may be lost.
	SynchronousNormal = "NORMAL"
)

// WithSQLiteSynchronous sets SQLite's PRAGMA synchronous for the writer:
// SynchronousFull (the default) or SynchronousNormal. Ignored on
// PostgreSQL.
func WithSQLiteSynchronous(mode string) Option {
	return func(db *DB) { db.synchronous = mode }
}

// Keyring is the Keyring given to Open, or nil.
func (db *DB) Keyring() *sealed.Keyring { return db.keys }

// Open connects to url: "postgres://…" or "postgresql://…" is PostgreSQL;
// anything else is the path of a SQLite file, created with mode 0600 if
// missing (an existing file keeps its mode; see LooseFiles). Open does
// not migrate; call Migrate or CheckSchema.
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	if url == "" {
		return nil, errors.New("store: open: no database given")
	}
	db := &DB{dialect: &sqliteDialect, synchronous: SynchronousFull}
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		db.dialect = &postgresDialect
	}
	for _, o := range opts {
		o(db)
	}
	if db.conns < 1 {
		db.conns = DefaultConnections()
	}
	d := db.dialect
	if d == &postgresDialect {
		if err := db.openPostgres(ctx, url); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", d.name, err)
		}
		db.replies = newReplyBatcher(db)
		db.lookups = newLookupBatcher(db)
		return db, nil
	}
	switch db.synchronous = strings.ToUpper(db.synchronous); db.synchronous {
	case SynchronousFull, SynchronousNormal:
	default:
		return nil, fmt.Errorf("store: open %s: synchronous %q is neither FULL nor NORMAL", d.name, db.synchronous)
	}
	if err := createSQLiteFile(url); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", d.name, err)
	}
	if err := db.openSQLite(ctx, url); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", d.name, err)
	}
	db.path = url
	db.stmts = newStmtCache(db.db)
	db.readStmts = newReadStmts(db.read)
	db.commits = newCommitter(db)
	return db, nil
}

// openPostgres opens one pool of at most db.conns connections, used for
// reads and writes alike.
func (db *DB) openPostgres(ctx context.Context, url string) error {
	sdb, err := sqlx.Open(db.dialect.driver, url)
	if err != nil {
		return err
	}
	sdb.SetMaxOpenConns(db.conns)
	sdb.SetMaxIdleConns(db.conns)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return err
	}
	db.db, db.read = sdb, sdb
	return nil
}

// openSQLite opens the one writer connection, switches the file to WAL,
// and opens the read-only pool beside it (for ":memory:", which is a new
// database per connection, the writer does the reads too).
func (db *DB) openSQLite(ctx context.Context, path string) error {
	w, err := sqlx.Open(db.dialect.driver, sqliteDSN(path, false, db.synchronous))
	if err != nil {
		return err
	}
	// One writer: a second connection could only wait for the write
	// lock, in SQLite's busy handler, which sleeps.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := retryBusy(ctx, func() error { return w.PingContext(ctx) }); err != nil {
		w.Close()
		return err
	}
	// WAL is a property of the file, so it is set once here rather than
	// by every new connection. Switching a fresh file to WAL needs an
	// exclusive lock and SQLite answers SQLITE_BUSY at once, without the
	// busy handler, when another process is doing the same (or recovering
	// the WAL), so it is retried.
	if err := retryBusy(ctx, func() error {
		_, err := w.ExecContext(ctx, `PRAGMA journal_mode = WAL`)
		return err
	}); err != nil {
		w.Close()
		return fmt.Errorf("setting WAL: %w", err)
	}
	db.db, db.read = w, w
	if path == ":memory:" {
		return nil
	}
	r, err := sqlx.Open(db.dialect.driver, sqliteDSN(path, true, ""))
	if err != nil {
		w.Close()
		return err
	}
	r.SetMaxOpenConns(db.conns)
	r.SetMaxIdleConns(db.conns)
	db.read = r
	return nil
}

// sqliteDSN turns a file path into a modernc.org/sqlite URI with a busy
// timeout, foreign keys on and secure_delete on. secure_delete makes SQLite
// overwrite deleted rows with zeros instead of leaving them in free space,
// so an erased subscriber's replies are not still in the file (Checkpoint
// clears the -wal file too). Open switches the file to WAL.
//
// The writer's transactions begin IMMEDIATE, taking the write lock at
// once, so another process's writer queues on the busy timeout instead of
// failing with "database is locked" when a read lock cannot be upgraded;
// synchronous is its PRAGMA synchronous. A reader (readOnly) is
// query_only, and its transactions begin DEFERRED: they take no write
// lock and, under WAL, read a snapshot beside the writer.
//
// The writer keeps its temporary files in memory (temp_store MEMORY):
// above all the sub-journal of the committer's savepoints (see
// committer), which holds the pages one Atomically call changed, and
// which once past 64 KiB SQLite otherwise spilled to a file for the rest
// of the transaction, a write system call for every page a call first
// touches (about 5% of the CPU of BenchmarkDispatch on SQLite).
//
// The writer's page cache is sqliteCacheKiB and each reader's
// sqliteReaderCacheKiB rather than SQLite's 2,000 KiB: the file's pages
// stay in the operating system's cache either way, and the smaller caches
// keep serve's resident set under 50 MB. A reader's cache is the smaller
// as it is emptied whenever the writer has committed since its last read
// (under WAL, SQLite resets a connection's cache when the file changed),
// which while serve sends is before nearly every read.
func sqliteDSN(path string, readOnly bool, synchronous string) string {
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	cache := sqliteCacheKiB
	if readOnly {
		cache = sqliteReaderCacheKiB
	}
	dsn := "file:" + escaped + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=secure_delete(1)" +
		"&_pragma=cache_size(-" + strconv.Itoa(cache) + ")"
	if readOnly {
		return dsn + "&_pragma=query_only(1)&_txlock=deferred"
	}
	return dsn + "&_pragma=synchronous(" + synchronous + ")&_pragma=temp_store(2)&_txlock=immediate"
}

// sqliteCacheKiB is the SQLite writer's page cache and
// sqliteReaderCacheKiB each reader's (see sqliteDSN).
const (
	sqliteCacheKiB       = 512
	sqliteReaderCacheKiB = 128
)

// busyRetries bounds retryBusy: 12 waits from 2 ms doubling to at most
// 250 ms, about 1.5 seconds in all.
const busyRetries = 12

// retryBusy runs f until it does not fail with SQLITE_BUSY (the busy
// timeout does not cover opening a connection or changing the journal
// mode), waiting a little longer each time, at most busyRetries times.
// The waits are real time on purpose: they pace a retry, they decide
// nothing.
func retryBusy(ctx context.Context, f func() error) error {
	wait := 2 * time.Millisecond
	for i := 0; ; i++ {
		err := f()
		if err == nil || !isBusy(err) || i == busyRetries {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, 250*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Close closes the database.
func (db *DB) Close() error {
	if db.commits != nil {
		db.commits.stop()
	}
	if db.replies != nil {
		db.replies.stop()
		db.lookups.stop()
	}
	db.stmts.close()
	db.readStmts.close()
	var rerr error
	if db.read != db.db {
		rerr = db.read.Close()
	}
	if err := errors.Join(db.db.Close(), rerr); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Dialect is "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Claimers is how many ClaimDue calls are worth running at once (the
// scheduler's Claimers): two on PostgreSQL, whose claims skip the rows
// another holds, so both backends work; one on SQLite, where every claim
// waits for the one writer anyway.
func (db *DB) Claimers() int {
	if db.dialect == &postgresDialect {
		return 2
	}
	return 1
}

// tx is a transaction that rebinds ? placeholders for its dialect. A
// nested one is a method's handle on the transaction of Atomically: its
// commit and rollback do nothing, Atomically decides.
type tx struct {
	tx      *sqlx.Tx
	dialect *dialect
	nested  bool
	keys    *sealed.Keyring
	// stmts, when not nil, holds prepared statements for this
	// transaction's connection.
	stmts *stmtCache
}

// txKey is the context key under which Atomically passes its transaction
// to fn, one key per DB.
type txKey struct{ db *DB }

// begin starts the one transaction of an exported method or, when ctx
// comes from Atomically on this DB, returns a nested handle on that
// transaction. The caller defers rollback and commits.
func (db *DB) begin(ctx context.Context) (*tx, error) {
	if outer, ok := ctx.Value(txKey{db}).(*tx); ok {
		return &tx{tx: outer.tx, dialect: outer.dialect, nested: true, keys: outer.keys, stmts: outer.stmts}, nil
	}
	t, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &tx{tx: t, dialect: db.dialect, keys: db.keys, stmts: db.stmts}, nil
}

// beginRead is begin for a method that only reads: outside Atomically its
// transaction is on the read pool (on SQLite a DEFERRED one on a
// read-only connection, which never waits for the writer). A write in
// it fails.
func (db *DB) beginRead(ctx context.Context) (*tx, error) {
	if outer, ok := ctx.Value(txKey{db}).(*tx); ok {
		return &tx{tx: outer.tx, dialect: outer.dialect, nested: true, keys: outer.keys, stmts: outer.stmts}, nil
	}
	t, err := db.read.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &tx{tx: t, dialect: db.dialect, keys: db.keys}, nil
}

func (t *tx) rollback() {
	if !t.nested {
		_ = t.tx.Rollback()
	}
}

func (t *tx) commit() error {
	if t.nested {
		return nil
	}
	return t.tx.Commit()
}

// Atomically runs fn in one transaction: every store call that fn makes
// with the context it is given joins it. The transaction commits if fn
// returns nil and rolls back if fn returns an error, which Atomically
// returns unchanged. Inside another Atomically on the same DB it joins
// the outer transaction, which decides.
//
// fn must return the error of any store call that fails for a reason it
// does not handle: the call's writes are not undone on their own (and on
// PostgreSQL the failed statement has aborted the whole transaction).
// The store's refusals (steady.ErrNotFound, steady.ErrConflict, invalid
// input) come before any write, so fn may handle those and go on.
//
// fn makes its store calls one at a time, only with the context it is
// given and never after it returns. On SQLite a call with another context
// waits for the write lock this transaction holds until fn returns.
//
// On SQLite the calls of Atomically that wait for the writer at the same
// time share one commit (see committer): each is still all or nothing,
// and none returns before the commit that holds its writes.
func (db *DB) Atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, nested := ctx.Value(txKey{db}).(*tx); !nested && db.commits != nil {
		return db.commits.do(ctx, fn)
	}
	t, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: atomically: %w", err)
	}
	defer t.rollback()
	if err := fn(context.WithValue(ctx, txKey{db}, t)); err != nil {
		return err
	}
	if err := t.commit(); err != nil {
		return fmt.Errorf("store: atomically: %w", err)
	}
	return nil
}

func (t *tx) get(ctx context.Context, dest any, query string, args ...any) error {
	query = t.tx.Rebind(query)
	if s := t.stmts.stmt(ctx, t.tx, query); s != nil {
		return s.GetContext(ctx, dest, cleanArgs(args)...)
	}
	return t.tx.GetContext(ctx, dest, query, cleanArgs(args)...)
}

func (t *tx) sel(ctx context.Context, dest any, query string, args ...any) error {
	query = t.tx.Rebind(query)
	if s := t.stmts.stmt(ctx, t.tx, query); s != nil {
		return s.SelectContext(ctx, dest, cleanArgs(args)...)
	}
	return t.tx.SelectContext(ctx, dest, query, cleanArgs(args)...)
}

// query runs a query whose rows the caller scans and closes.
func (t *tx) query(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	query = t.tx.Rebind(query)
	if s := t.stmts.stmt(ctx, t.tx, query); s != nil {
		return s.QueryxContext(ctx, cleanArgs(args)...)
	}
	return t.tx.QueryxContext(ctx, query, cleanArgs(args)...)
}

func (t *tx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	query = t.tx.Rebind(query)
	var res sql.Result
	var err error
	if s := t.stmts.stmt(ctx, t.tx, query); s != nil {
		res, err = s.ExecContext(ctx, cleanArgs(args)...)
	} else {
		res, err = t.tx.ExecContext(ctx, query, cleanArgs(args)...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// cleanArgs passes every string and sql.NullString argument through
// steady.CleanText, so what is stored and what is looked up are the same
// valid, NUL-free text on SQLite and PostgreSQL (which refuses NUL and
// invalid UTF-8 in text with an error), whichever path the text came from.
// []byte and every other type are left alone. args is copied only when an
// argument changes.
func cleanArgs(args []any) []any {
	var out []any // nil until an argument changes
	for i, a := range args {
		var clean any
		switch v := a.(type) {
		case string:
			if s := steady.CleanText(v); s != v {
				clean = s
			}
		case sql.NullString:
			if s := steady.CleanText(v.String); s != v.String {
				clean = sql.NullString{String: s, Valid: v.Valid}
			}
		}
		if clean == nil {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = clean
	}
	if out == nil {
		return args
	}
	return out
}

// insertID runs an INSERT … RETURNING id. found is false when the insert
// did nothing (ON CONFLICT … DO NOTHING).
func (t *tx) insertID(ctx context.Context, query string, args ...any) (id int64, found bool, err error) {
	err = t.get(ctx, &id, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// ts converts a time to the dialect's stored form: UTC, truncated to the
// microsecond; nil for the zero time.
func (t *tx) ts(v time.Time) any {
	if v.IsZero() {
		return nil
	}
	return t.dialect.timeArg(v.UTC().Truncate(time.Microsecond))
}

// notFound turns sql.ErrNoRows into steady.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return steady.ErrNotFound
	}
	return err
}

// nullString stores "" as NULL.
func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}
