package summary

import (
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/phones"
)

// usZones are United States zones outside America/*.
var usZones = map[string]bool{"Pacific/Honolulu": true, "US/Eastern": true, "US/Central": true, "US/Mountain": true, "US/Pacific": true, "US/Alaska": true, "US/Hawaii": true}

// usAmerica are the America/* zones of the United States; other America/*
// zones (Toronto, Mexico City, …) are other countries.
var usAmerica = map[string]bool{
	"America/New_York": true, "America/Chicago": true, "America/Denver": true, "America/Los_Angeles": true,
	"America/Phoenix": true, "America/Anchorage": true, "America/Juneau": true, "America/Sitka": true,
	"America/Yakutat": true, "America/Nome": true, "America/Metlakatla": true, "America/Adak": true,
	"America/Boise": true, "America/Detroit": true, "America/Menominee": true,
	"America/Indiana/Indianapolis": true, "America/Indiana/Knox": true, "America/Indiana/Marengo": true,
	"America/Indiana/Petersburg": true, "America/Indiana/Tell_City": true, "America/Indiana/Vevay": true,
	"America/Indiana/Vincennes": true, "America/Indiana/Winamac": true, "America/Kentucky/Louisville": true,
	"America/Kentucky/Monticello": true, "America/North_Dakota/Beulah": true, "America/North_Dakota/Center": true,
	"America/North_Dakota/New_Salem": true, "America/Puerto_Rico": true,
}

// CountryOf guesses which built-in resource country ("us", "uk", "au",
// "nz") a subscriber lives in: from the phone number for SMS subscribers,
// else from the time zone. ok is false when it cannot tell, or the country
// has no built-in resources.
func CountryOf(sub steady.Subscriber) (string, bool) {
	if sub.Channel == steady.ChannelSMS {
		switch phones.Country(sub.Address) {
		case "US", "PR":
			return "us", true
		case "GB":
			return "uk", true
		case "AU":
			return "au", true
		case "NZ":
			return "nz", true
		}
		// A number from elsewhere: the time zone may still tell.
	}
	tz := sub.TimeZone
	switch {
	case tz == "Europe/London" || tz == "GB" || tz == "Europe/Belfast":
		return "uk", true
	case strings.HasPrefix(tz, "Australia/"):
		return "au", true
	case tz == "Pacific/Auckland" || tz == "Pacific/Chatham" || tz == "NZ":
		return "nz", true
	case usAmerica[tz] || usZones[tz]:
		return "us", true
	}
	return "", false
}

// SupportFor is the support resources for sub, as a safety note shows them.
func (s *Service) SupportFor(sub steady.Subscriber) []Resource { return s.resourcesFor(sub) }

// resourcesFor picks the support resources shown to sub: the operator's own
// when they set some (Config.Resources), else the built-in ones of the
// subscriber's country, else those of the operator's Config.Country.
func (s *Service) resourcesFor(sub steady.Subscriber) []Resource {
	if s.cfg.Resources != nil {
		return s.cfg.Resources
	}
	if c, ok := CountryOf(sub); ok {
		if r, ok := ResourcesFor(c); ok {
			return r
		}
	}
	r, _ := ResourcesFor(s.cfg.Country)
	return r
}
