package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
)

// ConfirmWording is the confirm page's button; the exact string is stored
// with the confirmation's consent record.
const ConfirmWording = "Yes, start sending me reflection prompts"

// confirmData fills the confirm page and the "you're subscribed" page.
type confirmData struct {
	Token    string
	Button   string
	Schedule steady.Schedule
	TimeZone string
	First    time.Time
	Location *time.Location
	// Again: the subscriber was already active, so the prompt named is
	// their next one, not their first.
	Again bool
}

// tokenFrom reads t from the posted form, falling back to the query.
func tokenFrom(r *http.Request) string {
	if t := r.PostFormValue("t"); t != "" {
		return t
	}
	return r.URL.Query().Get("t")
}

var notSubscribedAnyMore = failure{
	status:  http.StatusConflict,
	heading: "This sign-up was cancelled",
	message: "This address was unsubscribed, so this confirmation link no longer applies.",
	hint:    "If you'd like prompts again, you're welcome to sign up again.",
	again:   true,
}

// Confirm links that no longer apply. Neither page names the person.
var (
	confirmSuperseded = failure{
		status:  http.StatusGone,
		heading: "This confirmation link was replaced",
		message: "A newer sign-up was made for this address after this link was sent, so only the link in the newest confirmation email works.",
		hint:    "Nothing was changed. If you didn't sign up again yourself, you can ignore the newer email: nothing is sent until its link is used.",
	}
	confirmUsed = failure{
		status:  http.StatusGone,
		heading: "This confirmation link was used already",
		message: "This sign-up was confirmed with this link before, and a confirmation link works once.",
		hint:    "Nothing was changed. To change how often prompts come, sign up again with the new settings and we'll send a fresh link.",
	}
)

// confirmLinkError explains why a confirm link was refused.
func confirmLinkError(err error) failure {
	switch {
	case errors.Is(err, store.ErrLinkSuperseded):
		return confirmSuperseded
	case errors.Is(err, store.ErrLinkUsed):
		return confirmUsed
	case errors.Is(err, steady.ErrConflict):
		return notSubscribedAnyMore
	}
	return failure{}
}

// confirmPage shows the button; it does not confirm, because mail scanners
// follow links. It is opened from the link's session (session.go).
func (s *Server) confirmPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.open(w, r, confirmLink)
	if !ok {
		return
	}
	id, requested, err := s.links.VerifyConfirm(o.Token)
	if err != nil {
		s.fail(w, r, err, confirmLinkFailure(err))
		return
	}
	sub, err := s.store.Subscriber(r.Context(), id)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	if sub.Status == steady.StatusUnsubscribed {
		s.fail(w, r, steady.ErrConflict, notSubscribedAnyMore)
		return
	}
	if err := s.store.ConfirmLinkState(r.Context(), id, requested); err != nil {
		s.fail(w, r, err, confirmLinkError(err))
		return
	}
	d := confirmData{Token: o.Session, Button: ConfirmWording, Schedule: sub.Schedule, TimeZone: sub.TimeZone}
	if sub.RequestedSchedule != nil {
		d.Schedule = *sub.RequestedSchedule
	}
	if sub.RequestedTimeZone != "" {
		d.TimeZone = sub.RequestedTimeZone
	}
	s.render(w, r, http.StatusOK, "confirm", "Confirm your sign-up", d)
}

// confirm records the confirmation and schedules the first prompt, once
// per link: the link's request must be the latest and not yet confirmed.
func (s *Server) confirm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err, failure{status: statusOrBadRequest(err)})
		return
	}
	token, err := s.posted(r, confirmLink)
	if err != nil {
		s.sessionFailed(w, r, err, "")
		return
	}
	id, requested, err := s.links.VerifyConfirm(token)
	if err != nil {
		s.fail(w, r, err, confirmLinkFailure(err))
		return
	}
	ctx := r.Context()
	sub, err := s.store.Subscriber(ctx, id)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	if sub.Status == steady.StatusUnsubscribed {
		s.fail(w, r, steady.ErrConflict, notSubscribedAnyMore)
		return
	}
	again := sub.Status != steady.StatusPending
	now := s.clock.Now()
	consent := steady.Consent{
		Action:  steady.ConsentConfirmed,
		At:      now,
		Method:  "web",
		IP:      s.clientIP(r),
		Wording: ConfirmWording,
	}
	next := func(sub steady.Subscriber) (time.Time, error) {
		loc, err := sub.Location()
		if err != nil {
			return time.Time{}, err
		}
		return sub.Schedule.Next(now, loc), nil
	}
	sub, err = s.store.ConfirmLink(ctx, id, requested, consent, now, next)
	if f := confirmLinkError(err); f.status != 0 {
		s.fail(w, r, err, f)
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: confirm subscriber %d: %w", id, err), failure{})
		return
	}
	loc, err := sub.Location()
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: subscriber %d: %w", id, err), failure{status: http.StatusInternalServerError})
		return
	}
	s.endSession(w, confirmLink)
	if !again {
		s.metrics.SignupConfirmed(sub.Channel)
	}
	s.log.InfoContext(ctx, "subscription confirmed", "subscriber", sub.ID)
	s.render(w, r, http.StatusOK, "confirmed", "You're subscribed", confirmData{
		Schedule: sub.Schedule, TimeZone: sub.TimeZone, First: sub.NextSlot, Location: loc, Again: again,
	})
}

func confirmLinkFailure(err error) failure {
	if errors.Is(err, links.ErrTokenExpired) {
		return failure{
			hint:  fmt.Sprintf("Confirmation links last %d days, to keep your sign-up safe. Nothing was changed. You can sign up again and we'll send a fresh link.", links.ConfirmTTL/(24*time.Hour)),
			again: true,
		}
	}
	return failure{again: true}
}
