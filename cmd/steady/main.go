// Command steady runs Steady: the web pages, the scheduler and the sender in
// one process (`steady serve`), plus the operator's commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/steadyapp/steady"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) { // help went to stdout; exit 0
			fmt.Fprintln(os.Stderr, "steady:", err)
		}
		os.Exit(exitCode(err))
	}
}

// usageError marks a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitCode is the exit status for Run's error: 0 for an explicit help
// request (flag.ErrHelp; the help went to stdout), 2 for a usage error
// (the usage went to stderr), 1 for anything else.
func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		return 2
	}
	return 1
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, env env, args []string) error
}

// env is what a subcommand may touch: its streams and the environment.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	clock          steady.Clock
}

func commands() []command {
	return []command{
		{"serve", "run the web server, the scheduler and the sender", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"keys", "encryption keys of subscribers' words at rest (generate | rotate)", runKeys},
		{"subscribers", "list, export or delete subscribers (list | export ADDRESS | delete ADDRESS --yes)", runSubscribers},
		{"api-keys", "issue, list or revoke keys for the JSON API (create --name NAME | list | revoke NAME-or-PREFIX)", runAPIKeys},
		{"compliance", "show what erasure kept of an address's consents and opt-outs (lookup ADDRESS)", runCompliance},
		{"admin", "the operator console at /admin (hash-password: make an operator's password hash)", runAdmin},
		{"held", "inbound mail held aside rather than filed as a reply (list | show ID | delete ID)", runHeld},
		{"summaries", "send one ended month's summaries (send --month YYYY-MM [--dry-run])", runSummaries},
		{"demo", "simulate two months of one subscriber's replies and show last month's summary (temporary database, nothing sent)", runDemo},
		{"analyze", "read replies as JSON lines on stdin and write their red flags and signs of support", runAnalyze},
		{"reply-text", "print the text Steady would store for the email on stdin", runReplyText},
		{"healthcheck", "ask the running server's /readyz on this machine; exit 0 when ready, 1 otherwise (for container healthchecks)", runHealthcheck},
	}
}

// Run is the whole program; main only wires signals and the exit status.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return run(ctx, env{getenv: getenv, stdin: os.Stdin, stdout: stdout, stderr: stderr, clock: steady.SystemClock{}}, args)
}

// run is Run with the clock injected, for tests.
func run(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		printUsage(e.stderr)
		return usageError{"no command given"}
	}
	if isHelp(args[0]) {
		printUsage(e.stdout)
		return flag.ErrHelp
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	printUsage(e.stderr)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Steady sends reflection prompts about your relationship and keeps your replies.")
	fmt.Fprintln(w, "\nUsage: steady COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'steady COMMAND --help' for a command's flags. Every flag also reads an environment variable, shown in brackets.")
}

// newFlagSet returns a FlagSet that returns errors instead of exiting and
// prints its usage to its output: stderr, or stdout for an explicit help
// request (see parseFlags).
func newFlagSet(e env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: steady %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, with flags before, between or after the
// positional arguments ("delete ADDRESS --yes" as well as "delete --yes
// ADDRESS"; everything after "--" is positional), and checks the number of
// positional arguments, which fs.Args then holds. An explicit -h or --help
// prints the usage to stdout and returns flag.ErrHelp; a mistake prints it
// to stderr and returns a usageError.
func parseFlags(e env, fs *flag.FlagSet, args []string, positional int) error {
	usage := fs.Usage
	fs.Usage = func() {} // printed below, on the right stream
	defer func() { fs.Usage = usage }()
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			usage()
			fs.SetOutput(e.stderr)
			return err
		}
		if err != nil {
			usage()
			return usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			pos = append(pos, rest...) // after "--", nothing is a flag
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	// Leave the positional arguments in fs.Args.
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != positional {
		usage()
		return usageError{fmt.Sprintf("%s takes %d argument(s), got %d", fs.Name(), positional, fs.NArg())}
	}
	return nil
}
