package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
)

// pauseWeeks are the pauses the unsubscribe page offers instead.
var pauseWeeks = map[string]int{"2": 2, "4": 4}

// pausedWords is when sub's pause ends, in their time zone.
func pausedWords(sub steady.Subscriber) string {
	loc, err := sub.Location()
	if err != nil {
		loc = time.UTC
	}
	return sub.PausedUntil.In(loc).Format("Monday 2 January")
}

// unsubscribePause pauses prompts for 2 or 4 weeks instead of stopping
// them: the store moves the next prompt to the first slot after the pause
// (as a texted PAUSE does) and cancels what was queued.
func (s *Server) unsubscribePause(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err, failure{status: statusOrBadRequest(err)})
		return
	}
	weeks, ok := pauseWeeks[r.PostFormValue("weeks")]
	if !ok {
		s.fail(w, r, steady.Invalid("weeks", "a pause is for 2 or 4 weeks"), failure{hint: "Nothing was changed. Please go back and choose one of the buttons."})
		return
	}
	token, err := s.posted(r, unsubscribeLink)
	if err != nil {
		s.sessionFailed(w, r, err, "")
		return
	}
	id, err := s.links.Verify(links.PurposeUnsubscribe, token)
	if err != nil {
		s.fail(w, r, err, unsubscribeLinkFailure)
		return
	}
	ctx := r.Context()
	now := s.clock.Now()
	until := now.AddDate(0, 0, 7*weeks)
	sub, err := s.store.Pause(ctx, id, until, now, nextFrom)
	if errors.Is(err, steady.ErrConflict) {
		s.fail(w, r, err, failure{
			message: "Only prompts that are on can be paused.",
			hint:    "Nothing was changed. If you have unsubscribed, no prompts will come.",
		})
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: pause %d: %w", id, err), failure{})
		return
	}
	s.log.InfoContext(ctx, "paused", "subscriber", sub.ID, "method", "web", "weeks", weeks)
	s.render(w, r, http.StatusOK, "unsubscribe_paused", "Prompts paused", unsubscribeData{
		Token: tokenFrom(r), Button: UnsubscribeWording, PausedUntil: pausedWords(sub)})
}

// unsubscribeDelete erases an unsubscribed subscriber at once
// (store.DeleteSubscriber: what compliance needs is kept under a keyed
// hash, never the address). It needs a hasher, and only erases someone
// who has unsubscribed, so the opt-out is among what is kept. Pressing it
// again finds nothing and says it is done.
func (s *Server) unsubscribeDelete(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err, failure{status: statusOrBadRequest(err)})
		return
	}
	if s.hasher == nil {
		s.fail(w, r, errors.New("web: delete: no address hasher"), failure{
			status: http.StatusNotFound, message: "Deleting from this page is not available here.",
			hint: "Nothing was changed. Your answers can be deleted from your settings page.",
		})
		return
	}
	token, err := s.posted(r, unsubscribeLink)
	if err != nil {
		s.sessionFailed(w, r, err, "")
		return
	}
	id, err := s.links.Verify(links.PurposeUnsubscribe, token)
	if err != nil {
		s.fail(w, r, err, unsubscribeLinkFailure)
		return
	}
	ctx := r.Context()
	sub, err := s.store.Subscriber(ctx, id)
	switch {
	case errors.Is(err, steady.ErrNotFound):
		s.render(w, r, http.StatusOK, "unsubscribe_deleted", "Everything is deleted", nil)
		return
	case err != nil:
		s.fail(w, r, err, failure{})
		return
	case sub.Status != steady.StatusUnsubscribed:
		s.fail(w, r, steady.ErrConflict, failure{
			status:  http.StatusConflict,
			message: "Please unsubscribe first; then everything can be deleted.",
			hint:    "Nothing was changed or deleted.",
		})
		return
	}
	if err := s.store.DeleteSubscriber(ctx, id, s.hasher); err != nil && !errors.Is(err, steady.ErrNotFound) {
		s.fail(w, r, fmt.Errorf("web: delete %d: %w", id, err), failure{})
		return
	}
	s.log.InfoContext(ctx, "subscriber erased", "subscriber", id, "method", "web")
	// On SQLite, take the erased rows out of the write-ahead log too; if
	// another connection keeps it busy they go at the next checkpoint.
	if err := s.store.Checkpoint(ctx); err != nil {
		s.log.WarnContext(ctx, "erased rows stay in the SQLite write-ahead log until the next checkpoint", "subscriber", id, "err", err)
	}
	s.render(w, r, http.StatusOK, "unsubscribe_deleted", "Everything is deleted", nil)
}
