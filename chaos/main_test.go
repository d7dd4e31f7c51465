package chaos

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Environment variables that size and steer a run.
const (
	envN        = "STEADY_CHAOS_N"        // subscribers due; unset skips every test here
	envDuration = "STEADY_CHAOS_DURATION" // length of the kill phase, e.g. 45s
	envSeed     = "STEADY_CHAOS_SEED"     // replays a kill schedule
)

// binDir holds the binary built for this run; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "steady-chaos-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var build struct {
	once sync.Once
	path string
	err  error
}

// steadyBinary builds ./cmd/steady once per test run, from the module root
// above the test's working directory, and returns the binary's path.
func steadyBinary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			build.err = err
			return
		}
		goCmd, err := exec.LookPath("go")
		if err != nil {
			build.err = fmt.Errorf("chaos: the go command is not on PATH: %w", err)
			return
		}
		out := filepath.Join(binDir, "steady")
		cmd := exec.Command(goCmd, "build", "-o", out, "./cmd/steady")
		cmd.Dir = root
		start := time.Now()
		if b, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("chaos: go build ./cmd/steady: %w\n%s", err, b)
			return
		}
		build.path = out
		fmt.Fprintf(os.Stderr, "chaos: built %s in %v\n", out, time.Since(start).Round(time.Millisecond))
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}

// moduleRoot is the nearest directory above the working directory that
// holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("chaos: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("chaos: no go.mod above the working directory")
		}
		dir = parent
	}
}

// chaosSize is STEADY_CHAOS_N; the test is skipped when it is unset, so a
// plain `go test ./...` stays quick.
func chaosSize(t *testing.T) int {
	t.Helper()
	v := os.Getenv(envN)
	if v == "" {
		t.Skip(envN + " is not set; skipping the chaos tests (they build and run the binary for minutes). " +
			"See chaos/doc.go or docs/CHAOS.md.")
	}
	if runtime.GOOS == "windows" {
		t.Skip("chaos tests need Unix signals")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number of subscribers", envN, v)
	}
	return n
}

// killDuration is how long workers are killed for: STEADY_CHAOS_DURATION,
// or 30 s for up to 500 subscribers plus 3 s per further 1,000.
func killDuration(t *testing.T, n int) time.Duration {
	t.Helper()
	if v := os.Getenv(envDuration); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			t.Fatalf("%s=%q: want a duration like 45s", envDuration, v)
		}
		return d
	}
	return 30*time.Second + time.Duration(max(n-500, 0))*3*time.Millisecond
}

// chaosSeed is STEADY_CHAOS_SEED, or a fresh one.
func chaosSeed(t *testing.T) uint64 {
	t.Helper()
	if v := os.Getenv(envSeed); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: want an unsigned integer", envSeed, v)
		}
		return s
	}
	return uint64(time.Now().UnixNano())
}

// within shortens limit so that a wait ends well before the test's
// -timeout, leaving time to count and clean up.
func within(t *testing.T, limit time.Duration) time.Duration {
	if deadline, ok := t.Deadline(); ok {
		if left := time.Until(deadline) - 30*time.Second; left < limit {
			return max(left, time.Second)
		}
	}
	return limit
}
