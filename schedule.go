package steady

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Cadence is how often prompts come.
type Cadence string

// The cadences a subscriber can choose.
const (
	CadenceDaily  Cadence = "daily"        // every day
	CadenceWeekly Cadence = "weekly"       // on chosen weekdays
	CadenceEveryN Cadence = "every_n_days" // every N days, counted from Anchor
)

// Limits on "every N days".
const (
	MinEveryDays = 2
	MaxEveryDays = 30
)

// Schedule is a subscriber's cadence at a local time of day. It is
// interpreted in the subscriber's time zone; it never holds a location itself
// so it can be stored as text (String / ParseSchedule).
type Schedule struct {
	Cadence Cadence
	// Days are the weekdays for CadenceWeekly, sorted, no repeats.
	Days []time.Weekday
	// Every is N for CadenceEveryN.
	Every int
	// Anchor is the local date (year, month, day; time ignored) from which
	// "every N days" counts. Zero for other cadences.
	Anchor time.Time
	// Hour and Minute are the local time of day.
	Hour, Minute int
}

var weekdayNames = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseWeekday accepts "mon", "Monday", "MON" and so on.
func ParseWeekday(s string) (time.Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) >= 3 {
		for i, n := range weekdayNames {
			if strings.HasPrefix(s, n) && strings.HasPrefix(strings.ToLower(time.Weekday(i).String()), s) {
				return time.Weekday(i), nil
			}
		}
	}
	return 0, Invalid("days", "%q is not a day of the week", s)
}

// ParseTimeOfDay accepts "HH:MM" on a 24-hour clock, e.g. "20:30" or "7:05".
func ParseTimeOfDay(s string) (hour, minute int, err error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, 0, Invalid("time", "%q is not a time of day like 20:30", s)
	}
	digits := func(s string) bool { return strings.Trim(s, "0123456789") == "" }
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	if !digits(h) || !digits(m) || err1 != nil || err2 != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return 0, 0, Invalid("time", "%q is not a time of day like 20:30", s)
	}
	return hour, minute, nil
}

// NewSchedule builds and validates a schedule from the subscribe form's
// fields. anchor is today's date in the subscriber's zone; it only matters
// for CadenceEveryN.
func NewSchedule(cadence string, days []string, every int, timeOfDay string, anchor time.Time) (Schedule, error) {
	var s Schedule
	var err error
	if s.Hour, s.Minute, err = ParseTimeOfDay(timeOfDay); err != nil {
		return Schedule{}, err
	}
	s.Cadence = Cadence(strings.ToLower(strings.TrimSpace(cadence)))
	switch s.Cadence {
	case CadenceDaily:
	case CadenceWeekly:
		for _, d := range days {
			wd, err := ParseWeekday(d)
			if err != nil {
				return Schedule{}, err
			}
			s.Days = append(s.Days, wd)
		}
		slices.Sort(s.Days)
		s.Days = slices.Compact(s.Days)
	case CadenceEveryN:
		s.Every = every
		s.Anchor = time.Date(anchor.Year(), anchor.Month(), anchor.Day(), 0, 0, 0, 0, time.UTC)
	default:
		return Schedule{}, Invalid("cadence", "%q is not one of daily, weekly, every_n_days", cadence)
	}
	return s, s.Validate()
}

// Validate checks the schedule's fields.
func (s Schedule) Validate() error {
	if s.Hour < 0 || s.Hour > 23 || s.Minute < 0 || s.Minute > 59 {
		return Invalid("time", "%02d:%02d is not a time of day", s.Hour, s.Minute)
	}
	switch s.Cadence {
	case CadenceDaily:
	case CadenceWeekly:
		if len(s.Days) == 0 {
			return Invalid("days", "choose at least one day of the week")
		}
		for _, d := range s.Days {
			if d < time.Sunday || d > time.Saturday {
				return Invalid("days", "%d is not a day of the week", d)
			}
		}
	case CadenceEveryN:
		if s.Every < MinEveryDays || s.Every > MaxEveryDays {
			return Invalid("every", "every N days takes N from %d to %d", MinEveryDays, MaxEveryDays)
		}
		if s.Anchor.IsZero() {
			return Invalid("every", "every N days needs a start date")
		}
	default:
		return Invalid("cadence", "%q is not one of daily, weekly, every_n_days", s.Cadence)
	}
	return nil
}

