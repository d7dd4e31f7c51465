package store

import (
	"fmt"
	"time"
)

// sqliteTimeLayout is how SQLite stores times: fixed width and always UTC,
// so comparing and ordering the text agrees with comparing the times.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000Z"

// utcTime scans a stored time (PostgreSQL timestamptz or SQLite text) into
// UTC; NULL becomes the zero time.
type utcTime time.Time

func (u utcTime) time() time.Time { return time.Time(u) }

// Scan implements sql.Scanner.
func (u *utcTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*u = utcTime{}
	case time.Time:
		*u = utcTime(v.UTC())
	case string:
		return u.parse(v)
	case []byte:
		return u.parse(string(v))
	default:
		return fmt.Errorf("store: cannot read %T as a time", src)
	}
	return nil
}

func (u *utcTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("store: reading time %q: %w", s, err)
	}
	*u = utcTime(t.UTC())
	return nil
}
