package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The SQLite file holds subscribers' replies, so it and the -wal and -shm
// files beside it are for the owner alone. SQLite creates -wal and -shm
// with the permission bits of the database file (whatever the umask), so
// it is enough that the database file is created 0600; createSQLiteFile
// does that. A file that already exists keeps the mode it has: its owner
// may have opened it to a group on purpose, so LooseFiles reports it and
// serve warns, rather than changing it behind their back.

// sqliteFileMode is the mode a new SQLite file is created with.
const sqliteFileMode fs.FileMode = 0o600

// createSQLiteFile creates path with mode 0600 if it does not exist, so
// the driver opens a file no one else can read instead of creating one
// 0644. An existing file is left alone.
func createSQLiteFile(path string) error {
	if path == ":memory:" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, sqliteFileMode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// LooseFile is a SQLite file whose mode lets others than its owner in.
type LooseFile struct {
	Path string
	Mode fs.FileMode // the permission bits
}

// LooseFiles lists those of the SQLite database file, its -wal and its
// -shm (the ones that exist) whose mode has any group or other bit set.
// It returns nothing on PostgreSQL.
func (db *DB) LooseFiles() ([]LooseFile, error) {
	if db.path == "" || db.path == ":memory:" {
		return nil, nil
	}
	// SQLite follows a symlink and puts -wal and -shm beside the real file.
	real, err := filepath.EvalSymlinks(db.path)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", db.path, err)
	}
	var loose []LooseFile
	for _, p := range []string{real, real + "-wal", real + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			loose = append(loose, LooseFile{Path: p, Mode: perm})
		}
	}
	return loose, nil
}

// Checkpoint copies everything in SQLite's write-ahead log into the
// database file and truncates the -wal file to nothing, so that rows just
// deleted do not linger in old log frames. With secure_delete on (see
// sqliteDSN) the deleted rows are already zeroed in the database file, so
// after a Checkpoint they are in none of SQLite's files. It waits for
// other connections' transactions as any writer does (the busy timeout)
// and fails if it could not finish. It is not a transaction and must not
// be called inside Atomically. On PostgreSQL it does nothing: there the
// server owns its write-ahead log (see docs/ARCHITECTURE.md, "Erasure").
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.dialect != &sqliteDialect {
		return nil
	}
	// One row: busy (1 if it could not finish), frames in the log,
	// frames copied.
	var busy, frames, copied int
	if err := db.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &copied); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("store: checkpoint: another connection kept the write-ahead log busy (%d of %d frames copied)",
			copied, frames)
	}
	return nil
}