// String is the stored form: "daily 20:30", "weekly mon,thu 20:30",
// "every 3 from 2026-11-26 20:30". ParseSchedule reads it back.
func (s Schedule) String() string {
	at := fmt.Sprintf("%02d:%02d", s.Hour, s.Minute)
	switch s.Cadence {
	case CadenceWeekly:
		names := make([]string, len(s.Days))
		for i, d := range s.Days {
			names[i] = weekdayNames[d]
		}
		return "weekly " + strings.Join(names, ",") + " " + at
	case CadenceEveryN:
		return fmt.Sprintf("every %d from %s %s", s.Every, s.Anchor.Format(time.DateOnly), at)
	default:
		return "daily " + at
	}
}

// ParseSchedule reads the form written by String.
func ParseSchedule(text string) (Schedule, error) {
	f := strings.Fields(text)
	bad := Invalid("schedule", "%q is not a schedule", text)
	if len(f) == 0 {
		return Schedule{}, bad
	}
	var s Schedule
	var err error
	if s.Hour, s.Minute, err = ParseTimeOfDay(f[len(f)-1]); err != nil {
		return Schedule{}, bad
	}
	switch {
	case f[0] == "daily" && len(f) == 2:
		s.Cadence = CadenceDaily
	case f[0] == "weekly" && len(f) == 3:
		s.Cadence = CadenceWeekly
		for _, d := range strings.Split(f[1], ",") {
			wd, err := ParseWeekday(d)
			if err != nil {
				return Schedule{}, bad
			}
			s.Days = append(s.Days, wd)
		}
		slices.Sort(s.Days)
		s.Days = slices.Compact(s.Days)
	case f[0] == "every" && len(f) == 5 && f[2] == "from":
		s.Cadence = CadenceEveryN
		if s.Every, err = strconv.Atoi(f[1]); err != nil {
			return Schedule{}, bad
		}
		if s.Anchor, err = time.Parse(time.DateOnly, f[3]); err != nil {
			return Schedule{}, bad
		}
	default:
		return Schedule{}, bad
	}
	if err := s.Validate(); err != nil {
		return Schedule{}, err
	}
	return s, nil
}

// Describe says in plain words how often prompts come, e.g. "every Monday
// and Thursday at 20:30".
func (s Schedule) Describe() string {
	at := fmt.Sprintf("at %02d:%02d", s.Hour, s.Minute)
	switch s.Cadence {
	case CadenceWeekly:
		if len(s.Days) == 7 {
			return "every day " + at
		}
		names := make([]string, len(s.Days))
		for i, d := range s.Days {
			names[i] = d.String()
		}
		list := names[0]
		if n := len(names); n > 1 {
			list = strings.Join(names[:n-1], ", ") + " and " + names[n-1]
		}
		return "every " + list + " " + at
	case CadenceEveryN:
		return fmt.Sprintf("every %d days %s", s.Every, at)
	default:
		return "every day " + at
	}
}

// PerWeek is roughly how many prompts a week the schedule sends.
func (s Schedule) PerWeek() float64 {
	switch s.Cadence {
	case CadenceWeekly:
		return float64(len(s.Days))
	case CadenceEveryN:
		return 7 / float64(s.Every)
	default:
		return 7
	}
}

// Next returns the first slot strictly after after, in loc.
//
// Slots are found by walking local calendar dates, one candidate instant per
// date, so a slot in a repeated hour (DST ends) fires once, at its first
// occurrence, and a slot that falls in a gap (DST starts) fires once, at the
// instant the clocks jump. robfig/cron's Next skips the first and fires the
// second twice, which is why Steady does not lean on it here.
func (s Schedule) Next(after time.Time, loc *time.Location) time.Time {
	local := after.In(loc)
	// Start a day early: a gap slot on the previous date can land after midnight.
	y, m, d := local.Date()
	for i := -1; i <= 400; i++ {
		date := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC)
		if !s.onDate(date) {
			continue
		}
		if t := slotOn(date, s.Hour, s.Minute, loc); t.After(after) {
			return t
		}
	}
	// Unreachable for a valid schedule: every cadence fires within 30 days.
	return time.Time{}
}

