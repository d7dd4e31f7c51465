//go:build unix

package messages_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, so benchmarks can report
// replies per CPU-second, which a machine shared with other work does not
// inflate the way it inflates wall-clock time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
