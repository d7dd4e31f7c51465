package summary

import (
	"sync"
	"time"

	"github.com/steadyapp/steady"
)

// zones remembers the time zones already loaded: loading one reads the
// zone file each time, and a batch holds many subscribers of each zone.
type zones struct {
	mu  sync.Mutex
	loc map[string]*time.Location
}

func newZones() *zones { return &zones{loc: map[string]*time.Location{}} }

// of is sub's time zone.
func (z *zones) of(sub steady.Subscriber) (*time.Location, error) {
	z.mu.Lock()
	loc, ok := z.loc[sub.TimeZone]
	z.mu.Unlock()
	if ok {
		return loc, nil
	}
	loc, err := sub.Location()
	if err != nil {
		return nil, err
	}
	z.mu.Lock()
	z.loc[sub.TimeZone] = loc
	z.mu.Unlock()
	return loc, nil
}
