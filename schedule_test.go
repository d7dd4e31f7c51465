package steady

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func loadZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// utcAt parses "2006-01-02 15:04" as UTC.
func utcAt(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// dateOf is a schedule anchor: a calendar date at UTC midnight.
func dateOf(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dailyAt(hour, minute int) Schedule {
	return Schedule{Cadence: CadenceDaily, Hour: hour, Minute: minute}
}

func weeklyAt(hour, minute int, days ...time.Weekday) Schedule {
	return Schedule{Cadence: CadenceWeekly, Days: days, Hour: hour, Minute: minute}
}

func everyNAt(n int, anchor string, hour, minute int) Schedule {
	return Schedule{Cadence: CadenceEveryN, Every: n, Anchor: dateOf(anchor), Hour: hour, Minute: minute}
}

func TestScheduleNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		sched Schedule
		zone  string
		after time.Time
		want  time.Time
	}{
		// Plain days.
		{"daily later today", dailyAt(20, 30), "Europe/London", utcAt("2026-01-10 12:00"), utcAt("2026-01-10 20:30")},
		{"daily is strictly after", dailyAt(20, 30), "Europe/London", utcAt("2026-01-10 20:30"), utcAt("2026-01-11 20:30")},
		{"daily one ns before", dailyAt(20, 30), "Europe/London", utcAt("2026-01-10 20:30").Add(-1), utcAt("2026-01-10 20:30")},
		{"daily in a zone ahead of UTC", dailyAt(7, 0), "Asia/Tokyo", utcAt("2026-01-10 23:00"), utcAt("2026-01-11 22:00")},
		{"daily local date differs from UTC date", dailyAt(7, 0), "Asia/Tokyo", utcAt("2026-01-10 21:30"), utcAt("2026-01-10 22:00")},
		{"daily midnight", dailyAt(0, 0), "America/New_York", utcAt("2026-01-10 05:00"), utcAt("2026-01-11 05:00")},
		{"daily over year end", dailyAt(23, 59), "UTC", utcAt("2026-12-31 23:59"), utcAt("2027-01-01 23:59")},
		{"daily over leap-less Feb", dailyAt(8, 0), "UTC", utcAt("2026-02-28 09:00"), utcAt("2026-03-01 08:00")},

		// New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT.
		{"NY spring day before", dailyAt(2, 30), "America/New_York", utcAt("2026-03-06 07:30"), utcAt("2026-03-07 07:30")},
		{"NY spring gap fires at the jump", dailyAt(2, 30), "America/New_York", utcAt("2026-03-07 07:30"), utcAt("2026-03-08 07:00")},
		{"NY spring gap from just before the jump", dailyAt(2, 30), "America/New_York", utcAt("2026-03-08 06:59"), utcAt("2026-03-08 07:00")},
		{"NY spring day after back at 02:30 EDT", dailyAt(2, 30), "America/New_York", utcAt("2026-03-08 07:00"), utcAt("2026-03-09 06:30")},
		{"NY spring slot outside the gap", dailyAt(3, 30), "America/New_York", utcAt("2026-03-08 00:00"), utcAt("2026-03-08 07:30")},
		// New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST.
		{"NY fall first occurrence", dailyAt(1, 30), "America/New_York", utcAt("2026-10-31 05:30"), utcAt("2026-11-01 05:30")},
		{"NY fall not again at 01:30 EST", dailyAt(1, 30), "America/New_York", utcAt("2026-11-01 05:30"), utcAt("2026-11-02 06:30")},
		{"NY fall from inside the repeat", dailyAt(1, 30), "America/New_York", utcAt("2026-11-01 06:15"), utcAt("2026-11-02 06:30")},
		{"NY fall slot after the repeat", dailyAt(2, 30), "America/New_York", utcAt("2026-11-01 05:30"), utcAt("2026-11-01 07:30")},
		// London, 2026-03-29: 01:00 GMT jumps to 02:00 BST.
		{"London spring gap", dailyAt(1, 30), "Europe/London", utcAt("2026-03-28 01:30"), utcAt("2026-03-29 01:00")},
		{"London spring day after", dailyAt(1, 30), "Europe/London", utcAt("2026-03-29 01:00"), utcAt("2026-03-30 00:30")},
		// London, 2026-10-25: 02:00 BST falls back to 01:00 GMT.
		{"London fall first occurrence", dailyAt(1, 30), "Europe/London", utcAt("2026-10-24 00:30"), utcAt("2026-10-25 00:30")},
		{"London fall not again at 01:30 GMT", dailyAt(1, 30), "Europe/London", utcAt("2026-10-25 00:30"), utcAt("2026-10-26 01:30")},

		// Zones that change at midnight.
		// Santiago, 2026-09-06: 24:00 -04 jumps to 01:00 -03.
		{"Santiago midnight gap", dailyAt(0, 30), "America/Santiago", utcAt("2026-09-05 04:30"), utcAt("2026-09-06 04:00")},
		{"Santiago midnight gap at 00:00", dailyAt(0, 0), "America/Santiago", utcAt("2026-09-05 04:00"), utcAt("2026-09-06 04:00")},
		{"Santiago after the gap", dailyAt(0, 30), "America/Santiago", utcAt("2026-09-06 04:00"), utcAt("2026-09-07 03:30")},
		{"Santiago 23:30 the evening before the gap", dailyAt(23, 30), "America/Santiago", utcAt("2026-09-05 12:00"), utcAt("2026-09-06 03:30")},
		// Santiago, 2026-04-04: 24:00 -03 falls back to 23:00 -04.
		{"Santiago late-evening repeat", dailyAt(23, 30), "America/Santiago", utcAt("2026-04-04 12:00"), utcAt("2026-04-05 02:30")},
		{"Santiago after the repeat", dailyAt(23, 30), "America/Santiago", utcAt("2026-04-05 02:30"), utcAt("2026-04-06 03:30")},
		// Havana, 2026-03-08: 00:00 CST jumps to 01:00 CDT; 2026-11-01: 01:00 CDT falls back to 00:00 CST.
		{"Havana midnight gap", dailyAt(0, 30), "America/Havana", utcAt("2026-03-07 05:30"), utcAt("2026-03-08 05:00")},
		{"Havana fall repeat", dailyAt(0, 30), "America/Havana", utcAt("2026-10-31 04:30"), utcAt("2026-11-01 04:30")},
		{"Havana after the repeat", dailyAt(0, 30), "America/Havana", utcAt("2026-11-01 04:30"), utcAt("2026-11-02 05:30")},
		// Cairo, 2026-04-24: 00:00 EET jumps to 01:00 EEST, while it is still the 23rd in UTC.
		{"Cairo midnight gap", dailyAt(0, 15), "Africa/Cairo", utcAt("2026-04-22 22:15"), utcAt("2026-04-23 22:00")},
		// Lord Howe moves by 30 minutes: 2026-10-04 02:00 → 02:30, 2026-04-05 02:00 → 01:30.
		{"Lord Howe half-hour gap", dailyAt(2, 15), "Australia/Lord_Howe", utcAt("2026-10-02 15:45"), utcAt("2026-10-03 15:30")},
		{"Lord Howe half-hour repeat", dailyAt(1, 45), "Australia/Lord_Howe", utcAt("2026-04-03 14:45"), utcAt("2026-04-04 14:45")},

		// Weekly.
		{"weekly Mon to Thu", weeklyAt(20, 30, time.Monday, time.Thursday), "Europe/London", utcAt("2026-01-05 21:00"), utcAt("2026-01-08 20:30")},
		{"weekly Thu to Mon", weeklyAt(20, 30, time.Monday, time.Thursday), "Europe/London", utcAt("2026-01-08 20:30"), utcAt("2026-01-12 20:30")},
		{"weekly same day before slot", weeklyAt(20, 30, time.Sunday), "Europe/London", utcAt("2026-01-04 08:00"), utcAt("2026-01-04 20:30")},
		{"weekly one day a week", weeklyAt(20, 30, time.Sunday), "Europe/London", utcAt("2026-01-04 20:30"), utcAt("2026-01-11 20:30")},
		{"weekly across fall back", weeklyAt(1, 30, time.Sunday), "Europe/London", utcAt("2026-10-18 00:30"), utcAt("2026-10-25 00:30")},
		{"weekly across spring forward", weeklyAt(2, 30, time.Sunday), "America/New_York", utcAt("2026-03-01 07:30"), utcAt("2026-03-08 07:00")},
		{"weekly weekday in local time", weeklyAt(7, 0, time.Monday), "Pacific/Auckland", utcAt("2026-01-04 17:00"), utcAt("2026-01-04 18:00")},
		{"weekly over year end", weeklyAt(9, 0, time.Friday), "UTC", utcAt("2026-12-25 09:00"), utcAt("2027-01-01 09:00")},

		// Every N days, counted from the anchor date.
		{"every 3 before the anchor", everyNAt(3, "2026-01-10", 9, 0), "UTC", utcAt("2025-12-01 00:00"), utcAt("2026-01-10 09:00")},
		{"every 3 on the anchor", everyNAt(3, "2026-01-10", 9, 0), "UTC", utcAt("2026-01-10 08:00"), utcAt("2026-01-10 09:00")},
		{"every 3 from the anchor", everyNAt(3, "2026-01-10", 9, 0), "UTC", utcAt("2026-01-10 09:00"), utcAt("2026-01-13 09:00")},
		{"every 3 between slots", everyNAt(3, "2026-01-10", 9, 0), "UTC", utcAt("2026-01-11 12:00"), utcAt("2026-01-13 09:00")},
		{"every 3 long after the anchor", everyNAt(3, "2026-01-10", 9, 0), "UTC", utcAt("2026-06-01 00:00"), utcAt("2026-06-03 09:00")},
		{"every 2 over month end", everyNAt(2, "2026-01-30", 9, 0), "UTC", utcAt("2026-01-30 09:00"), utcAt("2026-02-01 09:00")},
		{"every 2 over Feb end", everyNAt(2, "2026-02-27", 9, 0), "UTC", utcAt("2026-02-27 09:00"), utcAt("2026-03-01 09:00")},
		{"every 3 over year end", everyNAt(3, "2026-12-30", 9, 0), "Europe/London", utcAt("2026-12-30 09:00"), utcAt("2027-01-02 09:00")},
		{"every 30", everyNAt(30, "2026-01-31", 9, 0), "UTC", utcAt("2026-01-31 09:00"), utcAt("2026-03-02 09:00")},
		{"every 7 across spring forward", everyNAt(7, "2026-03-01", 9, 0), "America/New_York", utcAt("2026-03-01 14:00"), utcAt("2026-03-08 13:00")},
		{"every 7 across fall back", everyNAt(7, "2026-10-25", 9, 0), "America/New_York", utcAt("2026-10-25 13:00"), utcAt("2026-11-01 14:00")},
		{"every 2 onto the gap", everyNAt(2, "2026-03-06", 2, 30), "America/New_York", utcAt("2026-03-06 07:30"), utcAt("2026-03-08 07:00")},
		{"every 2 after the gap", everyNAt(2, "2026-03-06", 2, 30), "America/New_York", utcAt("2026-03-08 07:00"), utcAt("2026-03-10 06:30")},
		{"every 2 in a zone ahead of UTC", everyNAt(2, "2026-01-10", 7, 0), "Asia/Tokyo", utcAt("2026-01-09 22:00"), utcAt("2026-01-11 22:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loc := loadZone(t, tt.zone)
			got := tt.sched.Next(tt.after, loc)
			if !got.Equal(tt.want) {
				t.Errorf("%s in %s: Next(%s) = %s (%s), want %s (%s)", tt.sched, tt.zone,
					tt.after.UTC().Format(time.RFC3339), got.UTC().Format(time.RFC3339), got.In(loc).Format("2006-01-02 15:04 MST"),
					tt.want.Format(time.RFC3339), tt.want.In(loc).Format("2006-01-02 15:04 MST"))
			}
		})
	}
}

