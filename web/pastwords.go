package web

import (
	"fmt"
	"net/http"

	"github.com/steadyapp/steady/links"
)

// pastWordsLink is the one-click page that stops a subscriber's prompts
// showing their past words (resurfacing).
var pastWordsLink = linkPage{Purpose: links.PurposeResurfaceOff, Path: "/past-words", Cookie: "steady_past_words"}

type pastWordsData struct {
	Token string
	Done  bool // resurfacing is off
}

var pastWordsLinkFailure = failure{
	hint: "Nothing was changed. The next prompt that shows your past words carries a new link.",
}

// pastWordsPage shows the button; a GET changes nothing, so a link
// scanner opening the link cannot turn resurfacing off.
func (s *Server) pastWordsPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.open(w, r, pastWordsLink)
	if !ok {
		return
	}
	id, err := s.links.Verify(links.PurposeResurfaceOff, o.Token)
	if err != nil {
		s.fail(w, r, err, pastWordsLinkFailure)
		return
	}
	sub, err := s.store.Subscriber(r.Context(), id)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	s.render(w, r, http.StatusOK, "pastwords", "Past words", pastWordsData{Token: o.Session, Done: !sub.Resurface})
}

// pastWords is the page's button: resurfacing off, at once and
// idempotently.
func (s *Server) pastWords(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err, failure{status: statusOrBadRequest(err)})
		return
	}
	token, err := s.posted(r, pastWordsLink)
	if err != nil {
		s.sessionFailed(w, r, err, "")
		return
	}
	id, err := s.links.Verify(links.PurposeResurfaceOff, token)
	if err != nil {
		s.fail(w, r, err, pastWordsLinkFailure)
		return
	}
	if err := s.store.StopResurfacing(r.Context(), id); err != nil {
		s.fail(w, r, fmt.Errorf("web: stop resurfacing %d: %w", id, err), failure{})
		return
	}
	s.log.InfoContext(r.Context(), "resurfacing turned off", "subscriber", id)
	s.render(w, r, http.StatusOK, "pastwords", "Past words", pastWordsData{Done: true})
}
