// Package health answers /readyz: whether this Steady can do its work now.
// Liveness (/healthz) is the web package's trivial "ok"; readiness checks
// the database, its schema version and, when they are configured, that
// the SMTP server and the IMAP mailbox were reachable recently.
//
// A failed check is one short line naming the part and what is wrong, in
// fixed words: never a password, a URL or a server's own reply.
package health

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// Check is one readiness check: nil when the part is ready, else an error
// whose text is the one line /readyz shows.
type Check struct {
	Name string
	Run  func(ctx context.Context) error
}

// Config is what a Checker is built from.
type Config struct {
	Checks []Check
	// Timeout bounds each check; default DefaultTimeout.
	Timeout time.Duration
	Logger  *slog.Logger // default: discard
}

// DefaultTimeout bounds each check, well inside a probe's own timeout.
const DefaultTimeout = 2 * time.Second

// Checker runs the readiness checks.
type Checker struct {
	checks  []Check
	timeout time.Duration
	log     *slog.Logger
}

// New returns a Checker.
func New(cfg Config) (*Checker, error) {
	for _, c := range cfg.Checks {
		if c.Name == "" || c.Run == nil {
			return nil, errors.New("health: every check needs a name and a function")
		}
	}
	if cfg.Timeout < 0 {
		return nil, errors.New("health: negative timeout")
	}
	return &Checker{checks: cfg.Checks, timeout: cmp.Or(cfg.Timeout, DefaultTimeout),
		log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}, nil
}

// Failures runs every check, each with its own timeout, and returns one
// line per failed check ("database: …"); none means ready.
func (c *Checker) Failures(ctx context.Context) []string {
	var out []string
	for _, chk := range c.checks {
		cctx, cancel := context.WithTimeout(ctx, c.timeout)
		err := chk.Run(cctx)
		cancel()
		if err != nil {
			out = append(out, chk.Name+": "+oneLine(err.Error()))
		}
	}
	return out
}

// ServeHTTP answers 200 "ready", or 503 with one line per failed check.
func (c *Checker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	failed := c.Failures(r.Context())
	if len(failed) == 0 {
		w.Write([]byte("ready\n"))
		return
	}
	c.log.WarnContext(r.Context(), "not ready", "failed", strings.Join(failed, "; "))
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write([]byte(strings.Join(failed, "\n") + "\n"))
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Pinger answers a trivial query; *store.DB has it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Database checks that db answers a query within the check's timeout. Its
// line says only whether it timed out or failed: a driver's error can
// name the host and user (the cause is logged for the operator).
func Database(db Pinger, logger *slog.Logger) Check {
	logger = cmp.Or(logger, slog.New(slog.DiscardHandler))
	return Check{Name: "database", Run: func(ctx context.Context) error {
		err := db.Ping(ctx)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
			return errors.New("no answer in time")
		default:
			logger.WarnContext(ctx, "readiness: the database query failed", "err", err)
			return errors.New("the query failed (see the log)")
		}
	}}
}

// SchemaChecker says whether the schema is the one this program expects;
// *store.DB has it.
type SchemaChecker interface {
	CheckSchema(ctx context.Context) error
}

// Schema checks that the database's schema version is the one this
// binary expects: not behind (run steady migrate) nor ahead (a newer
// Steady migrated it).
func Schema(db SchemaChecker) Check {
	return Check{Name: "schema", Run: func(ctx context.Context) error {
		err := db.CheckSchema(ctx)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, steady.ErrSchemaTooNew):
			return fmt.Errorf("the database was migrated by a newer Steady (%s)", versionsOf(err))
		case strings.Contains(err.Error(), "pending"):
			return fmt.Errorf("migrations are pending (%s); run steady migrate", versionsOf(err))
		default:
			return errors.New("the schema version could not be read")
		}
	}}
}

// versionsOf keeps the part of a store.CheckSchema error that says the
// versions ("schema version 11, this program needs 12").
func versionsOf(err error) string {
	s := err.Error()
	if i := strings.Index(s, "schema version"); i >= 0 {
		s = s[i:]
	}
	return strings.TrimSuffix(strings.TrimSuffix(s, "; run migrate"), ")")
}