func TestScheduleMinGapDays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		sched Schedule
		want  int
	}{
		{"daily", dailyAt(20, 0), 1},
		{"weekly one day", weeklyAt(20, 0, time.Wednesday), 7},
		{"weekly Mon and Thu", weeklyAt(20, 0, time.Monday, time.Thursday), 3},
		{"weekly Tue and Sat, shortest round the week", weeklyAt(20, 0, time.Tuesday, time.Saturday), 3},
		{"weekly Sat and Sun, adjacent round the week", weeklyAt(20, 0, time.Sunday, time.Saturday), 1},
		{"weekly Mon, Wed, Fri", weeklyAt(20, 0, time.Monday, time.Wednesday, time.Friday), 2},
		{"weekly every day", weeklyAt(20, 0, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday), 1},
		{"weekly unsorted with a repeat", weeklyAt(20, 0, time.Thursday, time.Monday, time.Thursday), 3},
		{"every 2", everyNAt(2, "2026-01-01", 20, 0), 2},
		{"every 30", everyNAt(30, "2026-01-01", 20, 0), 30},
	}
	for _, tt := range tests {
		if got := tt.sched.MinGapDays(); got != tt.want {
			t.Errorf("%s: %s.MinGapDays() = %d, want %d", tt.name, tt.sched, got, tt.want)
		}
	}
}

func TestScheduleNextAfterCatchUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		sched Schedule
		zone  string
		sent  time.Time
		want  time.Time
	}{
		// New York in January is UTC-5: 20:00 local is 01:00 UTC the next day.
		{"daily sent before the slot time skips today's", dailyAt(20, 0), "America/New_York", utcAt("2026-01-21 00:55"), utcAt("2026-01-22 01:00")},
		{"daily sent at the slot time", dailyAt(20, 0), "America/New_York", utcAt("2026-01-21 01:00"), utcAt("2026-01-22 01:00")},
		{"daily sent after the slot time skips tomorrow's", dailyAt(20, 0), "America/New_York", utcAt("2026-01-21 01:30"), utcAt("2026-01-23 01:00")},
		{"daily sent a minute after the slot time", dailyAt(20, 0), "America/New_York", utcAt("2026-01-21 01:01"), utcAt("2026-01-23 01:00")},

		// New York, 2026-03-08 is 23 hours long: 24 hours wins over the wall clock.
		{"NY spring sent before the slot time", dailyAt(20, 0), "America/New_York", utcAt("2026-03-08 00:30"), utcAt("2026-03-10 00:00")}, // 19:30 EST; 20:00 EDT next day is only 23h30 later
		{"NY spring sent after the slot time", dailyAt(20, 0), "America/New_York", utcAt("2026-03-08 01:30"), utcAt("2026-03-10 00:00")},
		{"NY spring slot in the gap", dailyAt(2, 30), "America/New_York", utcAt("2026-03-07 07:45"), utcAt("2026-03-09 06:30")},            // 02:45 EST; the gap slot fires at 03:00 EDT
		{"NY spring gap slot exactly 24h later", dailyAt(2, 30), "America/New_York", utcAt("2026-03-07 07:00"), utcAt("2026-03-08 07:00")}, // 02:00 EST; the jump is at 07:00 UTC
		// New York, 2026-11-01 is 25 hours long: the wall clock wins over 24 hours.
		{"NY fall sent before the slot time", dailyAt(20, 0), "America/New_York", utcAt("2026-10-31 23:30"), utcAt("2026-11-02 01:00")}, // 19:30 EDT to 20:00 EST
		{"NY fall sent after the slot time", dailyAt(20, 0), "America/New_York", utcAt("2026-11-01 00:30"), utcAt("2026-11-03 01:00")},  // 20:30 EDT; 20:00 EST next day is 24h30 later but before 20:30
		{"NY fall wall time in the repeated hour", dailyAt(1, 30), "America/New_York", utcAt("2026-10-31 05:45"), utcAt("2026-11-02 06:30")},

		// Weekly: the gap is the shortest spacing between chosen days.
		{"weekly Mon sent before the slot time", weeklyAt(8, 0, time.Monday, time.Thursday), "UTC", utcAt("2026-01-05 07:00"), utcAt("2026-01-08 08:00")},
		{"weekly Mon sent after the slot time skips Thu", weeklyAt(8, 0, time.Monday, time.Thursday), "UTC", utcAt("2026-01-05 10:00"), utcAt("2026-01-12 08:00")},
		{"weekly Thu to Mon", weeklyAt(8, 0, time.Monday, time.Thursday), "UTC", utcAt("2026-01-08 09:00"), utcAt("2026-01-12 08:00")},
		{"weekly one day sent the day before", weeklyAt(8, 0, time.Wednesday), "UTC", utcAt("2026-01-06 12:00"), utcAt("2026-01-14 08:00")},
		{"weekly one day sent after the slot time", weeklyAt(8, 0, time.Wednesday), "UTC", utcAt("2026-01-07 09:00"), utcAt("2026-01-21 08:00")},
		{"weekly every day is daily", weeklyAt(20, 0, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday), "Europe/London", utcAt("2026-01-10 20:30"), utcAt("2026-01-12 20:00")},
		{"weekly across NY spring forward", weeklyAt(20, 0, time.Sunday), "America/New_York", utcAt("2026-03-02 00:30"), utcAt("2026-03-16 00:00")}, // Sun 19:30 EST; Sun 20:00 EDT is 167h30 later

		// Every N days keeps its anchor: slots on Jan 1, 4, 7, 10, 13, 16.
		{"every 3 sent after the slot time", everyNAt(3, "2026-01-01", 8, 0), "UTC", utcAt("2026-01-11 08:30"), utcAt("2026-01-16 08:00")},
		{"every 3 sent on a slot day after the slot", everyNAt(3, "2026-01-01", 8, 0), "UTC", utcAt("2026-01-10 09:00"), utcAt("2026-01-16 08:00")},
		{"every 3 sent on a slot day before the slot", everyNAt(3, "2026-01-01", 8, 0), "UTC", utcAt("2026-01-10 07:00"), utcAt("2026-01-13 08:00")},
		{"every 2 across NY fall back", everyNAt(2, "2026-10-30", 20, 0), "America/New_York", utcAt("2026-10-31 00:30"), utcAt("2026-11-04 01:00")}, // 20:30 EDT; Nov 1 20:00 EST is 48h30 later but before 20:30
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loc := loadZone(t, tt.zone)
			got := tt.sched.NextAfterCatchUp(tt.sent, loc)
			if !got.Equal(tt.want) {
				t.Errorf("%s in %s: NextAfterCatchUp(%s) = %s (%s), want %s (%s)", tt.sched, tt.zone,
					tt.sent.UTC().Format(time.RFC3339), got.UTC().Format(time.RFC3339), got.In(loc).Format("2006-01-02 15:04 MST"),
					tt.want.Format(time.RFC3339), tt.want.In(loc).Format("2006-01-02 15:04 MST"))
			}
			if floor := tt.sent.Add(time.Duration(tt.sched.MinGapDays()) * 24 * time.Hour); got.Before(floor) {
				t.Errorf("NextAfterCatchUp(%s) = %s, less than %d days later", tt.sent, got, tt.sched.MinGapDays())
			}
		})
	}
}

