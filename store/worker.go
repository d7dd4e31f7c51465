package store

import (
	"errors"
	"fmt"
	"path/filepath"
)

// ErrOtherWorker is returned by LockWorker when another `steady serve`
// already works on the same SQLite file.
var ErrOtherWorker = errors.New("another steady serve is already using this SQLite database; " +
	"to run several workers, use PostgreSQL (STEADY_DATABASE_URL=postgres://…)")

// LockWorker makes this process the only worker (scheduler and sender) on
// a SQLite file, until release is called or the process ends, however it
// ends: the operating system drops the lock of a killed process. Several
// workers on one SQLite file are refused rather than supported: SQLite has
// no row locks to share the outbox with, and one worker is all a file on
// one machine needs. On PostgreSQL it does nothing, since workers there
// share the outbox safely. Commands that only read, or that an operator
// runs by hand, need not call it.
func (db *DB) LockWorker() (release func(), err error) {
	if db.path == "" {
		return func() {}, nil
	}
	// The file's real name, so a symlink or another spelling of the path
	// finds the same lock.
	real, err := filepath.EvalSymlinks(db.path)
	if err != nil {
		if real, err = filepath.Abs(db.path); err != nil {
			return nil, fmt.Errorf("store: %s: %w", db.path, err)
		}
	}
	release, err = lockFile(real + "-worker.lock")
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", db.path, err)
	}
	return release, nil
}
