package main

import (
	"runtime/debug"
	"testing"
)

// serve collects at GOGC 50 unless the operator set GOGC, which the
// runtime has already applied.
func TestTuneCollector(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)

	tuneCollector(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GOGC unset: collector at %d, want %d", got, serveGCPercent)
	}
	tuneCollector(func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set: collector changed to %d", got)
	}
}
