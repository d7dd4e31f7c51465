package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// A second `steady serve` on the SQLite file a first one is using stops at
// once with a message saying to use PostgreSQL; the first carries on.
func TestSecondServeOnOneSQLiteFileIsRefused(t *testing.T) {
	t.Parallel()
	vars := map[string]string{
		"STEADY_DATABASE_URL": filepath.Join(t.TempDir(), "steady.db"),
		"STEADY_ADDR":         "127.0.0.1:0",
		"STEADY_LOG_LEVEL":    "warn",
	}
	newEnv := func(out *lockedBuffer) env {
		return env{getenv: func(k string) string { return vars[k] }, stdout: out, stderr: out, clock: steady.NewManualClock(time.Now())}
	}
	ctx, cancel := context.WithCancel(context.Background())
	firstOut := &lockedBuffer{}
	first := make(chan error, 1)
	go func() { first <- run(ctx, newEnv(firstOut), []string{"serve"}) }()
	defer func() {
		cancel()
		if err := <-first; err != nil {
			t.Errorf("first serve: %v", err)
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(firstOut.String(), "Steady is running") {
		if time.Now().After(deadline) {
			t.Fatalf("the first serve did not start:\n%s", firstOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	secondOut := &lockedBuffer{}
	err := run(context.Background(), newEnv(secondOut), []string{"serve"})
	if !errors.Is(err, store.ErrOtherWorker) || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("second serve: err = %v, want ErrOtherWorker naming PostgreSQL", err)
	}
	if strings.Contains(secondOut.String(), "Steady is running") {
		t.Error("the second serve said it was running")
	}
}
