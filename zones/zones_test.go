package zones

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"london", "Europe/London"},
		{"London", "Europe/London"},
		{"  LONDON ", "Europe/London"},
		{"europe/london", "Europe/London"},
		{"EUROPE/LONDON", "Europe/London"},
		{"Europe/London", "Europe/London"},
		{"europe / london", "Europe/London"},
		{"Eastern", "America/New_York"},
		{"eastern time", "America/New_York"},
		{"Pacific", "America/Los_Angeles"},
		{"Central", "America/Chicago"},
		{"Mountain", "America/Denver"},
		{"UK", "Europe/London"},
		{"Britain", "Europe/London"},
		{"new york", "America/New_York"},
		{"New_York", "America/New_York"},
		{"Sydney", "Australia/Sydney"},
		{"Paris", "Europe/Paris"},
		{"Mumbai", "Asia/Kolkata"},
		{"India", "Asia/Kolkata"},
		{"Tokyo", "Asia/Tokyo"},
		{"Japan", "Asia/Tokyo"},
		{"Los Angeles", "America/Los_Angeles"},
		{"São Paulo", "America/Sao_Paulo"},
		{"sao paulo", "America/Sao_Paulo"},
		{"america/argentina/buenos_aires", "America/Argentina/Buenos_Aires"},
		{"UTC", "UTC"},
		{"utc", "UTC"},
		{"America/Indianapolis", "America/Indianapolis"}, // a link, not in the list, still an IANA name
	} {
		got, err := Resolve(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestResolveRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		suggest string // in the message, or "" for none
		abbrev  bool
	}{
		{"Londn", "Did you mean Europe/London?", false},
		{"europe/londn", "Europe/London", false},
		{"Sydny", "Australia/Sydney", false},
		{"EST", "America/New_York", true},
		{"GMT", "Europe/London or UTC", true},
		{"xqzzv wobble", "", false},
		{"", "", false},
	} {
		got, err := Resolve(tc.in)
		var ze *Error
		if !errors.As(err, &ze) {
			t.Errorf("Resolve(%q) = %q, %v; want an *Error", tc.in, got, err)
			continue
		}
		msg := err.Error()
		if tc.suggest == "" && strings.Contains(msg, "Did you mean") {
			t.Errorf("Resolve(%q): %q suggests something for garbage", tc.in, msg)
		}
		if tc.suggest != "" && !strings.Contains(msg, tc.suggest) {
			t.Errorf("Resolve(%q): %q does not suggest %q", tc.in, msg, tc.suggest)
		}
		if ze.Abbreviation != tc.abbrev {
			t.Errorf("Resolve(%q): Abbreviation = %v", tc.in, ze.Abbreviation)
		}
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	list := List(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
	if len(list) < 300 {
		t.Fatalf("List has %d zones", len(list))
	}
	want := map[string]string{
		"Europe/London":    "London (Europe/London), UTC+0/+1",
		"Asia/Kolkata":     "Kolkata (Asia/Kolkata), UTC+5:30",
		"America/New_York": "New York (America/New_York), UTC-5/-4",
		"UTC":              "UTC (no summer time)",
	}
	for _, z := range list {
		if w, ok := want[z.Name]; ok {
			if z.Label != w {
				t.Errorf("label of %s = %q, want %q", z.Name, z.Label, w)
			}
			delete(want, z.Name)
		}
		if got, err := Resolve(z.Name); err != nil || got != z.Name {
			t.Errorf("Resolve(%q) = %q, %v: every listed zone resolves to itself", z.Name, got, err)
		}
	}
	for n := range want {
		t.Errorf("%s missing from List", n)
	}
}

func TestResolveRefusesFixedOffsets(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"UTC+1", "GMT-5", "+01:00", "-0500", "Etc/GMT+5", "EST5EDT", "PST8PDT"} {
		got, err := Resolve(in)
		var ze *Error
		if !errors.As(err, &ze) || !ze.Abbreviation || !strings.Contains(err.Error(), "summer time") {
			t.Errorf("Resolve(%q) = %q, %v; want a refusal that says why", in, got, err)
		}
	}
}
