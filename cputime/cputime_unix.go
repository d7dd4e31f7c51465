//go:build unix

// Package cputime reads the CPU time this process has used, so benchmarks
// can report work per CPU-second, which a machine shared with other work
// does not inflate the way it inflates wall-clock time.
package cputime

import (
	"syscall"
	"time"
)

// Used is the user and system CPU time this process has used so far, or
// 0 when it cannot be read.
func Used() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
