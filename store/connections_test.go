package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/steadyapp/steady/store"
)

// The writer syncs every commit (FULL) unless the operator chose NORMAL,
// and the read pool cannot write.
func TestSQLiteSynchronousAndReadPool(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		opts []store.Option
		want int
	}{
		{nil, 2},
		{[]store.Option{store.WithSQLiteSynchronous(store.SynchronousNormal)}, 1},
		{[]store.Option{store.WithSQLiteSynchronous("full")}, 2},
	} {
		db, err := store.Open(ctx, filepath.Join(t.TempDir(), "steady.db"), tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.SynchronousForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("synchronous = %d, want %d", got, tc.want)
		}
		if !db.ReadOnlyForTest(ctx) {
			t.Error("the read pool accepted a write")
		}
		// Page caches of 512 KiB for the writer and 128 KiB for a reader
		// (negative: KiB), not SQLite's 2,000.
		if w, r, err := db.CacheSizesForTest(ctx); err != nil || w != -512 || r != -128 {
			t.Errorf("cache_size: writer %d, reader %d, %v; want -512 and -128", w, r, err)
		}
		db.Close()
	}
	if _, err := store.Open(ctx, filepath.Join(t.TempDir(), "steady.db"), store.WithSQLiteSynchronous("OFF")); err == nil {
		t.Error("synchronous OFF was accepted")
	}
}
