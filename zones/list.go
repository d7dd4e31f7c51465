package zones

import (
	"fmt"
	"strings"
	"time"
)

// Zone is one entry of the sign-up form's list.
type Zone struct {
	Name  string // IANA name, e.g. Europe/London
	Label string // "London (Europe/London), UTC+0/+1"
}

// List returns every embedded zone with a friendly label, sorted by name,
// its offsets those of the year of at (winter and summer, when they
// differ). Zones time.LoadLocation does not know are left out.
func List(at time.Time) []Zone {
	out := []Zone{{Name: "UTC", Label: "UTC (no summer time)"}}
	for _, n := range names {
		loc, err := time.LoadLocation(n)
		if err != nil {
			continue
		}
		city := strings.ReplaceAll(n[strings.LastIndex(n, "/")+1:], "_", " ")
		out = append(out, Zone{Name: n, Label: fmt.Sprintf("%s (%s), %s", city, n, offsets(loc, at.Year()))})
	}
	return out
}

// offsets is "UTC+0/+1": the offsets in January and July of year, the
// smaller first, or one offset when they are the same.
func offsets(loc *time.Location, year int) string {
	_, jan := time.Date(year, time.January, 1, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(year, time.July, 1, 12, 0, 0, 0, loc).Zone()
	lo, hi := min(jan, jul), max(jan, jul)
	if lo == hi {
		return "UTC" + offset(lo)
	}
	return "UTC" + offset(lo) + "/" + offset(hi)
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m := sec/3600, sec%3600/60
	if m == 0 {
		return fmt.Sprintf("%s%d", sign, h)
	}
	return fmt.Sprintf("%s%d:%02d", sign, h, m)
}
