package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/steadyapp/steady/store"
)

// dbPoolSettings are serve's settings for its database connections.
func dbPoolSettings(c *Config) []setting {
	return []setting{
		{"db-connections", "STEADY_DB_CONNECTIONS", "", fmt.Sprintf("most connections kept to PostgreSQL, or SQLite's read connections beside its one writer (default 2×CPUs+2, here %d)", store.DefaultConnections()), &c.DBConnectionsText},
		{"sqlite-synchronous", "STEADY_SQLITE_SYNCHRONOUS", store.SynchronousFull, "SQLite's synchronous setting: FULL syncs every commit to disk before a text or request is answered; NORMAL is faster but may lose the last commits in a power loss or operating-system crash (never in a crash of steady alone)", &c.SQLiteSynchronous},
	}
}

// dbOptions turns the settings of dbPoolSettings into store options.
func (c *Config) dbOptions() ([]store.Option, error) {
	var opts []store.Option
	if s := strings.TrimSpace(c.DBConnectionsText); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return nil, fmt.Errorf("--db-connections %q: want a whole number from 1 to 1000, like 8", c.DBConnectionsText)
		}
		opts = append(opts, store.WithConnections(n))
	}
	switch mode := strings.ToUpper(strings.TrimSpace(c.SQLiteSynchronous)); mode {
	case "", store.SynchronousFull:
	case store.SynchronousNormal:
		opts = append(opts, store.WithSQLiteSynchronous(mode))
	default:
		return nil, fmt.Errorf("--sqlite-synchronous %q: want FULL or NORMAL", c.SQLiteSynchronous)
	}
	return opts, nil
}
