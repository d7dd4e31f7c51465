package scheduler

import (
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at parses "2006-01-02 15:04" as UTC.
func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustSchedule(t testing.TB, text string) steady.Schedule {
	t.Helper()
	s, err := steady.ParseSchedule(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNextSlot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		schedule string
		zone     string
		slot     time.Time
		now      time.Time
		want     time.Time
	}{
		{"on time", "daily 20:30", "Europe/London", at("2026-01-10 20:30"), at("2026-01-10 20:30"), at("2026-01-11 20:30")},
		{"a late tick keeps the schedule", "daily 20:30", "Europe/London", at("2026-01-10 20:30"), at("2026-01-10 20:47"), at("2026-01-11 20:30")},
		{"late by exactly the grace keeps the schedule", "daily 20:30", "Europe/London", at("2026-01-10 20:30"), at("2026-01-10 21:30"), at("2026-01-11 20:30")},
		// Later than the grace it is a catch-up: the next slot is the first a
		// whole cadence after now.
		{"late by more than the grace is a catch-up", "daily 20:30", "Europe/London", at("2026-01-10 20:30"), at("2026-01-10 21:31"), at("2026-01-12 20:30")},
		{"one missed slot, back just before today's", "daily 20:30", "Europe/London", at("2026-01-09 20:30"), at("2026-01-10 20:25"), at("2026-01-11 20:30")},
		{"late by more than a day waits a day after now", "daily 20:30", "Europe/London", at("2026-01-10 20:30"), at("2026-01-13 09:00"), at("2026-01-14 20:30")},
		{"a catch-up at a slot time", "daily 20:30", "Europe/London", at("2026-01-10 20:30"), at("2026-01-12 20:30"), at("2026-01-13 20:30")},
		{"weekly outage waits the shortest spacing", "weekly mon,thu 08:00", "UTC", at("2026-01-05 08:00"), at("2026-01-20 12:00"), at("2026-01-26 08:00")},
		{"every 3 outage keeps the anchor", "every 3 from 2026-01-01 08:00", "UTC", at("2026-01-04 08:00"), at("2026-01-11 08:30"), at("2026-01-16 08:00")},
		{"from the spring gap", "daily 02:30", "America/New_York", at("2026-03-08 07:00"), at("2026-03-08 07:00"), at("2026-03-09 06:30")},
		{"from the fall repeat, an hour late", "daily 01:30", "America/New_York", at("2026-11-01 05:30"), at("2026-11-01 06:30"), at("2026-11-02 06:30")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := nextSlot(mustSchedule(t, tt.schedule), tt.slot, tt.now, mustLoc(t, tt.zone))
			if !got.Equal(tt.want) {
				t.Errorf("nextSlot = %s, want %s", got.UTC(), tt.want)
			}
		})
	}
}

func TestExponentialBackoff(t *testing.T) {
	t.Parallel()
	b := ExponentialBackoff(time.Minute, time.Hour)
	want := map[int]time.Duration{
		0: time.Minute, 1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 4: 8 * time.Minute,
		6: 32 * time.Minute, 7: time.Hour, 8: time.Hour, 1000: time.Hour,
	}
	for attempts, w := range want {
		if got := b(attempts); got != w {
			t.Errorf("backoff(%d) = %s, want %s", attempts, got, w)
		}
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	err := errorString("550 5.1.1 <Ann.Lee@Example.com>: recipient rejected; ann.lee@example.com unknown")
	got := redact(err, "Ann.Lee@example.com", "")
	want := "550 5.1.1 <<recipient>>: recipient rejected; <recipient> unknown"
	if got != want {
		t.Errorf("redact = %q, want %q", got, want)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
