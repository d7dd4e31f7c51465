package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
)

// updateInput is PATCH /api/v1/subscribers/{id}: any of the time zone and
// the schedule's fields; what is left out stays as it is.
type updateInput struct {
	TimeZone *string   `json:"timezone"`
	Cadence  *string   `json:"cadence"`
	Days     *[]string `json:"days"`
	Every    *int      `json:"every"`
	Time     *string   `json:"time"`
}

// updateSubscriber handles PATCH /api/v1/subscribers/{id}: a new time
// zone or schedule, at once, as the subscriber's settings page makes it
// (store.SetSchedule): the next prompt is the new schedule's next time
// after now, or after a pause in effect ends. Only an active subscriber's
// schedule changes: a pending one confirms the settings their
// confirmation named.
func (a *API) updateSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var in updateInput
	if err == nil {
		err = readJSON(w, r, &in)
	}
	if err == nil && in == (updateInput{}) {
		err = invalid("", "nothing to change: send timezone, cadence, days, every or time")
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
	zone, sched, err := changedSchedule(in, sub, now)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	got, err := a.store.SetSchedule(ctx, id, zone, sched, func(sub steady.Subscriber) (time.Time, error) {
		from := now
		if sub.PausedUntil.After(now) {
			from = sub.PausedUntil
		}
		return nextFrom(sub, from)
	})
	if errors.Is(err, steady.ErrConflict) {
		err = conflict(fmt.Sprintf("only an active subscriber's schedule can change; subscriber %d is %s", id, sub.Status))
	}
	if err != nil {
		a.fail(w, r, subscriberErr(id, err))
		return
	}
	a.record(ctx, "change schedule to "+got.Schedule.String()+" ("+got.TimeZone+")", subscriberTarget(id))
	writeJSON(w, http.StatusOK, viewSubscriber(got))
}

// changedSchedule is the subscriber's time zone and schedule with in's
// fields put in, checked as sign-up checks them. Keeping the same "every
// N days" keeps its rhythm's start; a new one starts today.
func changedSchedule(in updateInput, sub steady.Subscriber, now time.Time) (string, steady.Schedule, error) {
	zone := sub.TimeZone
	loc, err := sub.Location()
	if in.TimeZone != nil {
		zone, loc, err = resolveZone(*in.TimeZone)
	}
	if err != nil {
		return "", steady.Schedule{}, err
	}
	cur := viewSchedule(sub.Schedule)
	cadence, days, every, at := cur.Cadence, cur.Days, cur.Every, cur.Time
	if in.Cadence != nil {
		cadence = *in.Cadence
	}
	if in.Days != nil {
		days = *in.Days
	}
	if in.Every != nil {
		every = *in.Every
	}
	if in.Time != nil {
		at = *in.Time
	}
	anchor := now.In(loc)
	if sub.Schedule.Cadence == steady.CadenceEveryN && !sub.Schedule.Anchor.IsZero() && every == sub.Schedule.Every {
		anchor = sub.Schedule.Anchor
	}
	sched, err := steady.NewSchedule(cadence, days, every, at, anchor)
	return zone, sched, err
}
