package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// One worker per SQLite file: a second one is refused with a message that
// names PostgreSQL, until the first lets go. PostgreSQL takes no lock.
func TestLockWorker(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "steady.db")
	open := func() *store.DB {
		db, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	first, second := open(), open()
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	viaLink, err := store.Open(context.Background(), link)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { viaLink.Close() })
	release, err := first.LockWorker()
	if err != nil {
		t.Fatal(err)
	}
	_, err = second.LockWorker()
	if !errors.Is(err, store.ErrOtherWorker) {
		t.Fatalf("second worker: err = %v, want ErrOtherWorker", err)
	}
	t.Logf("refused with: %v", err)
	if _, err := viaLink.LockWorker(); !errors.Is(err, store.ErrOtherWorker) {
		t.Errorf("a worker through a symlink: err = %v, want ErrOtherWorker", err)
	}
	release()
	again, err := second.LockWorker()
	if err != nil {
		t.Fatalf("after the first let go: %v", err)
	}
	again()

	t.Run("postgres", func(t *testing.T) {
		pg := storetest.Postgres(t)
		r1, err := pg.LockWorker()
		if err != nil {
			t.Fatal(err)
		}
		defer r1()
		r2, err := pg.LockWorker()
		if err != nil {
			t.Errorf("PostgreSQL: a second worker was refused: %v", err)
		} else {
			r2()
		}
	})
}