// TestScheduleNextYearWalk walks Next over all of 2026 in zones with every
// kind of clock change and checks it fires exactly once on each firing date,
// always moving forward, at the wall time asked for or, where that time does
// not exist, at the jump; in a repeated hour, at the first occurrence.
func TestScheduleNextYearWalk(t *testing.T) {
	t.Parallel()
	zones := []string{
		"UTC", "America/New_York", "Europe/London", "America/Santiago", "America/Havana",
		"Africa/Cairo", "Asia/Beirut", "Australia/Lord_Howe", "Pacific/Chatham", "Australia/Sydney",
		"Asia/Kolkata", "Pacific/Kiritimati",
	}
	var scheds []Schedule
	for _, at := range [][2]int{{0, 0}, {0, 30}, {1, 30}, {2, 0}, {2, 15}, {2, 30}, {3, 0}, {12, 0}, {23, 0}, {23, 30}, {23, 59}} {
		scheds = append(scheds,
			dailyAt(at[0], at[1]),
			weeklyAt(at[0], at[1], time.Sunday, time.Saturday),
			weeklyAt(at[0], at[1], time.Monday, time.Wednesday, time.Friday),
			everyNAt(3, "2025-12-30", at[0], at[1]),
			everyNAt(7, "2026-03-01", at[0], at[1]),
		)
	}
	for _, zone := range zones {
		loc := loadZone(t, zone)
		for _, s := range scheds {
			t.Run(fmt.Sprintf("%s/%s", zone, s), func(t *testing.T) {
				t.Parallel()
				walkScheduleYear(t, s, loc)
			})
		}
	}
}

