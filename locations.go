package steady

import (
	"sync"
	"time"
)

// Locations caches time zones loaded through LoadLocation, by name:
// time.LoadLocation reads and parses the zone's file on every call, which a
// loop over many subscribers should do once per zone, not once per
// subscriber. Only zones that load are kept, so it holds at most one entry
// per real zone (a few hundred). The zero value is ready to use; it is safe
// for concurrent use. Each user holds its own (a field, or a local in a
// loop): there is no package-level cache.
type Locations struct {
	byName sync.Map // string -> *time.Location
}

// Load returns the named zone as LoadLocation would, reading it the first
// time only.
func (l *Locations) Load(name string) (*time.Location, error) {
	if loc, ok := l.byName.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := LoadLocation(name)
	if err != nil {
		return nil, err
	}
	got, _ := l.byName.LoadOrStore(name, loc)
	return got.(*time.Location), nil
}
