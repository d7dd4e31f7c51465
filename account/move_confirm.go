package account

import (
	"errors"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/linkpage"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
)

// MoveConfirmWording is the move confirmation page's button; the exact
// string is kept with the confirmed consent record.
const MoveConfirmWording = "Yes, send my prompts to this address"

// moveLink is the move confirmation link's page and session cookie.
var moveLink = linkpage.Page{Purpose: links.PurposeMove, Path: "/settings/move", Cookie: "steady_move"}

var (
	moveUsedPage = message{"This link was used already",
		"This move was confirmed already, or a newer one was asked for, and a confirmation link works once.",
		"Nothing was changed. The settings page says where prompts come now."}
	moveClosedPage = message{"This link no longer works",
		"Confirmation links stop working when prompts are stopped.",
		"Nothing was changed."}
	movedPage = message{"Done: prompts now come here",
		"Your reflections, summaries and settings stay as they were. Nothing more goes to the old address.",
		"A short note is on its way to this address."}
)

type moveView struct {
	Session, Button string
}

// movePage serves GET /settings/move, opened from the link in the
// confirmation sent to the new address. It shows the button; it does not
// move, because mail scanners follow links.
func (s *Settings) movePage(w http.ResponseWriter, r *http.Request) {
	o, answered, err := linkpage.Open(s.links, w, r, moveLink)
	if err == nil && answered {
		return
	}
	if err != nil {
		s.sessionFailed(w, r, err)
		return
	}
	if _, ok := s.pendingMove(w, r, o.Token); !ok {
		return
	}
	s.render(w, r, http.StatusOK, "move", "Confirm your new address", moveView{Session: o.Session, Button: MoveConfirmWording})
}

// confirmMove handles POST /settings/move/confirm: the subscriber's
// channel and address switch to the new ones (store.ConfirmMove).
func (s *Settings) confirmMove(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, badFormPage)
		return
	}
	token, err := linkpage.Posted(s.links, r, moveLink, r.PostFormValue("s"))
	if err != nil {
		s.sessionFailed(w, r, err)
		return
	}
	mv, ok := s.pendingMove(w, r, token)
	if !ok {
		return
	}
	hash, err := s.hash(mv.Channel, mv.Address)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	sub, err := s.store.ConfirmMove(r.Context(), mv.SubscriberID, mv.RequestedAt,
		steady.Consent{Method: "move-link", IP: remoteIP(r), Wording: MoveConfirmWording}, hash, s.clock.Now())
	switch {
	case errors.Is(err, store.ErrNoMove):
		s.fail(w, r, http.StatusGone, moveUsedPage)
		return
	case err != nil:
		if words, ok := moveRefusal(err, mv.Channel); ok {
			s.fail(w, r, http.StatusConflict, message{"This address cannot be used", words, "Nothing was changed."})
			return
		}
		s.internal(w, r, err)
		return
	}
	if s.wake != nil {
		s.wake()
	}
	linkpage.EndSession(s.links, w, moveLink)
	s.log.InfoContext(r.Context(), "move confirmed", "subscriber", sub.ID, "channel", string(sub.Channel))
	s.fail(w, r, http.StatusOK, movedPage)
}

// pendingMove checks a move token against the stored move: it must name
// the pending move of a subscriber still subscribed. Otherwise it answers.
func (s *Settings) pendingMove(w http.ResponseWriter, r *http.Request, token string) (store.ChannelMove, bool) {
	id, requested, err := s.links.VerifyMove(token)
	if err != nil {
		s.sessionFailed(w, r, err)
		return store.ChannelMove{}, false
	}
	sub, err := s.store.Subscriber(r.Context(), id)
	switch {
	case errors.Is(err, steady.ErrNotFound):
		s.fail(w, r, http.StatusGone, moveClosedPage)
		return store.ChannelMove{}, false
	case err != nil:
		s.internal(w, r, err)
		return store.ChannelMove{}, false
	case sub.Status != steady.StatusActive && sub.Status != steady.StatusPaused:
		s.fail(w, r, http.StatusGone, moveClosedPage)
		return store.ChannelMove{}, false
	}
	mv, err := s.store.PendingMove(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNoMove):
		s.fail(w, r, http.StatusGone, moveUsedPage)
		return store.ChannelMove{}, false
	case err != nil:
		s.internal(w, r, err)
		return store.ChannelMove{}, false
	case !mv.RequestedAt.Equal(requested):
		s.fail(w, r, http.StatusGone, moveUsedPage)
		return store.ChannelMove{}, false
	}
	return mv, true
}
