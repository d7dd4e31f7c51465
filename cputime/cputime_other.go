//go:build !unix

// Package cputime reads the CPU time this process has used, so benchmarks
// can report work per CPU-second, which a machine shared with other work
// does not inflate the way it inflates wall-clock time.
package cputime

import "time"

// Used is 0 here: benchmarks then report wall-clock time only.
func Used() time.Duration { return 0 }