func walkScheduleYear(t *testing.T, s Schedule, loc *time.Location) {
	t.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Add(-time.Nanosecond)
	end := time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
	var fired []string // local dates
	prev := start
	for {
		next := s.Next(prev, loc)
		if next.IsZero() {
			t.Fatalf("Next(%s) = zero", prev)
		}
		if !next.After(prev) {
			t.Fatalf("Next(%s) = %s, not after", prev, next)
		}
		if !next.Before(end) {
			break
		}
		// Any instant between two slots leads to the later one.
		if mid := prev.Add(next.Sub(prev) / 2); !s.Next(mid, loc).Equal(next) {
			t.Errorf("Next(%s) = %s, want %s", mid, s.Next(mid, loc), next)
		}
		if before := next.Add(-time.Nanosecond); before.After(prev) && !s.Next(before, loc).Equal(next) {
			t.Errorf("Next(%s) = %s, want %s", before, s.Next(before, loc), next)
		}
		checkScheduleSlot(t, s, loc, next)
		fired = append(fired, next.In(loc).Format(time.DateOnly))
		prev = next
	}
	var want []string
	for d := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if s.onDate(d) {
			want = append(want, d.Format(time.DateOnly))
		}
	}
	if !slices.Equal(fired, want) {
		t.Errorf("fired on %d dates, want %d\nfired: %v\nwant:  %v", len(fired), len(want), fired, want)
	}
}