// MinGapDays is the schedule's shortest spacing between two slots, in
// calendar days: 1 for daily, N for every N days, and for weekly the
// smallest distance between chosen weekdays, counted round the week (7 when
// one day is chosen). It is at least 1.
func (s Schedule) MinGapDays() int {
	switch s.Cadence {
	case CadenceWeekly:
		days := slices.Compact(slices.Sorted(slices.Values(s.Days)))
		if len(days) == 0 {
			return 7
		}
		gap := int(days[0]) + 7 - int(days[len(days)-1]) // round the week
		for i := 1; i < len(days); i++ {
			gap = min(gap, int(days[i]-days[i-1]))
		}
		return max(gap, 1)
	case CadenceEveryN:
		return max(s.Every, 1)
	default:
		return 1
	}
}

// NextAfterCatchUp returns the slot to follow a catch-up prompt sent at
// sent: the first slot at or after the later of sent + MinGapDays×24h and
// the same wall-clock time MinGapDays calendar days after sent in loc. So
// the next prompt is at least the cadence after the catch-up, in hours and
// in the subscriber's calendar, on DST days too (a 23-hour day cannot bring
// it an hour closer, a 25-hour day cannot put it before the catch-up's time
// of day).
func (s Schedule) NextAfterCatchUp(sent time.Time, loc *time.Location) time.Time {
	gap := s.MinGapDays()
	earliest := sent.Add(time.Duration(gap) * 24 * time.Hour)
	l := sent.In(loc)
	wall := time.Date(l.Year(), l.Month(), l.Day()+gap, l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), loc)
	if wall.After(earliest) {
		earliest = wall
	}
	return s.atOrAfter(earliest, loc)
}

// atOrAfter returns the first slot at or after t, in loc.
func (s Schedule) atOrAfter(t time.Time, loc *time.Location) time.Time {
	return s.Next(t.Add(-time.Nanosecond), loc)
}

// onDate reports whether the schedule fires on the calendar date (UTC noon).
func (s Schedule) onDate(date time.Time) bool {
	switch s.Cadence {
	case CadenceWeekly:
		return slices.Contains(s.Days, date.Weekday())
	case CadenceEveryN:
		anchor := time.Date(s.Anchor.Year(), s.Anchor.Month(), s.Anchor.Day(), 12, 0, 0, 0, time.UTC)
		days := int(date.Sub(anchor).Round(time.Hour).Hours()) / 24
		return days >= 0 && days%s.Every == 0
	default:
		return true
	}
}

// slotOn is the instant the local wall clock in loc reads hour:minute on
// date, resolving DST: in a gap, the instant of the jump; in a repeated hour,
// the first occurrence.
func slotOn(date time.Time, hour, minute int, loc *time.Location) time.Time {
	t := time.Date(date.Year(), date.Month(), date.Day(), hour, minute, 0, 0, loc)
	want := hour*60 + minute
	// Minutes from the start of date to t's wall time; more than a day or
	// negative when the gap pushed t onto a neighbouring date.
	dayShift := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC).Sub(date).Hours() / 24
	got := t.Hour()*60 + t.Minute() + int(dayShift)*24*60
	if got != want {
		// The wall time does not exist: it fell in a gap. Fire at the jump.
		start, end := t.ZoneBounds()
		if got < want {
			return end
		}
		return start
	}
	// Is there an earlier instant with the same wall time (a repeated hour)?
	start, _ := t.ZoneBounds()
	if start.IsZero() || t.Sub(start) > 24*time.Hour {
		return t
	}
	_, before := start.Add(-time.Second).Zone()
	_, now := t.Zone()
	if before > now {
		earlier := t.Add(-time.Duration(before-now) * time.Second)
		if earlier.Before(start) && earlier.Hour() == hour && earlier.Minute() == minute {
			return earlier
		}
	}
	return t
}
