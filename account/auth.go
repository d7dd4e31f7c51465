package account

import (
	"errors"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/linkpage"
	"github.com/steadyapp/steady/links"
)

// maxFormBody bounds a settings form.
const maxFormBody = 16 << 10

// Auth is an Auth: it finds the subscriber from the settings session.
//
//   - GET /settings is opened from the link (linkpage.Open: ?t becomes a
//     cookie and a 303 without the token).
//   - Other GETs (/settings/…) are served from the cookie or ?s.
//   - A POST acts on the form's s (the session value the page carried),
//     else the cookie. The form is parsed here.
//
// The link must be genuine and unexpired, its subscriber still there and
// subscribed, and the link made after their last unsubscribe; otherwise
// the answer is a page that names nobody.
func (s *Settings) Auth(w http.ResponseWriter, r *http.Request) (steady.Subscriber, string, bool) {
	var o links.Opened
	var err error
	stale := false // a form without its page's session value, or another's
	switch {
	case r.Method == http.MethodGet && r.URL.Path == settingsPage.Path:
		var answered bool
		o, answered, err = linkpage.Open(s.links, w, r, settingsPage)
		if err == nil && answered {
			return steady.Subscriber{}, "", false
		}
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		o, err = linkpage.Quiet(s.links, r, settingsPage)
	default:
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, http.StatusBadRequest, badFormPage)
			return steady.Subscriber{}, "", false
		}
		// Every form carries the session value its page was served with
		// (s on the settings forms, t on the data pages'), and it must be
		// the session of the cookie the browser sent, if it sent one: a
		// POST without it, or with another subscriber's, changes nothing
		// (the cookie alone is not enough, whatever the cross-origin check
		// let through).
		v := r.PostFormValue("s")
		if v == "" {
			v = r.PostFormValue("t")
		}
		c, cerr := r.Cookie(settingsPage.Cookie)
		stale = v == "" || cerr == nil && c.Value != v
		o.Token, err = linkpage.Posted(s.links, r, settingsPage, v)
		o.Session = v
	}
	if err != nil {
		s.sessionFailed(w, r, err)
		return steady.Subscriber{}, "", false
	}
	id, issued, err := s.links.VerifySettings(o.Token)
	if err != nil {
		s.sessionFailed(w, r, err)
		return steady.Subscriber{}, "", false
	}
	ctx := r.Context()
	sub, err := s.store.Subscriber(ctx, id)
	switch {
	case errors.Is(err, steady.ErrNotFound):
		s.fail(w, r, http.StatusGone, closedPage) // erased
		return steady.Subscriber{}, "", false
	case err != nil:
		s.internal(w, r, err)
		return steady.Subscriber{}, "", false
	}
	if sub.Status != steady.StatusActive && sub.Status != steady.StatusPaused {
		s.fail(w, r, http.StatusGone, closedPage)
		return steady.Subscriber{}, "", false
	}
	revoked, err := s.store.LinksRevokedAt(ctx, sub.ID)
	if err != nil {
		s.internal(w, r, err)
		return steady.Subscriber{}, "", false
	}
	if !revoked.IsZero() && !issued.After(revoked) {
		s.fail(w, r, http.StatusGone, closedPage)
		return steady.Subscriber{}, "", false
	}
	if stale {
		s.fail(w, r, http.StatusForbidden, staleFormPage)
		return steady.Subscriber{}, "", false
	}
	return sub, o.Session, true
}

// sessionFailed answers a request whose link or session is missing,
// expired or not genuine.
func (s *Settings) sessionFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, links.ErrSessionExpired):
		s.fail(w, r, http.StatusGone, reopenPage)
	case errors.Is(err, links.ErrTokenExpired):
		s.fail(w, r, http.StatusGone, expiredPage)
	default:
		s.fail(w, r, http.StatusBadRequest, invalidPage)
	}
}
