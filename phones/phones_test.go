package phones_test

import (
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/phones"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	us := phones.Rules{DefaultRegion: "US"}
	limited := phones.Rules{DefaultRegion: "US", Countries: []string{"US", "CA"}}
	none := phones.Rules{}
	for _, tc := range []struct {
		name  string
		rules phones.Rules
		in    string
		want  string // "" means an error
	}{
		{"national US", us, "(201) 555-0123", "+12015550123"},
		{"international GB", us, "+44 7400 123456", "+447400123456"},
		{"Ofcom drama range is not valid", us, "+44 7700 900123", ""},
		{"with spaces and dots", us, " 201.555.0123 ", "+12015550123"},
		{"possible but not valid", us, "+1 555 555 5555", ""},
		{"too short", us, "12345", ""},
		{"letters", us, "call me", ""},
		{"empty", us, "  ", ""},
		{"no region and no plus", none, "2015550123", ""},
		{"no region with plus", none, "+12015550123", "+12015550123"},
		{"disallowed country", limited, "+44 7400 123456", ""},
		{"allowed Canadian", limited, "+1 613 555 0100", "+16135550100"},
		{"UK landline cannot take texts", us, "+442079460000", ""},
		{"Australian mobile", us, "+61 412 345 678", "+61412345678"},
		{"too long", us, "+1 201 555 0123 0123 0123 0123 0123 0123 0123 0123", ""},
	} {
		got, err := tc.rules.Normalize(tc.in)
		if tc.want == "" {
			if err == nil {
				// A few fixture numbers may turn out valid; report which.
				t.Errorf("%s: %q accepted as %s", tc.name, tc.in, got)
			} else if !steady.IsInvalid(err) {
				t.Errorf("%s: error is not a validation error: %v", tc.name, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestParseCountries(t *testing.T) {
	t.Parallel()
	got, err := phones.ParseCountries(" us, CA ,gb,")
	if err != nil || len(got) != 3 || got[0] != "US" || got[2] != "GB" {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := phones.ParseCountries("US,XX"); err == nil {
		t.Error("XX accepted")
	}
	if err := (phones.Rules{DefaultRegion: "QQ"}).Check(); err == nil {
		t.Error("default region QQ accepted")
	}
}

func TestTimeZone(t *testing.T) {
	t.Parallel()
	if z, ok := phones.TimeZone("+447400123456"); !ok || z != "Europe/London" {
		t.Errorf("GB: %q %v", z, ok)
	}
	if z, ok := phones.TimeZone("+12015550123"); ok && z != "America/New_York" {
		t.Errorf("NJ: %q", z)
	}
	if z, ok := phones.TimeZone("+33612345678"); !ok || z != "Europe/Paris" {
		t.Errorf("FR: %q %v", z, ok)
	}
	if z, ok := phones.TimeZone("+18005550100"); ok {
		t.Errorf("a US toll-free number spans zones, got %q", z)
	}
	if _, ok := phones.TimeZone("not a number"); ok {
		t.Error("guessed a zone for garbage")
	}
}

func TestMask(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"+447400123456": "+**********56", "12": "**", "": "", "+1": "+*"} {
		if got := phones.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountry(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"+447400123456": "GB", "+12015550123": "US", "+61412345678": "AU", "+64211234567": "NZ", "garbage": ""} {
		if got := phones.Country(in); got != want {
			t.Errorf("Country(%q) = %q, want %q", in, got, want)
		}
	}
}
