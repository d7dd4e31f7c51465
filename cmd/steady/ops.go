package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/health"
	"github.com/steadyapp/steady/web"
)

// reachWindow is how recently the SMTP server and the IMAP mailbox must
// have answered, once an attempt failed, for /readyz to say ready.
const reachWindow = 10 * time.Minute

// opsRoutes builds the readiness checks and adds GET /readyz and, unless
// --metrics-addr gives metrics a listener of their own, GET /metrics
// behind an API key.
func (a *app) opsRoutes(extra map[string]http.Handler, keys web.APIKeys, clock steady.Clock) (map[string]http.Handler, error) {
	checks := []health.Check{health.Database(a.db, a.logger), health.Schema(a.db)}
	start := clock.Now()
	if a.smtp != nil {
		checks = append(checks, health.Reachable("smtp", a.smtp, clock, start, reachWindow, 0))
	}
	if a.poller != nil {
		checks = append(checks, health.Reachable("imap", a.poller, clock, start, reachWindow, 0))
	}
	var err error
	if a.health, err = health.New(health.Config{Checks: checks, Logger: a.logger}); err != nil {
		return nil, err
	}
	if extra == nil {
		extra = map[string]http.Handler{}
	}
	extra["GET /readyz"] = a.health
	if a.cfg.MetricsAddr == "" {
		extra["GET /metrics"] = web.RequireAPIKey(keys, a.metrics.Handler())
	}
	return extra, nil
}

// startMetrics serves /metrics (and /readyz) on --metrics-addr's listener,
// when there is one, and returns the function that stops it.
func (a *app) startMetrics() func(ctx context.Context) {
	if a.metricsLn == nil {
		return func(context.Context) {}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	mux.Handle("GET /readyz", a.health)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(a.metricsLn); err != nil && err != http.ErrServerClosed {
			a.logger.Warn("metrics listener", "err", err)
		}
	}()
	a.logger.Info("serving metrics without authentication", "addr", a.metricsLn.Addr().String())
	return func(ctx context.Context) {
		if err := srv.Shutdown(ctx); err != nil {
			a.logger.Warn(fmt.Sprintf("metrics listener shutdown: %v", err))
		}
	}
}
