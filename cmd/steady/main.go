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
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "steady:", err)
		}
		os.Exit(exitCode(err))
	}
}

// usageError marks a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
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
		{"subscribers", "list, export or delete subscribers (list | export ADDRESS | delete ADDRESS)", runSubscribers},
		{"summaries", "send or resend one month's summaries (send --month YYYY-MM [--dry-run])", runSummaries},
		{"demo", "simulate one subscriber's month and show its summary (temporary database, nothing sent)", runDemo},
		{"analyze", "read replies as JSON lines on stdin and write their red flags and signs of support", runAnalyze},
		{"reply-text", "print the text Steady would store for the email on stdin", runReplyText},
	}
}

// Run is the whole program; main only wires signals and the exit status.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return run(ctx, env{getenv: getenv, stdin: os.Stdin, stdout: stdout, stderr: stderr, clock: steady.SystemClock{}}, args)
}

// run is Run with the clock injected, for tests.
func run(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(e.stderr)
		if len(args) == 0 {
			return usageError{"no command given"}
		}
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

// newFlagSet returns a FlagSet that prints its usage to stderr and returns
// errors instead of exiting.
func newFlagSet(e env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: steady %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}
