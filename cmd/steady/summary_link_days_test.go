package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// --summary-link-days takes 1 to 400 days; anything else stops serve with
// a usage error naming the setting.
func TestSummaryLinkDays(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "steady.db")
	for _, bad := range []string{"0", "401", "thirty", "1.5", "-3"} {
		_, _, err := runCLI(t, map[string]string{"STEADY_DATABASE_URL": db}, "serve", "--addr", "127.0.0.1:0", "--summary-link-days", bad)
		if err == nil || !strings.Contains(err.Error(), "--summary-link-days") || exitCode(err) != 2 {
			t.Errorf("--summary-link-days %s: %v (exit %d)", bad, err, exitCode(err))
		}
	}
	_, _, err := runCLI(t, map[string]string{"STEADY_DATABASE_URL": db, "STEADY_SUMMARY_LINK_DAYS": "zero"}, "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "--summary-link-days") {
		t.Errorf("STEADY_SUMMARY_LINK_DAYS=zero: %v", err)
	}
	for text, want := range map[string]time.Duration{"30": 30 * 24 * time.Hour, " 7 ": 7 * 24 * time.Hour, "400": 400 * 24 * time.Hour} {
		c := Config{SummaryLinkDaysText: text, LogLevel: "info", SendTimeoutText: "25s", ShutdownTimeoutText: "8s"}
		if err := c.finishServe(func(string) string { return "" }, "127.0.0.1:0"); err != nil || c.SummaryLinkTTL != want {
			t.Errorf("%q: %v, %v; want %v", text, c.SummaryLinkTTL, err, want)
		}
	}
}