// checkSlot checks that got reads hour:minute on the local wall clock at its
// first occurrence, or is the jump over a gap that hour:minute fell into.
func checkScheduleSlot(t *testing.T, s Schedule, loc *time.Location, got time.Time) {
	t.Helper()
	l := got.In(loc)
	if l.Hour() == s.Hour && l.Minute() == s.Minute && l.Second() == 0 && l.Nanosecond() == 0 {
		// Not a second occurrence: no earlier instant that day reads the same.
		for _, d := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
			e := got.Add(-d).In(loc)
			if e.Day() == l.Day() && e.Hour() == s.Hour && e.Minute() == s.Minute {
				t.Errorf("%s: %s is a repeat of %s", s, l, e)
			}
		}
		return
	}
	// Otherwise got must be a clock change whose gap holds hour:minute.
	if start, _ := got.ZoneBounds(); !start.Equal(got) {
		t.Errorf("%s: fired at %s, neither the slot nor a clock change", s, l.Format("2006-01-02 15:04:05 MST"))
		return
	}
	justBefore := got.Add(-time.Nanosecond).In(loc)
	want := time.Date(l.Year(), l.Month(), l.Day(), s.Hour, s.Minute, 0, 0, time.UTC)
	wallBefore := time.Date(justBefore.Year(), justBefore.Month(), justBefore.Day(), justBefore.Hour(), justBefore.Minute(), justBefore.Second(), justBefore.Nanosecond(), time.UTC)
	wallAfter := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
	if !wallBefore.Before(want) || want.After(wallAfter) {
		t.Errorf("%s: fired at the clock change %s, but %02d:%02d is not in its gap (%s → %s)",
			s, got.UTC(), s.Hour, s.Minute, justBefore.Format("15:04:05 MST"), l.Format("15:04 MST"))
	}
}

