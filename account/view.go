package account

import (
	"fmt"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
)

// view is what the settings page shows.
type view struct {
	Session string
	Saved   string // "Saved. Your next prompt: …" after a change
	Next    string // when the next prompt comes
	Errors  map[string]string

	Email                  bool // prompts come by email (else by text)
	TimeZone, Time         string
	Cadence                string
	Days                   []dayChoice
	Every                  int
	MinEvery, MaxEvery     int
	Paused                 bool
	PausedUntil            string
	PauseMin               string // the earliest date a pause may end (YYYY-MM-DD)
	Discreet, SummariesOff bool
	Resurface              bool

	// Moving to a new address: which kinds this deployment offers, what
	// was typed (after a refusal), a pending move and a request just made.
	MoveEmail, MovePhone           bool
	MoveEmailValue, MovePhoneValue string
	MovePending, Moved             string
}

type dayChoice struct {
	Value, Label string
	Checked      bool
}

// nextText is when sub's next prompt comes, in their zone:
// "Tuesday 8 December, 20:30 (Europe/London)".
func nextText(sub steady.Subscriber) string {
	loc, err := sub.Location()
	if err != nil || sub.NextSlot.IsZero() {
		return "not scheduled"
	}
	return fmt.Sprintf("%s (%s)", sub.NextSlot.In(loc).Format("Monday 2 January, 15:04"), sub.TimeZone)
}

// viewOf fills the page from the stored subscriber.
func (s *Settings) viewOf(sub steady.Subscriber, session string) view {
	v := view{
		Session: session, Next: nextText(sub), Email: sub.Channel == steady.ChannelEmail,
		TimeZone: sub.TimeZone, Time: fmt.Sprintf("%02d:%02d", sub.Schedule.Hour, sub.Schedule.Minute),
		Cadence: string(sub.Schedule.Cadence), Every: sub.Schedule.Every,
		MinEvery: steady.MinEveryDays, MaxEvery: steady.MaxEveryDays,
		Discreet: sub.Discreet, SummariesOff: sub.SummariesOff, Resurface: sub.Resurface,
	}
	if s.addresses != nil {
		v.MoveEmail, v.MovePhone = s.addresses.Offers(steady.ChannelEmail), s.addresses.Offers(steady.ChannelSMS)
	}
	if v.Every == 0 {
		v.Every = 3
	}
	loc, err := sub.Location()
	if err != nil {
		loc = time.UTC
	}
	now := s.clock.Now()
	if sub.PausedUntil.After(now) {
		v.Paused = true
		v.PausedUntil = sub.PausedUntil.In(loc).Format("Monday 2 January")
	}
	v.PauseMin = now.In(loc).AddDate(0, 0, 1).Format(time.DateOnly)
	for d := time.Monday; d <= time.Saturday+1; d++ {
		wd := d % 7
		checked := false
		for _, x := range sub.Schedule.Days {
			checked = checked || x == wd
		}
		v.Days = append(v.Days, dayChoice{Value: wd.String()[:3], Label: wd.String(), Checked: checked})
	}
	return v
}

// page serves GET /settings.
func (s *Settings) page(w http.ResponseWriter, r *http.Request) {
	sub, session, ok := s.Auth(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "settings", "Your settings", s.viewOf(sub, session))
}

// saved renders the page after a change, saying when the next prompt comes.
func (s *Settings) saved(w http.ResponseWriter, r *http.Request, sub steady.Subscriber, session, what string) {
	v := s.viewOf(sub, session)
	v.Saved = what + " Your next prompt: " + v.Next
	s.log.InfoContext(r.Context(), "settings changed", "subscriber", sub.ID)
	s.render(w, r, http.StatusOK, "settings", "Your settings", v)
}

// nextFrom is the scheduler's rule for the first slot after from (as
// confirming and PAUSE use): the schedule's next time in the zone.
func nextFrom(sub steady.Subscriber, from time.Time) (time.Time, error) {
	loc, err := sub.Location()
	if err != nil {
		return time.Time{}, err
	}
	return sub.Schedule.Next(from, loc), nil
}
