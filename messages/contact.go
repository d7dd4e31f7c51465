package messages

import (
	"sync/atomic"
	"time"
)

// contact remembers when a provider last answered and when it last could
// not be reached, for readiness checks (health.Contact).
type contact struct {
	ok, failed atomic.Int64 // Unix nanoseconds; 0 for never
}

func (c *contact) record(reached bool, now time.Time) {
	if reached {
		c.ok.Store(now.UnixNano())
	} else {
		c.failed.Store(now.UnixNano())
	}
}

func (c *contact) last() (ok, failed time.Time) {
	return unixOrZero(c.ok.Load()), unixOrZero(c.failed.Load())
}

func unixOrZero(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
