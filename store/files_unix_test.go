//go:build unix

package store_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/steadyapp/steady/store"
)

// withUmask runs fn with the process umask set to mask. Not parallel: the
// umask belongs to the whole process.
func withUmask(mask int, fn func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	fn()
}

// A new SQLite file, and the -wal and -shm that SQLite creates beside it,
// are mode 0600 even when the umask would let everyone read them.
func TestSQLiteFilesAreCreatedOwnerOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "steady.db")
	withUmask(0, func() {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		checkMode(t, path, 0o600)
		// Migrating writes, so SQLite creates -wal and -shm.
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		active(t, db, "perm@example.com", t0)
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			checkMode(t, p, 0o600)
		}
		if loose, err := db.LooseFiles(); len(loose) != 0 || err != nil {
			t.Errorf("LooseFiles = %v, %v; want none", loose, err)
		}
	})
}

// A SQLite file that already exists keeps its mode; LooseFiles names it
// and the -wal and -shm that SQLite gave the same mode.
func TestLooseFilesNamesAnExistingOpenFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "steady.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, link)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	checkMode(t, path, 0o644)
	loose, err := db.LooseFiles()
	if err != nil {
		t.Fatal(err)
	}
	want := []store.LooseFile{{Path: path, Mode: 0o644}, {Path: path + "-wal", Mode: 0o644}, {Path: path + "-shm", Mode: 0o644}}
	if !slices.Equal(loose, want) {
		t.Errorf("LooseFiles = %v, want %v", loose, want)
	}
}

func checkMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %#o, want %#o", filepath.Base(path), got, want)
	}
}