func TestNewSchedule(t *testing.T) {
	t.Parallel()
	anchor := time.Date(2026, 11, 26, 23, 45, 0, 0, loadZone(t, "Pacific/Auckland"))
	tests := []struct {
		name     string
		cadence  string
		days     []string
		every    int
		at       string
		want     Schedule
		badField string // non-empty: want a *ValidationError for this field
	}{
		{name: "daily", cadence: "daily", at: "20:30", want: dailyAt(20, 30)},
		{name: "daily ignores days and every", cadence: " Daily ", days: []string{"mon"}, every: 3, at: "7:05", want: dailyAt(7, 5)},
		{name: "weekly sorts and dedups", cadence: "weekly", days: []string{"Thursday", "mon", "MON", "sun"}, at: "08:00",
			want: weeklyAt(8, 0, time.Sunday, time.Monday, time.Thursday)},
		{name: "every n keeps only the local date", cadence: "every_n_days", every: 3, at: "09:15",
			want: everyNAt(3, "2026-11-26", 9, 15)},
		{name: "every n at the bounds", cadence: "every_n_days", every: MaxEveryDays, at: "09:15",
			want: everyNAt(MaxEveryDays, "2026-11-26", 9, 15)},
		{name: "unknown cadence", cadence: "hourly", at: "20:30", badField: "cadence"},
		{name: "empty cadence", cadence: "", at: "20:30", badField: "cadence"},
		{name: "bad time", cadence: "daily", at: "25:00", badField: "time"},
		{name: "missing time", cadence: "daily", at: "", badField: "time"},
		{name: "weekly without days", cadence: "weekly", at: "20:30", badField: "days"},
		{name: "weekly bad day", cadence: "weekly", days: []string{"mon", "funday"}, at: "20:30", badField: "days"},
		{name: "every 1", cadence: "every_n_days", every: 1, at: "20:30", badField: "every"},
		{name: "every 31", cadence: "every_n_days", every: 31, at: "20:30", badField: "every"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := NewSchedule(tt.cadence, tt.days, tt.every, tt.at, anchor)
			if tt.badField != "" {
				checkInvalidField(t, err, tt.badField)
				return
			}
			if err != nil {
				t.Fatalf("NewSchedule: %v", err)
			}
			if !equalSchedules(got, tt.want) {
				t.Errorf("NewSchedule = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func checkInvalidField(t *testing.T, err error, field string) {
	t.Helper()
	if !IsInvalid(err) {
		t.Fatalf("err = %v, want a validation error for %q", err, field)
	}
	var v *ValidationError
	if errors.As(err, &v) && v.Field != field {
		t.Errorf("err field = %q (%v), want %q", v.Field, err, field)
	}
}

func equalSchedules(a, b Schedule) bool {
	return a.Cadence == b.Cadence && slices.Equal(a.Days, b.Days) && a.Every == b.Every &&
		a.Anchor.Equal(b.Anchor) && a.Hour == b.Hour && a.Minute == b.Minute
}

func TestScheduleStringRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sched Schedule
		text  string
	}{
		{dailyAt(20, 30), "daily 20:30"},
		{dailyAt(0, 0), "daily 00:00"},
		{dailyAt(7, 5), "daily 07:05"},
		{weeklyAt(20, 30, time.Monday, time.Thursday), "weekly mon,thu 20:30"},
		{weeklyAt(6, 0, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday),
			"weekly sun,mon,tue,wed,thu,fri,sat 06:00"},
		{everyNAt(3, "2026-11-26", 20, 30), "every 3 from 2026-11-26 20:30"},
		{everyNAt(30, "2027-02-28", 23, 59), "every 30 from 2027-02-28 23:59"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			if got := tt.sched.String(); got != tt.text {
				t.Errorf("String() = %q, want %q", got, tt.text)
			}
			got, err := ParseSchedule(tt.text)
			if err != nil {
				t.Fatalf("ParseSchedule(%q): %v", tt.text, err)
			}
			if !equalSchedules(got, tt.sched) {
				t.Errorf("ParseSchedule(%q) = %#v, want %#v", tt.text, got, tt.sched)
			}
			if got.String() != tt.text {
				t.Errorf("round trip = %q, want %q", got.String(), tt.text)
			}
		})
	}
}

func TestParseScheduleInvalid(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"",
		"daily",
		"20:30",
		"daily 25:00",
		"daily 20:30 extra",
		"hourly 20:30",
		"weekly 20:30",
		"weekly mon,xyz 20:30",
		"weekly mon, thu 20:30",
		"every 3 2026-11-26 20:30",
		"every x from 2026-11-26 20:30",
		"every 1 from 2026-11-26 20:30",
		"every 31 from 2026-11-26 20:30",
		"every 3 from 2026-13-01 20:30",
		"every 3 until 2026-11-26 20:30",
	} {
		t.Run(text, func(t *testing.T) {
			t.Parallel()
			s, err := ParseSchedule(text)
			if err == nil {
				t.Fatalf("ParseSchedule(%q) = %v, want an error", text, s)
			}
			if !IsInvalid(err) {
				t.Errorf("ParseSchedule(%q) err = %v, want a validation error", text, err)
			}
		})
	}
}

