package summary

import (
	"fmt"
	"time"
)

// Month is a calendar month, read in a subscriber's own time zone.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "2026-11".
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, fmt.Errorf("summary: month %q: want YYYY-MM, e.g. 2026-11", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf is the month t falls in, in loc.
func MonthOf(t time.Time, loc *time.Location) Month {
	l := t.In(loc)
	return Month{l.Year(), l.Month()}
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Title is "November 2026".
func (m Month) Title() string { return fmt.Sprintf("%s %d", m.Month, m.Year) }

// Start is the first instant of the month in loc.
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, loc)
}

// End is the first instant of the next month in loc.
func (m Month) End(loc *time.Location) time.Time { return m.Next().Start(loc) }

// Next is the month after m.
func (m Month) Next() Month {
	t := time.Date(m.Year, m.Month+1, 1, 0, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// Prev is the month before m.
func (m Month) Prev() Month {
	t := time.Date(m.Year, m.Month-1, 1, 0, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// days is how many days the month has.
func (m Month) days() int {
	return time.Date(m.Year, m.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// weekOf is the week of the month a local day falls in: days 1-7 are week
// 0, 8-14 week 1, and so on (29-31 make a short fifth week).
func weekOf(day int) int { return (day - 1) / 7 }

// weekLabel is "1-7 Nov" for week w.
func (m Month) weekLabel(w int) string {
	first := w*7 + 1
	last := min(first+6, m.days())
	return fmt.Sprintf("%d-%d %s", first, last, m.Month.String()[:3])
}

func (m Month) weeks() int { return weekOf(m.days()) + 1 }
