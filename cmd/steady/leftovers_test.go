package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain fails the run when a test leaves a generated key file in the
// package directory: a PostgreSQL command without a key file writes
// ./steady.key, and a later test would then find its words sealed with a
// key it never loaded (an order-dependent failure on a fresh clone).
func TestMain(m *testing.M) {
	_, err := os.Stat("steady.key")
	before := err == nil
	code := m.Run()
	if _, err := os.Stat("steady.key"); err == nil && !before {
		fmt.Fprintln(os.Stderr, "a test left ./steady.key in cmd/steady: give every PostgreSQL command a key file in t.TempDir()")
		os.Remove("steady.key")
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