func TestScheduleDescribe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sched Schedule
		want  string
	}{
		{dailyAt(20, 30), "every day at 20:30"},
		{dailyAt(7, 5), "every day at 07:05"},
		{weeklyAt(20, 30, time.Sunday), "every Sunday at 20:30"},
		{weeklyAt(20, 30, time.Monday, time.Thursday), "every Monday and Thursday at 20:30"},
		{weeklyAt(8, 0, time.Monday, time.Wednesday, time.Friday), "every Monday, Wednesday and Friday at 08:00"},
		{weeklyAt(8, 0, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday), "every day at 08:00"},
		{everyNAt(3, "2026-11-26", 9, 0), "every 3 days at 09:00"},
	}
	for _, tt := range tests {
		if got := tt.sched.Describe(); got != tt.want {
			t.Errorf("%s: Describe() = %q, want %q", tt.sched, got, tt.want)
		}
	}
}

func TestParseTimeOfDay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in           string
		hour, minute int
		ok           bool
	}{
		{"20:30", 20, 30, true},
		{"7:05", 7, 5, true},
		{"07:05", 7, 5, true},
		{"00:00", 0, 0, true},
		{"23:59", 23, 59, true},
		{" 08:15 ", 8, 15, true},
		{"", 0, 0, false},
		{"24:00", 0, 0, false},
		{"12:60", 0, 0, false},
		{"1230", 0, 0, false},
		{"12:3", 0, 0, false},
		{"12:300", 0, 0, false},
		{"123:00", 0, 0, false},
		{":30", 0, 0, false},
		{"ab:cd", 0, 0, false},
		{"-1:00", 0, 0, false},
		{"12:30pm", 0, 0, false},
		{"12.30", 0, 0, false},
	}
	for _, tt := range tests {
		h, m, err := ParseTimeOfDay(tt.in)
		if !tt.ok {
			if !IsInvalid(err) {
				t.Errorf("ParseTimeOfDay(%q) = %d, %d, %v; want a validation error", tt.in, h, m, err)
			}
			continue
		}
		if err != nil || h != tt.hour || m != tt.minute {
			t.Errorf("ParseTimeOfDay(%q) = %d, %d, %v; want %d, %d", tt.in, h, m, err, tt.hour, tt.minute)
		}
	}
}

func TestParseWeekday(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Weekday
		ok   bool
	}{
		{"mon", time.Monday, true},
		{"Monday", time.Monday, true},
		{"MON", time.Monday, true},
		{"tues", time.Tuesday, true},
		{"wed", time.Wednesday, true},
		{"thurs", time.Thursday, true},
		{"fri", time.Friday, true},
		{"Saturday", time.Saturday, true},
		{" sun ", time.Sunday, true},
		{"sunday", time.Sunday, true},
		{"", 0, false},
		{"mo", 0, false},
		{"monx", 0, false},
		{"mondays", 0, false},
		{"funday", 0, false},
		{"1", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseWeekday(tt.in)
		if !tt.ok {
			if !IsInvalid(err) {
				t.Errorf("ParseWeekday(%q) = %v, %v; want a validation error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseWeekday(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}
