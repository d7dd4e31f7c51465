package scheduler

import (
	"sync"
	"time"

	"github.com/steadyapp/steady"
)

// locations caches loaded time zones by name; loading one reads and parses
// the zoneinfo database. Safe for concurrent use.
type locations struct {
	mu    sync.Mutex
	byKey map[string]*time.Location
}

// load returns the named zone, through steady.LoadLocation the first time.
func (l *locations) load(name string) (*time.Location, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if loc, ok := l.byKey[name]; ok {
		return loc, nil
	}
	loc, err := steady.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	if l.byKey == nil {
		l.byKey = make(map[string]*time.Location)
	}
	l.byKey[name] = loc
	return loc, nil
}
