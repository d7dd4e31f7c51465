package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

// runCLI runs the real program with an environment of its own.
func runCLI(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runCLIAt(t, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), vars, args...)
}

// runCLIAt is runCLI with the clock at now.
func runCLIAt(t *testing.T, now time.Time, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{
		getenv: func(k string) string { return vars[k] },
		stdout: &out, stderr: &errOut,
		clock: steady.NewManualClock(now),
	}
	err = run(context.Background(), e, args)
	return out.String(), errOut.String(), err
}

func TestHelpListsEverySubcommandAndFlag(t *testing.T) {
	t.Parallel()
	// An explicit help request is not an error: the help goes to stdout
	// and the exit status is 0.
	for _, h := range []string{"--help", "-h", "help"} {
		stdout, stderr, err := runCLI(t, nil, h)
		if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 || stderr != "" {
			t.Fatalf("%s: %v (exit %d), stderr %q", h, err, exitCode(err), stderr)
		}
		for _, c := range commands() {
			if !strings.Contains(stdout, c.name) {
				t.Errorf("steady %s does not list %q:\n%s", h, c.name, stdout)
			}
		}
	}

	stdout, stderr, err := runCLI(t, nil, "serve", "--help")
	if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 || stderr != "" {
		t.Fatalf("serve --help: %v, stderr %q", err, stderr)
	}
	for _, want := range []string{"-addr", "STEADY_ADDR", "-db", "STEADY_DATABASE_URL", "-base-url", "STEADY_BASE_URL",
		"-smtp", "STEADY_SMTP_URL", "-from", "STEADY_FROM", "-templates", "STEADY_TEMPLATES_DIR"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("serve --help does not mention %s", want)
		}
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"subscribers", "list", "--help"}, []string{"-json"}},
		{[]string{"subscribers", "--help"}, []string{"list", "export ADDRESS", "delete ADDRESS --yes", "-json", "-yes", "-db", "-sms-region"}},
		{[]string{"summaries", "--help"}, []string{"send", "-month", "-dry-run", "record and send no summary", "has not ended"}},
		{[]string{"summaries", "send", "--help"}, []string{"-month", "-dry-run"}},
		{[]string{"demo", "--help"}, []string{"two months"}},
		{[]string{"analyze", "-h"}, []string{"20000 bytes", "262144"}},
	} {
		stdout, stderr, err := runCLI(t, nil, c.args...)
		if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 || stderr != "" {
			t.Errorf("%v: %v (exit %d), stderr %q", c.args, err, exitCode(err), stderr)
		}
		for _, want := range c.want {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v does not mention %q:\n%s", c.args, want, stdout)
			}
		}
	}
	// The demo's help says what it does, as the command list does.
	for _, c := range commands() {
		if c.name == "demo" && !strings.Contains(c.summary, "two months") {
			t.Errorf("demo summary %q", c.summary)
		}
	}
	// A usage mistake still goes to stderr with exit status 2.
	stdout, stderr, err = runCLI(t, nil, "migrate", "--nope")
	if exitCode(err) != 2 || stdout != "" || !strings.Contains(stderr, "Usage: steady migrate") {
		t.Errorf("migrate --nope: %v (exit %d), stdout %q, stderr %q", err, exitCode(err), stdout, stderr)
	}
	_, stderr, err = runCLI(t, nil)
	if exitCode(err) != 2 || !strings.Contains(stderr, "Commands:") {
		t.Errorf("no command: %v, stderr %q", err, stderr)
	}
}

// Flags may come before, between or after the positional arguments.
func TestParseFlagsInterspersed(t *testing.T) {
	t.Parallel()
	e := env{getenv: func(string) string { return "" }, stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
	for _, c := range []struct {
		args    []string
		wantPos []string
		wantDB  string
		wantYes bool
	}{
		{[]string{"a@example.org", "--yes"}, []string{"a@example.org"}, "./steady.db", true},
		{[]string{"--yes", "a@example.org"}, []string{"a@example.org"}, "./steady.db", true},
		{[]string{"--db", "x.db", "a@example.org"}, []string{"a@example.org"}, "x.db", false},
		{[]string{"a@example.org", "--db", "x.db"}, []string{"a@example.org"}, "x.db", false},
		{[]string{"a@example.org", "--db=x.db", "--yes"}, []string{"a@example.org"}, "x.db", true},
		{[]string{"--", "--yes"}, []string{"--yes"}, "./steady.db", false},
	} {
		var cfg Config
		fs := newFlagSet(e, "t", "t")
		bind(fs, e.getenv, []setting{dbSetting(&cfg)})
		yes := fs.Bool("yes", false, "")
		if err := parseFlags(e, fs, c.args, 1); err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		if !slices.Equal(fs.Args(), c.wantPos) || cfg.DatabaseURL != c.wantDB || *yes != c.wantYes {
			t.Errorf("%v: args %q, db %q, yes %v", c.args, fs.Args(), cfg.DatabaseURL, *yes)
		}
	}
	fs := newFlagSet(e, "t", "t")
	if err := parseFlags(e, fs, []string{"a", "b"}, 1); exitCode(err) != 2 || !strings.Contains(err.Error(), "got 2") {
		t.Errorf("two positionals: %v", err)
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
		{"bad log format", map[string]string{"STEADY_DATABASE_URL": db}, []string{"serve", "--addr", "127.0.0.1:0", "--log-format", "xml"}, "--log-format"},
		{"bad log format from env", map[string]string{"STEADY_DATABASE_URL": db, "STEADY_LOG_FORMAT": "JSON!"}, []string{"serve", "--addr", "127.0.0.1:0"}, "--log-format"},
		{"bad metrics addr", map[string]string{"STEADY_DATABASE_URL": db}, []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "9090"}, "--metrics-addr"},
		{"healthcheck with an argument", nil, []string{"healthcheck", "now"}, "argument"},
		{"export without address", map[string]string{"STEADY_DATABASE_URL": db}, []string{"subscribers", "export"}, "argument"},
		{"subscribers without verb", nil, []string{"subscribers"}, "list, export, import or delete"},
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

// migrate says what it did: how many migrations on a fresh database, and
// that there was nothing to do the second time.
func TestMigrateSaysWhatItDid(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"STEADY_DATABASE_URL": filepath.Join(t.TempDir(), "steady.db")}
	out, _, err := runCLI(t, vars, "migrate")
	if err != nil || !strings.Contains(out, "Applied ") || !strings.Contains(out, " migrations; the sqlite database is up to date.") {
		t.Fatalf("first migrate: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, vars, "migrate")
	if err != nil || strings.TrimSpace(out) != "The sqlite database is already up to date." {
		t.Fatalf("second migrate: %v\n%s", err, out)
	}
}
