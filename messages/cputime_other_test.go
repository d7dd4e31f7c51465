//go:build !unix

package messages_test

import "time"

// cpuTime is not measured here; benchmarks then report wall-clock only.
func cpuTime() time.Duration { return 0 }
