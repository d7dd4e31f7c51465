package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Bad --program-name and --leave-url values stop start-up with a clear
// error naming the flag; a From with no display name gets the programme's.
func TestProgramNameAndLeaveURLSettings(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "steady.db")
	for _, tc := range []struct{ flag, value, says string }{
		{"--program-name", " Harbor", "leading or trailing spaces"},
		{"--program-name", strings.Repeat("x", 31), "at most 30 characters"},
		{"--program-name", "Harbor <x>", "no control characters"},
		{"--program-name", "Hårbør™", "GSM-7"},
		{"--leave-url", "weather.example", "absolute https URL"},
		{"--leave-url", "javascript:alert(1)", "absolute https URL"},
		{"--leave-url", "https://user:pw@weather.example/", "absolute https URL"},
	} {
		_, _, err := runCLI(t, map[string]string{"STEADY_DATABASE_URL": db}, "serve", "--addr", "127.0.0.1:0", tc.flag, tc.value)
		if err == nil || !strings.Contains(err.Error(), tc.flag) || !strings.Contains(err.Error(), tc.says) || exitCode(err) != 2 {
			t.Errorf("%s %q: %v (exit %d), want an error saying %q", tc.flag, tc.value, err, exitCode(err), tc.says)
		}
	}
	_, _, err := runCLI(t, map[string]string{"STEADY_DATABASE_URL": db, "STEADY_PROGRAM_NAME": "Harbor™"}, "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "--program-name") {
		t.Errorf("STEADY_PROGRAM_NAME=Harbor™: %v", err)
	}
	for from, want := range map[string]string{
		"steady@example.org":           `"Harbor" <steady@example.org>`,
		"Help Desk <help@example.org>": "Help Desk <help@example.org>",
	} {
		c := Config{From: from, ProgramName: "Harbor", SummaryLinkDaysText: "30", LogLevel: "info", SendTimeoutText: "25s", ShutdownTimeoutText: "8s"}
		if err := c.finishServe(func(string) string { return "" }, "127.0.0.1:0"); err != nil || c.From != want {
			t.Errorf("--from %q: %q, %v; want %q", from, c.From, err, want)
		}
		if c.LeaveURL != "https://www.bbc.com/weather" {
			t.Errorf("default leave URL %q", c.LeaveURL)
		}
	}
}
