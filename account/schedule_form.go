package account

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// saveSchedule handles POST /settings: time of day, time zone, cadence
// and days. The new schedule applies at once: next_slot is the
// schedule's next time after now (or after a pause in effect ends).
// Bad input is shown back with its error and nothing is changed.
func (s *Settings) saveSchedule(w http.ResponseWriter, r *http.Request) {
	sub, session, ok := s.Auth(w, r)
	if !ok {
		return
	}
	errs := map[string]string{}
	zone, err := resolveZone(r.PostFormValue("timezone"))
	if err != nil {
		errs["timezone"] = problem(err)
		zone = sub.TimeZone
	}
	loc, _ := steady.LoadLocation(zone)
	now := s.clock.Now()
	every, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("every")))
	anchor := now.In(loc)
	if sub.Schedule.Cadence == steady.CadenceEveryN && !sub.Schedule.Anchor.IsZero() && every == sub.Schedule.Every {
		anchor = sub.Schedule.Anchor // the same rhythm keeps its start
	}
	sched, err := steady.NewSchedule(r.PostFormValue("cadence"), r.PostForm["days"], every, r.PostFormValue("time"), anchor)
	if err != nil {
		field := "cadence"
		var inv *steady.ValidationError
		if errors.As(err, &inv) {
			field = inv.Field
		}
		errs[field] = problem(err)
	}
	if len(errs) > 0 {
		v := s.viewOf(sub, session)
		v.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, "settings", "Your settings", v)
		return
	}
	got, err := s.change(r.Context(), sub.ID, func(ctx context.Context) (steady.Subscriber, error) {
		return s.store.SetSchedule(ctx, sub.ID, zone, sched, func(sub steady.Subscriber) (time.Time, error) {
			from := now
			if sub.PausedUntil.After(now) {
				from = sub.PausedUntil
			}
			return nextFrom(sub, from)
		})
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.saved(w, r, got, session, "Saved.")
}

// problem is a validation error's words for the person.
func problem(err error) string {
	var inv *steady.ValidationError
	if errors.As(err, &inv) && inv.Message != "" {
		msg := strings.ToUpper(inv.Message[:1]) + inv.Message[1:]
		if !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, ".") {
			msg += "." // "Did you mean Europe/London?" ends already
		}
		return msg
	}
	return "That isn't valid."
}
