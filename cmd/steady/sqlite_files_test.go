package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// `steady subscribers delete` on SQLite leaves none of the subscriber's
// words, nor their address, in the database file, its -wal or its -shm
// (their raw bytes): not while another
// process (serve) still holds the database open, so the -wal file stays,
// and not after everything is closed.
func TestSubscribersDeleteLeavesNoTraceInTheSQLiteFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "steady.db")
	vars := map[string]string{"STEADY_DATABASE_URL": path, "STEADY_SECRET": testSecret}
	if _, _, err := runCLI(t, vars, "migrate"); err != nil {
		t.Fatal(err)
	}
	sub, seeded := seedSubscriber(t, path)

	// serve, holding the database open while the operator erases.
	held, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	ds, err := held.Deliveries(ctx, sub.ID)
	if err != nil || len(ds) == 0 {
		t.Fatalf("deliveries %v, %v", ds, err)
	}
	b := make([]byte, 12)
	rand.Read(b)
	marker := "erase-marker-" + hex.EncodeToString(b)
	if _, _, err := held.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, DeliveryID: ds[len(ds)-1].ID,
		Channel: steady.ChannelWeb, Body: "NO. " + marker + " I could not tell anyone.", ReceivedAt: time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC),
		SourceID: "web:" + marker}); err != nil {
		t.Fatal(err)
	}
	// The check can see the words where they are.
	if found := storetest.SQLiteFilesContaining(t, path, marker); len(found) == 0 {
		t.Fatal("the marker is in none of the SQLite files before the delete; the check would prove nothing")
	}

	if _, _, err := runCLI(t, vars, "subscribers", "delete", sub.Address, "--yes"); err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{marker, seeded, sub.Address} {
		if found := storetest.SQLiteFilesContaining(t, path, words); len(found) != 0 {
			t.Errorf("after the delete, with serve still running: %q is in %v", words, found)
		}
	}
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{marker, seeded, sub.Address} {
		if found := storetest.SQLiteFilesContaining(t, path, words); len(found) != 0 {
			t.Errorf("after the delete, everything closed: %q is in %v", words, found)
		}
	}
}

// serve warns at start-up about a SQLite file that others may read, and
// leaves its mode alone; a file it created itself gets no warning.
func TestServeWarnsOfASQLiteFileOthersCanRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	open := filepath.Join(dir, "open.db")
	if err := os.WriteFile(open, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		warn bool
	}{{open, true}, {filepath.Join(dir, "new.db"), false}} {
		out := serveUntilRunning(t, map[string]string{"STEADY_DATABASE_URL": tt.path, "STEADY_ADDR": "127.0.0.1:0", "STEADY_LOG_LEVEL": "warn"})
		warned := strings.Contains(out, "can be opened by others than its owner") && strings.Contains(out, "path="+tt.path) &&
			strings.Contains(out, "mode=0644")
		if warned != tt.warn {
			t.Errorf("%s: warned %v, want %v:\n%s", filepath.Base(tt.path), warned, tt.warn, out)
		}
	}
	if fi, err := os.Stat(open); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("the existing file's mode was changed: %v, %v", fi.Mode(), err)
	}
}

// serveUntilRunning runs `steady serve` until it says it is running, stops
// it and returns what it wrote.
func serveUntilRunning(t *testing.T, vars map[string]string) string {
	t.Helper()
	out := &lockedBuffer{}
	e := env{getenv: func(k string) string { return vars[k] }, stdout: out, stderr: out, clock: steady.NewManualClock(time.Now())}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, e, []string{"serve"}) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Steady is running") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Steady is running") {
		t.Fatalf("serve did not start:\n%s", out.String())
	}
	return out.String()
}
