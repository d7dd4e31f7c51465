package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/steadyapp/steady/scheduler"
)

// --send-window takes 1 to 64; anything else stops serve with a usage
// error naming the setting. Unset, it is the dispatcher's default.
func TestSendWindow(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "steady.db")
	for _, bad := range []string{"0", "65", "eight", "-1"} {
		_, _, err := runCLI(t, map[string]string{"STEADY_DATABASE_URL": db}, "serve", "--addr", "127.0.0.1:0", "--send-window", bad)
		if err == nil || !strings.Contains(err.Error(), "--send-window") || exitCode(err) != 2 {
			t.Errorf("--send-window %s: %v (exit %d)", bad, err, exitCode(err))
		}
	}
	for text, want := range map[string]int{"": scheduler.DefaultWindow, "1": 1, " 16 ": 16, "64": 64} {
		c := Config{SendWindowText: text, SummaryLinkDaysText: "30", LogLevel: "info", SendTimeoutText: "25s", ShutdownTimeoutText: "8s"}
		if err := c.finishServe(func(string) string { return "" }, "127.0.0.1:0"); err != nil || c.SendWindow != want {
			t.Errorf("%q: %d, %v; want %d", text, c.SendWindow, err, want)
		}
	}
}
