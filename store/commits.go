package store

import (
	"context"
	"errors"
	"fmt"
)

// maxBatch bounds how many Atomically calls one SQLite commit carries.
const maxBatch = 128

// errClosed answers an Atomically call still waiting when Close is called.
var errClosed = errors.New("store: the database is closed")

// committer runs SQLite's Atomically calls in group commits: every call
// waiting when the writer is free runs, one after another, in one
// transaction, each inside a savepoint of its own, and the transaction
// commits once for all of them (one WAL sync instead of one each). A call
// that fails is rolled back to its savepoint, leaving the others; when the
// commit fails, every call of the batch fails. No call returns before the
// commit that holds its writes: an Atomically that returned nil is on
// disk (as durably as PRAGMA synchronous says).
//
// The calls run strictly one at a time, in the order they arrived, as
// they would queue for the one writer anyway; what a call reads includes
// the writes of the calls before it in the batch, exactly as if each had
// committed on its own.
type committer struct {
	db      *DB
	batches *batches[*job]
}

// job is one Atomically call waiting for the committer.
type job struct {
	ctx    context.Context
	fn     func(ctx context.Context) error
	result chan error
}

func newCommitter(db *DB) *committer {
	c := &committer{db: db}
	c.batches = startBatches(1, maxBatch, func(batch []*job) {
		c.commit(batch)
		// Between batches the writer is free to prepare what they used.
		c.db.stmts.prepareWanted(context.Background())
	})
	return c
}

// do runs fn in the next batch and returns once its batch has committed
// (nil) or fn or the commit failed.
func (c *committer) do(ctx context.Context, fn func(ctx context.Context) error) error {
	j := &job{ctx: ctx, fn: fn, result: make(chan error, 1)}
	if err := c.batches.send(ctx, j); err != nil {
		if errors.Is(err, errClosed) {
			return err
		}
		return fmt.Errorf("store: atomically: %w", err)
	}
	// Once taken, a job always gets its answer: even a cancelled caller
	// waits for it, so it never returns while its writes may still commit.
	return <-j.result
}

// stop ends the committer after the batch in progress; later calls get
// errClosed.
func (c *committer) stop() { c.batches.stop() }

// commit runs batch in one transaction and answers every job.
func (c *committer) commit(batch []*job) {
	answer := func(err error) {
		for _, j := range batch {
			j.result <- err
		}
	}
	// The transaction outlives any one caller's context: a caller that
	// gives up fails its own job only.
	ctx := context.Background()
	t, err := c.db.db.BeginTxx(ctx, nil)
	if err != nil {
		answer(fmt.Errorf("store: atomically: %w", err))
		return
	}
	tx := &tx{tx: t, dialect: c.db.dialect, keys: c.db.keys, stmts: c.db.stmts}
	defer tx.rollback()
	errs := make([]error, len(batch))
	for i, j := range batch {
		if errs[i] = j.ctx.Err(); errs[i] != nil {
			errs[i] = fmt.Errorf("store: atomically: %w", errs[i])
			continue
		}
		if _, err := tx.exec(ctx, `SAVEPOINT atomically`); err != nil {
			answer(fmt.Errorf("store: atomically: %w", err))
			return
		}
		errs[i] = j.fn(context.WithValue(j.ctx, txKey{c.db}, tx))
		undo := `RELEASE atomically`
		if errs[i] != nil {
			undo = `ROLLBACK TO atomically`
		}
		if _, err := tx.exec(ctx, undo); err != nil {
			// SQLite rolled the whole transaction back (it does on
			// some I/O errors, or an interrupted write): the batch's
			// earlier work is gone with it.
			answer(errors.Join(errs[i], fmt.Errorf("store: atomically: %w", err)))
			return
		}
		if errs[i] != nil {
			if _, err := tx.exec(ctx, `RELEASE atomically`); err != nil {
				answer(errors.Join(errs[i], fmt.Errorf("store: atomically: %w", err)))
				return
			}
		}
	}
	if err := t.Commit(); err != nil {
		answer(fmt.Errorf("store: atomically: %w", err))
		return
	}
	for i, j := range batch {
		j.result <- errs[i]
	}
}
