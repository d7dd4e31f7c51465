package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheckTimeout bounds the whole request, inside Docker's default
// healthcheck timeout of 30 seconds and the readiness checks' own 2.
const healthcheckTimeout = 10 * time.Second

// runHealthcheck GETs /readyz from the server listening on --addr on this
// machine (an unspecified host such as 0.0.0.0 is asked on 127.0.0.1) and
// succeeds only on 200. The image has no shell or curl (distroless), so
// docker-compose.yml's healthcheck runs this.
func runHealthcheck(ctx context.Context, e env, args []string) error {
	var addr string
	fs := newFlagSet(e, "healthcheck", "healthcheck [flags]")
	bind(fs, e.getenv, []setting{{"addr", "STEADY_ADDR", defaultAddr, "the address steady serve listens on", &addr}})
	if err := parseFlags(e, fs, args, 0); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError{fmt.Sprintf("--addr %q: want host:port", addr)}
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	u := "http://" + net.JoinHostPort(host, port) + "/readyz"
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	text := strings.TrimSpace(string(body))
	if resp.StatusCode != http.StatusOK {
		return errors.New("not ready (HTTP " + fmt.Sprint(resp.StatusCode) + "): " + strings.ReplaceAll(text, "\n", "; "))
	}
	fmt.Fprintln(e.stdout, text)
	return nil
}
