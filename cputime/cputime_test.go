package cputime

import (
	"runtime"
	"testing"
)

// Work done between two readings shows up in them (where they can be read).
func TestUsedGrows(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("not measured here")
	}
	before := Used()
	x := 0
	for i := range 50_000_000 {
		x ^= i
	}
	if after := Used(); after <= before {
		t.Errorf("Used went from %v to %v over a busy loop (%d)", before, after, x)
	}
}
