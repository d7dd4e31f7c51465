package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

// runCLI runs the real program with an environment of its own.
func runCLI(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{
		getenv: func(k string) string { return vars[k] },
		stdout: &out, stderr: &errOut,
		clock: steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)),
	}
	err = run(context.Background(), e, args)
	return out.String(), errOut.String(), err
}

func TestHelpListsEverySubcommandAndFlag(t *testing.T) {
	t.Parallel()
	_, stderr, err := runCLI(t, nil, "--help")
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, c := range commands() {
		if !strings.Contains(stderr, c.name) {
			t.Errorf("steady --help does not list %q:\n%s", c.name, stderr)
		}
	}

	_, stderr, err = runCLI(t, nil, "serve", "--help")
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("serve --help: %v", err)
	}
	for _, want := range []string{"-addr", "STEADY_ADDR", "-db", "STEADY_DATABASE_URL", "-base-url", "STEADY_BASE_URL",
		"-smtp", "STEADY_SMTP_URL", "-from", "STEADY_FROM", "-templates", "STEADY_TEMPLATES_DIR"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("serve --help does not mention %s", want)
		}
	}
	_, stderr, _ = runCLI(t, nil, "subscribers", "list", "--help")
	if !strings.Contains(stderr, "-json") {
		t.Errorf("subscribers list --help does not mention --json:\n%s", stderr)
	}
}

func TestBadCommandLines(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "steady.db")
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"no command", nil, nil, "no command"},
		{"unknown command", nil, []string{"frobnicate"}, "unknown command"},
		{"unknown flag", nil, []string{"migrate", "--nope"}, "nope"},
		{"smtp without from", map[string]string{"STEADY_DATABASE_URL": db}, []string{"serve", "--addr", "127.0.0.1:0", "--smtp", "smtp://localhost:25?tls=none"}, "--from"},
		{"short secret", map[string]string{"STEADY_SECRET": "short", "STEADY_DATABASE_URL": db}, []string{"serve", "--addr", "127.0.0.1:0"}, "STEADY_SECRET"},
		{"bad log level", map[string]string{"STEADY_DATABASE_URL": db}, []string{"serve", "--addr", "127.0.0.1:0", "--log-level", "loud"}, "log-level"},
		{"export without address", map[string]string{"STEADY_DATABASE_URL": db}, []string{"subscribers", "export"}, "argument"},
		{"subscribers without verb", nil, []string{"subscribers"}, "list, export or delete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := runCLI(t, tt.vars, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want a usage error mentioning %q", err, exitCode(err), tt.want)
			}
		})
	}
}

func TestBaseURLFor(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		":8080":          "http://localhost:8080",
		"0.0.0.0:9000":   "http://localhost:9000",
		"[::]:9000":      "http://localhost:9000",
		"[::1]:9000":     "http://[::1]:9000",
	} {
		if got := baseURLFor(addr); got != want {
			t.Errorf("baseURLFor(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestOperatorCommandsRefuseAnUnmigratedDatabase(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"STEADY_DATABASE_URL": filepath.Join(t.TempDir(), "steady.db")}
	if _, _, err := runCLI(t, vars, "subscribers", "list"); err == nil || !strings.Contains(err.Error(), "steady migrate") {
		t.Fatalf("list on an empty database: %v", err)
	}
	out, _, err := runCLI(t, vars, "migrate")
	if err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %q, %v", out, err)
	}
	out, _, err = runCLI(t, vars, "subscribers", "list")
	if err != nil || !strings.Contains(out, "no subscribers") {
		t.Fatalf("list: %q, %v", out, err)
	}
	if _, _, err := runCLI(t, vars, "subscribers", "export", "nobody@example.org"); err == nil || !strings.Contains(err.Error(), "no subscriber") {
		t.Fatalf("export of an unknown address: %v", err)
	}
}
