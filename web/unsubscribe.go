package web

import (
	"fmt"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
)

// Wording stored with an unsubscribe's consent record.
const (
	// UnsubscribeWording is the unsubscribe page's button.
	UnsubscribeWording = "Stop all prompts"
	// OneClickWording records an RFC 8058 one-click request from a mail client.
	OneClickWording = "List-Unsubscribe=One-Click"
)

type unsubscribeData struct {
	Token  string
	Button string
	Done   bool // already unsubscribed
	// CanPause: the subscriber is active, so the page offers a pause.
	CanPause bool
	// PausedUntil is when a pause ends, in the subscriber's words, if paused.
	PausedUntil string
	// CanDelete: erasure is possible here (a hasher is configured), so the
	// unsubscribed page offers to delete everything now.
	CanDelete bool
}

// unsubscribePage shows the button; a GET changes nothing. It is opened
// from the link's session (session.go).
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.open(w, r, unsubscribeLink)
	if !ok {
		return
	}
	id, err := s.links.Verify(links.PurposeUnsubscribe, o.Token)
	if err != nil {
		s.fail(w, r, err, unsubscribeLinkFailure)
		return
	}
	sub, err := s.store.Subscriber(r.Context(), id)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	if sub.Status == steady.StatusUnsubscribed {
		s.render(w, r, http.StatusOK, "unsubscribed", "You're unsubscribed", unsubscribeData{
			Token: o.Session, Done: true, CanDelete: s.hasher != nil})
		return
	}
	d := unsubscribeData{Token: o.Session, Button: UnsubscribeWording, CanPause: sub.Status == steady.StatusActive}
	if sub.PausedUntil.After(s.clock.Now()) {
		d.PausedUntil = pausedWords(sub)
	}
	s.render(w, r, http.StatusOK, "unsubscribe", "Unsubscribe", d)
}

// unsubscribe handles both RFC 8058 one-click POSTs (token in the query,
// body List-Unsubscribe=One-Click) and the page's button (token in the
// form, a session value from the page). It acts at once and is idempotent: the store records the
// consent only when the status changes.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err, failure{status: statusOrBadRequest(err)})
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
	consent := steady.Consent{
		Action:  steady.ConsentUnsubscribed,
		At:      s.clock.Now(),
		Method:  "web",
		IP:      s.clientIP(r),
		Wording: UnsubscribeWording,
	}
	oneClick := r.PostFormValue("List-Unsubscribe") == "One-Click"
	if oneClick {
		consent.Method, consent.Wording = "one-click", OneClickWording
	}
	ctx := r.Context()
	sub, err := s.store.Unsubscribe(ctx, id, consent, consent.At)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: unsubscribe %d: %w", id, err), failure{})
		return
	}
	s.log.InfoContext(ctx, "unsubscribed", "subscriber", sub.ID, "method", consent.Method)
	// A mail client's one-click POST only unsubscribes; a person at the
	// page is offered to delete everything too.
	s.render(w, r, http.StatusOK, "unsubscribed", "You're unsubscribed", unsubscribeData{
		Token: tokenFrom(r), CanDelete: s.hasher != nil && !oneClick})
}

var unsubscribeLinkFailure = failure{
	hint: "Nothing was changed. To stop prompts, use the unsubscribe link at the bottom of any recent email from us; it always works with one click.",
}
