package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// maxPause is the furthest ahead a pause may end, as on the settings page.
const maxPause = 366 * 24 * time.Hour

// pauseInput is POST .../pause: either until (an RFC 3339 time, or a date
// meaning the start of that day in the subscriber's time zone) or weeks.
type pauseInput struct {
	Until *string `json:"until"`
	Weeks *int    `json:"weeks"`
}

// pauseSubscriber handles POST /api/v1/subscribers/{id}/pause. Prompts
// stop until the end and then resume by themselves; prompts already
// queued stay unsent (store.Pause). Only an active subscriber pauses.
func (a *API) pauseSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var in pauseInput
	if err == nil {
		err = readJSON(w, r, &in)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	sub, err := a.store.Subscriber(ctx, id)
	if err != nil {
		a.fail(w, r, subscriberErr(id, err))
		return
	}
	now := a.clock.Now()
	until, err := pauseEnd(in, sub, now)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	got, err := a.store.Pause(ctx, id, until, now, nextFrom)
	if errors.Is(err, steady.ErrConflict) {
		err = conflict(fmt.Sprintf("only an active subscriber can pause; subscriber %d is %s", id, sub.Status))
	}
	if err != nil {
		a.fail(w, r, subscriberErr(id, err))
		return
	}
	a.record(ctx, "pause until "+until.UTC().Format(time.RFC3339), subscriberTarget(id))
	writeJSON(w, http.StatusOK, viewSubscriber(got))
}

// pauseEnd reads when a pause ends: after now, within maxPause.
func pauseEnd(in pauseInput, sub steady.Subscriber, now time.Time) (time.Time, error) {
	var until time.Time
	switch {
	case in.Until != nil && in.Weeks != nil:
		return time.Time{}, invalid("until", "give until or weeks, not both")
	case in.Weeks != nil:
		if *in.Weeks < 1 || *in.Weeks > 52 {
			return time.Time{}, invalid("weeks", "weeks must be a whole number from 1 to 52")
		}
		until = now.Add(time.Duration(*in.Weeks) * 7 * 24 * time.Hour)
	case in.Until != nil:
		text := strings.TrimSpace(*in.Until)
		t, err := time.Parse(time.RFC3339, text)
		if err != nil {
			loc, lerr := sub.Location()
			if lerr != nil {
				return time.Time{}, lerr
			}
			if t, err = time.ParseInLocation(time.DateOnly, text, loc); err != nil {
				return time.Time{}, invalid("until", "until must be an RFC 3339 time (2026-12-24T09:00:00Z) or a date (2026-12-24, the start of that day in the subscriber's time zone)")
			}
		}
		until = t
	default:
		return time.Time{}, invalid("until", "say how long to pause: until (a time or a date) or weeks")
	}
	if !until.After(now) || until.Sub(now) > maxPause {
		return time.Time{}, invalid(cmpField(in), "a pause must end after now and within a year")
	}
	return until, nil
}

func cmpField(in pauseInput) string {
	if in.Weeks != nil {
		return "weeks"
	}
	return "until"
}

// nextFrom is the scheduler's rule for the first slot after from.
func nextFrom(sub steady.Subscriber, from time.Time) (time.Time, error) {
	loc, err := sub.Location()
	if err != nil {
		return time.Time{}, err
	}
	return sub.Schedule.Next(from, loc), nil
}
