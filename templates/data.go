package templates

import "time"

// Data is what every template receives. Fields a kind does not use are
// empty (ConfirmURL is set only for confirmations; the prompt and reply
// fields only for prompts).
type Data struct {
	ProgramName string // e.g. "Steady"
	Address     string // the subscriber's email address or phone number
	// Schedule says in words how often prompts come, e.g. "every Monday
	// and Thursday at 20:30"; TimeZone is the IANA zone it is read in. For
	// a confirmation they are the settings being confirmed.
	Schedule string
	TimeZone string
	// Slot is the delivery's slot in the subscriber's time zone, and
	// Weekday its day name ("Thursday").
	Slot    time.Time
	Weekday string

	PromptID   string
	Theme      string // theme id, e.g. "honesty"
	PromptText string
	Answer     string // "yesno" or "scale"

	ConfirmURL        string
	UnsubscribeURL    string
	UnsubscribeMailto string
	// SettingsURL opens the subscriber's settings page (prompts only:
	// it works for an active subscriber).
	SettingsURL string
	// NextPrompt is when the next prompt comes, in words and in the
	// subscriber's zone ("Tuesday 1 December, 07:15"), and PausedUntil
	// the day a pause ends ("Thursday 10 December") or "": notices only.
	NextPrompt  string
	PausedUntil string
	ReplyURL    string
	// EmailReplies is true when a reply to this email is read and kept
	// (ReplyAddress is then its Reply-To); false, the prompt must ask for
	// the answer on the web page only.
	EmailReplies bool
	ReplyAddress string

	// Discreet: the subscriber chose discreet mode. Subjects, preview
	// lines and texts then say nothing about relationships or
	// reflections; an SMS prompt is only a neutral line and the reply
	// page's link.
	Discreet bool
	// Past is something the subscriber wrote a month or more ago, shown in
	// a prompt now and then (resurfacing); nil in most prompts, and always
	// in discreet mode.
	Past *Past
}

// Past is a reply resurfaced in a prompt.
type Past struct {
	Text string // the subscriber's own words
	When string // when they wrote them, e.g. "on 3 October"
	// StopURL is the one-click page that turns resurfacing off (a POST
	// there does it; opening it only shows the button).
	StopURL string
}

// sampleData fills every field, to try each template at Load.
func sampleData() Data {
	slot := time.Date(2026, 11, 26, 20, 30, 0, 0, time.UTC)
	return Data{
		ProgramName:       "Steady",
		Address:           "sample@example.com",
		Schedule:          "every Monday and Thursday at 20:30",
		TimeZone:          "Europe/London",
		Slot:              slot,
		Weekday:           slot.Weekday().String(),
		PromptID:          "honesty-1",
		Theme:             "honesty",
		PromptText:        "Sample question?",
		Answer:            "yesno",
		ConfirmURL:        "https://example.com/confirm/token",
		UnsubscribeURL:    "https://example.com/unsubscribe/token",
		UnsubscribeMailto: "mailto:unsubscribe@example.com?subject=unsubscribe",
		ReplyURL:          "https://example.com/reply/token",
		SettingsURL:       "https://example.com/settings?t=token",
		NextPrompt:        "Tuesday 1 December, 07:15",
		PausedUntil:       "Thursday 10 December",
		ReplyAddress:      "reply+token@example.com",
		EmailReplies:      true,
		Past:              &Past{Text: "Sample words.", When: "on 3 October", StopURL: "https://example.com/past-words/token"},
	}
}
