package summary

import "github.com/steadyapp/steady/themes"

// about says, in Steady's own words, what the article says about a red
// flag on each theme.
var about = map[string]string{
	themes.Safety:        "Nothing in a relationship matters more than your safety. Being hurt, threatened or made afraid by a partner is never your fault, and you deserve support. If you are ever thinking about hurting yourself, please reach out right away: the people listed here will listen.",
	themes.Honesty:       "The article counts dishonesty, and lying early on above all, among the clearest red flags: when small things are not told straight, it is hard to rely on the big ones.",
	themes.KeepingWord:   "The article names not keeping one's word next to lying as one of the biggest red flags: promises that keep breaking show how far a partner's word can be leaned on.",
	themes.Trust:         "The article puts trust, at all times, among the things a relationship cannot do without: feeling at ease with each other, without checking up, and being trusted in return.",
	themes.Confiding:     "The article stresses being able to share your feelings and thoughts openly; it is how a friendship, and then a partnership, is built.",
	themes.HasYourBack:   "This is the heart of the article: a partner who stands with you when push comes to shove, including in front of family or friends who disapprove.",
	themes.Distancing:    "The article warns about a partner who pulls away when things get hard, or sides with the people who do not accept you, instead of staying close.",
	themes.FearDoubt:     "The article sees choices made from fear of what others think, or from doubt about the two of you, as red flags that can leave you standing alone.",
	themes.Friendship:    "The article's advice is to be with your best friend: someone you enjoy, can talk to about anything, and like who you are with.",
	themes.Dependability: "The article calls being able to depend on your partner essential: help, reassurance and steadiness, day to day and when you face something hard.",
}

// Resource is one place a subscriber can turn to for support.
type Resource struct {
	Name    string `json:"name"`
	Contact string `json:"contact"`
}

// Support resources by country, for the safety note and the summary. The
// operator chooses the country (STEADY_SUPPORT_COUNTRY) or replaces them
// (STEADY_SUPPORT_RESOURCES).
var countryResources = map[string][]Resource{
	"us": {
		{"National Domestic Violence Hotline (free, confidential, 24/7)", "call 1-800-799-7233"},
		{"National Domestic Violence Hotline text line", "text START to 88788"},
		{"988 Suicide & Crisis Lifeline, if you think about hurting yourself", "call or text 988"},
		{"In an emergency", "call 911"},
	},
	"uk": {
		{"National Domestic Abuse Helpline (free, confidential, 24/7)", "call 0808 2000 247"},
		{"Samaritans, if you think about hurting yourself (free, 24/7)", "call 116 123"},
		{"In an emergency", "call 999"},
	},
	"au": {
		{"1800RESPECT (free, confidential, 24/7)", "call 1800 737 732"},
		{"1800RESPECT text line", "text 0458 737 732"},
		{"Lifeline, if you think about hurting yourself (24/7)", "call 13 11 14"},
		{"In an emergency", "call 000"},
	},
	"nz": {
		{"Women's Refuge crisis line (free, 24/7)", "call 0800 733 843"},
		{"Are You OK family violence helpline", "call 0800 456 450"},
		{"Need to talk?, if you think about hurting yourself (free, 24/7)", "call or text 1737"},
		{"In an emergency", "call 111"},
	},
}

// Countries lists the countries with built-in support resources.
func Countries() []string { return []string{"au", "nz", "uk", "us"} }

// ResourcesFor returns the built-in support resources for a country code.
func ResourcesFor(country string) ([]Resource, bool) {
	r, ok := countryResources[country]
	return append([]Resource(nil), r...), ok
}
