package main

import "testing"

func TestDBOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		conns, sync string
		n           int
		ok          bool
	}{
		{"", "", 0, true},
		{"8", "FULL", 1, true},
		{" 8 ", "normal", 2, true},
		{"0", "", 0, false},
		{"many", "", 0, false},
		{"", "OFF", 0, false},
	} {
		c := Config{DBConnectionsText: tc.conns, SQLiteSynchronous: tc.sync}
		opts, err := c.dbOptions()
		if (err == nil) != tc.ok || len(opts) != tc.n {
			t.Errorf("--db-connections %q --sqlite-synchronous %q: %d options, %v", tc.conns, tc.sync, len(opts), err)
		}
	}
}
