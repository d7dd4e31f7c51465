package account

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
)

// maxPause is the furthest ahead a pause may end.
const maxPause = 366 * 24 * time.Hour

// pause handles POST /settings/pause: for 1, 2 or 4 weeks, or until a
// date (the start of that day in the subscriber's zone). Prompts already
// queued stay unsent (store.Pause) and resume by themselves.
func (s *Settings) pause(w http.ResponseWriter, r *http.Request) {
	sub, session, ok := s.Auth(w, r)
	if !ok {
		return
	}
	now := s.clock.Now()
	until, err := pauseEnd(r.PostFormValue("for"), r.PostFormValue("until"), sub, now)
	if err != nil {
		v := s.viewOf(sub, session)
		v.Errors = map[string]string{"pause": problem(err)}
		s.render(w, r, http.StatusUnprocessableEntity, "settings", "Your settings", v)
		return
	}
	got, err := s.change(r.Context(), sub.ID, func(ctx context.Context) (steady.Subscriber, error) {
		return s.store.Pause(ctx, sub.ID, until, now, nextFrom)
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	loc, _ := got.Location()
	s.saved(w, r, got, session, "Paused until "+until.In(loc).Format("Monday 2 January")+".")
}

// pauseEnd reads the pause form.
func pauseEnd(choice, date string, sub steady.Subscriber, now time.Time) (time.Time, error) {
	switch choice {
	case "1w":
		return now.Add(7 * 24 * time.Hour), nil
	case "2w", "":
		return now.Add(14 * 24 * time.Hour), nil
	case "4w":
		return now.Add(28 * 24 * time.Hour), nil
	case "date":
	default:
		return time.Time{}, steady.Invalid("pause", "choose how long to pause")
	}
	loc, err := sub.Location()
	if err != nil {
		return time.Time{}, err
	}
	day, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return time.Time{}, steady.Invalid("pause", "choose the date prompts start again")
	}
	if !day.After(now) || day.Sub(now) > maxPause {
		return time.Time{}, steady.Invalid("pause", "choose a date after today and within a year")
	}
	return day, nil
}

// resume handles POST /settings/resume: prompts start again from now.
func (s *Settings) resume(w http.ResponseWriter, r *http.Request) {
	sub, session, ok := s.Auth(w, r)
	if !ok {
		return
	}
	got, err := s.change(r.Context(), sub.ID, func(ctx context.Context) (steady.Subscriber, error) {
		return s.store.Resume(ctx, sub.ID, s.clock.Now(), nextFrom)
	})
	if errors.Is(err, steady.ErrConflict) {
		s.fail(w, r, http.StatusGone, closedPage)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.saved(w, r, got, session, "Prompts start again.")
}
