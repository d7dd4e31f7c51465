package api

import (
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// subscriberView is a subscriber as the API shows it: how they are
// reached and when, never anything they wrote or agreed to in words.
type subscriberView struct {
	ID       int64        `json:"id"`
	Channel  string       `json:"channel"`
	Address  string       `json:"address"`
	Status   string       `json:"status"`
	TimeZone string       `json:"timezone"`
	Schedule scheduleView `json:"schedule"`
	// RequestedChange: a repeat sign-up asked for another time zone or
	// schedule, which applies only once the person confirms it.
	RequestedChange bool       `json:"requested_change"`
	NextPromptAt    *time.Time `json:"next_prompt_at"`
	PausedUntil     *time.Time `json:"paused_until"`
	CreatedAt       time.Time  `json:"created_at"`
	ConfirmSentAt   *time.Time `json:"confirm_sent_at"`
	ConfirmedAt     *time.Time `json:"confirmed_at"`
	UnsubscribedAt  *time.Time `json:"unsubscribed_at"`
	// AddressInvalidAt and BouncingAt say why nothing reaches them.
	AddressInvalidAt *time.Time `json:"address_invalid_at"`
	BouncingAt       *time.Time `json:"bouncing_at"`
	Discreet         bool       `json:"discreet"`
	SummariesOff     bool       `json:"summaries_off"`
	Resurface        bool       `json:"resurface"`
}

// scheduleView is a schedule as separate fields and as its stored text.
type scheduleView struct {
	Cadence string   `json:"cadence"`
	Days    []string `json:"days"`
	// Every is N for every_n_days, else 0.
	Every int `json:"every"`
	// Time is the local time of day, "HH:MM".
	Time string `json:"time"`
	// Text is the stored form ("weekly mon,thu 20:30"), Description the
	// words the subscriber sees ("every Monday and Thursday at 20:30").
	Text        string `json:"text"`
	Description string `json:"description"`
}

var dayNames = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func viewSchedule(s steady.Schedule) scheduleView {
	days := make([]string, 0, len(s.Days))
	for _, d := range s.Days {
		days = append(days, dayNames[d])
	}
	return scheduleView{
		Cadence:     string(s.Cadence),
		Days:        days,
		Every:       s.Every,
		Time:        fmt.Sprintf("%02d:%02d", s.Hour, s.Minute),
		Text:        s.String(),
		Description: s.Describe(),
	}
}

func viewSubscriber(s steady.Subscriber) subscriberView {
	return subscriberView{
		ID:               s.ID,
		Channel:          string(s.Channel),
		Address:          s.Address,
		Status:           string(s.Status),
		TimeZone:         s.TimeZone,
		Schedule:         viewSchedule(s.Schedule),
		RequestedChange:  s.RequestedTimeZone != "" || s.RequestedSchedule != nil,
		NextPromptAt:     stamp(s.NextSlot),
		PausedUntil:      stamp(s.PausedUntil),
		CreatedAt:        s.CreatedAt.UTC(),
		ConfirmSentAt:    stamp(s.ConfirmSentAt),
		ConfirmedAt:      stamp(s.ConfirmedAt),
		UnsubscribedAt:   stamp(s.UnsubscribedAt),
		AddressInvalidAt: stamp(s.AddressInvalidAt),
		BouncingAt:       stamp(s.BouncingAt),
		Discreet:         s.Discreet,
		SummariesOff:     s.SummariesOff,
		Resurface:        s.Resurface,
	}
}

// stamp is t in UTC, RFC 3339 when marshalled, or null when zero.
func stamp(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
