// Package phones parses, checks and masks phone numbers for the SMS
// channel, with nyaruka/phonenumbers (a port of Google's libphonenumber).
package phones

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/steadyapp/steady"
)

// Rules say which numbers are accepted.
type Rules struct {
	// DefaultRegion is the ISO 3166 country assumed for a number typed
	// without a +country code, e.g. "US" or "GB". Empty: a + is required.
	DefaultRegion string
	// Countries, if not empty, are the only countries (ISO 3166 codes)
	// whose numbers are accepted (STEADY_SMS_COUNTRIES).
	Countries []string
}

// ParseCountries reads a list like "US,CA,GB" (spaces allowed) and checks
// each code is a region phonenumbers knows.
func ParseCountries(s string) ([]string, error) {
	var out []string
	supported := phonenumbers.GetSupportedRegions()
	for _, c := range strings.Split(s, ",") {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		if !supported[c] {
			return nil, fmt.Errorf("phones: %q is not a country code such as US or GB", c)
		}
		out = append(out, c)
	}
	return out, nil
}

// Check validates the rules themselves.
func (r Rules) Check() error {
	if r.DefaultRegion != "" && !phonenumbers.GetSupportedRegions()[strings.ToUpper(r.DefaultRegion)] {
		return fmt.Errorf("phones: default region %q is not a country code such as US or GB", r.DefaultRegion)
	}
	return nil
}

// Normalize parses a typed number and returns it in E.164 (+447700900123).
// It must be a valid number (IsValidNumber, not merely a possible one) from
// an allowed country; mistakes are steady.Invalid errors on field "phone".
func (r Rules) Normalize(typed string) (string, error) {
	s := strings.TrimSpace(typed)
	if s == "" {
		return "", steady.Invalid("phone", "a phone number is required")
	}
	if len(s) > 40 {
		return "", steady.Invalid("phone", "that is too long to be a phone number")
	}
	region := strings.ToUpper(r.DefaultRegion)
	if region == "" {
		region = phonenumbers.UNKNOWN_REGION
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		if !strings.HasPrefix(s, "+") && r.DefaultRegion == "" {
			return "", steady.Invalid("phone", "start the number with + and the country code, e.g. +44 7700 900123")
		}
		return "", steady.Invalid("phone", "%q is not a phone number", s)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", steady.Invalid("phone", "%q is not a valid phone number", s)
	}
	// Only numbers that can receive texts: a landline cannot.
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
	default:
		return "", steady.Invalid("phone", "%q is not a mobile number; text messages need a mobile phone", s)
	}
	country := phonenumbers.GetRegionCodeForNumber(n)
	if len(r.Countries) > 0 && !slices.Contains(r.Countries, country) {
		return "", steady.Invalid("phone", "text messages can only be sent to numbers in %s", strings.Join(r.Countries, ", "))
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// TimeZone guesses the time zone of an E.164 number; ok is false unless
// every zone the number may be in keeps the same clock (an area code spanning
// two zones, for instance). Of equivalent zones the last by name is chosen.
func TimeZone(e164 string) (zone string, ok bool) {
	n, err := phonenumbers.Parse(e164, phonenumbers.UNKNOWN_REGION)
	if err != nil {
		return "", false
	}
	zones, err := phonenumbers.GetTimezonesForNumber(n)
	if err != nil || len(zones) == 0 {
		return "", false
	}
	// Several zones that keep the same clock all year (a British number
	// lists Guernsey, the Isle of Man and London) are as good as one.
	var offsets []int
	for _, z := range zones {
		loc, err := steady.LoadLocation(z)
		if err != nil {
			return "", false
		}
		for i, month := range []time.Month{time.January, time.April, time.July, time.October} {
			_, off := time.Date(2026, month, 15, 12, 0, 0, 0, loc).Zone()
			if len(offsets) < 4 {
				offsets = append(offsets, off)
			} else if offsets[i] != off {
				return "", false
			}
		}
	}
	return slices.Max(zones), true
}

// Mask hides all but the last two digits, for logs: "+*********23".
func Mask(number string) string {
	prefix := ""
	if strings.HasPrefix(number, "+") {
		prefix, number = "+", number[1:]
	}
	if len(number) <= 2 {
		return prefix + strings.Repeat("*", len(number))
	}
	return prefix + strings.Repeat("*", len(number)-2) + number[len(number)-2:]
}

// Country returns the ISO 3166 code (upper case, e.g. "GB") of the country
// an E.164 number belongs to; "" when it cannot tell.
func Country(e164 string) string {
	n, err := phonenumbers.Parse(e164, phonenumbers.UNKNOWN_REGION)
	if err != nil {
		return ""
	}
	region := phonenumbers.GetRegionCodeForNumber(n)
	if region == phonenumbers.UNKNOWN_REGION {
		return ""
	}
	return region
}

// CallingCode is the international calling code of a country (44 for
// "GB"), or 0 if it has none.
func CallingCode(region string) int {
	return phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region))
}
