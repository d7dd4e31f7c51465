package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
)

// LinkStore is what the link pages need beyond Store's basics; *store.DB
// satisfies it.
type LinkStore interface {
	ConfirmLink(ctx context.Context, id int64, requested time.Time, consent steady.Consent, now time.Time,
		next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error)
	ConfirmLinkState(ctx context.Context, id int64, requested time.Time) error
	LinksRevokedAt(ctx context.Context, subscriberID int64) (time.Time, error)
}

// linkPage is a page opened from a signed link, and its session cookie.
type linkPage struct {
	purpose links.Purpose
	path    string // the page, and the cookie's Path
	cookie  string
}

var (
	confirmLink     = linkPage{links.PurposeConfirm, "/confirm", "steady_confirm"}
	unsubscribeLink = linkPage{links.PurposeUnsubscribe, "/unsubscribe", "steady_unsubscribe"}
	replyLink       = linkPage{links.PurposeReply, "/reply", "steady_reply"}
	// The summary's cookie (Path /summary) also reaches /summary/chart.png.
	summaryLink = linkPage{links.PurposeSummary, "/summary", "steady_summary"}
)

// open finds the link a GET of a link page was opened with, so the token
// never stays in the address bar:
//
//  1. ?t=TOKEN (from the email): a genuine token is exchanged for a
//     session value, set as the page's cookie, and the answer is 303 to
//     PATH?s=VALUE. A bad or expired token is left for the page to
//     explain, with nothing to remember it by.
//  2. ?s=VALUE with the cookie holding that value: 303 to the bare PATH.
//     Without the cookie the browser refuses cookies, so the page is served
//     from VALUE at once (its forms and images carry it); no loop.
//  3. The bare PATH: served from the cookie.
//
// ok false: open has answered (a redirect or an error page).
func (s *Server) open(w http.ResponseWriter, r *http.Request, lp linkPage) (o links.Opened, ok bool) {
	q := r.URL.Query()
	if t := q.Get("t"); t != "" {
		value, expires, err := s.links.Session(lp.purpose, t)
		if err != nil {
			return links.Opened{Token: t}, true
		}
		s.setSession(w, lp, value, expires)
		http.Redirect(w, r, lp.path+"?s="+value, http.StatusSeeOther)
		return links.Opened{}, false
	}
	if v := q.Get("s"); v != "" {
		if c, err := r.Cookie(lp.cookie); err == nil && c.Value == v {
			http.Redirect(w, r, lp.path, http.StatusSeeOther)
			return links.Opened{}, false
		}
		token, err := s.links.OpenSession(lp.purpose, v)
		if err != nil {
			s.sessionFailed(w, r, err, "")
			return links.Opened{}, false
		}
		return links.Opened{Token: token, Session: v}, true
	}
	o, err := s.fromCookie(r, lp)
	if err != nil {
		s.sessionFailed(w, r, err, "")
		return links.Opened{}, false
	}
	return o, true
}

// fromCookie reads the page's session cookie. Without one (none was set,
// or the browser dropped it when it expired) there is no link at all:
// ErrTokenInvalid.
func (s *Server) fromCookie(r *http.Request, lp linkPage) (links.Opened, error) {
	c, err := r.Cookie(lp.cookie)
	if err != nil || c.Value == "" {
		return links.Opened{}, links.ErrTokenInvalid
	}
	token, err := s.links.OpenSession(lp.purpose, c.Value)
	if err != nil {
		return links.Opened{}, err
	}
	return links.Opened{Token: token, Session: c.Value, Cookie: true}, nil
}

// quiet is open without redirects, for what a page embeds (the summary's
// chart): ?t, ?s or the cookie.
func (s *Server) quiet(r *http.Request, lp linkPage) (links.Opened, error) {
	q := r.URL.Query()
	if t := q.Get("t"); t != "" {
		return links.Opened{Token: t}, nil
	}
	if v := q.Get("s"); v != "" {
		token, err := s.links.OpenSession(lp.purpose, v)
		return links.Opened{Token: token, Session: v}, err
	}
	return s.fromCookie(r, lp)
}

// posted is the link token a form POST acts on: the form's t (a session
// value from the page, or a link token: RFC 8058 one-click requests carry
// it in the query), else the page's cookie. A session value is unwrapped;
// the caller verifies the token. The form must have been parsed.
func (s *Server) posted(r *http.Request, lp linkPage) (string, error) {
	v := tokenFrom(r)
	if v == "" {
		o, err := s.fromCookie(r, lp)
		return o.Token, err
	}
	token, err := s.links.OpenSession(lp.purpose, v)
	switch {
	case err == nil:
		return token, nil
	case errors.Is(err, links.ErrSessionExpired):
		return "", err
	}
	return v, nil // not a session value: a link token, or nothing valid
}

// setSession sets the page's session cookie: HttpOnly, SameSite=Lax (the
// first request comes from a mail program, another site), Secure with an
// https base URL, scoped to the page's path, expiring with the session.
func (s *Server) setSession(w http.ResponseWriter, lp linkPage, value string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name:     lp.cookie,
		Value:    value,
		Path:     lp.path,
		Expires:  expires,
		MaxAge:   int(links.SessionTTL / time.Second),
		HttpOnly: true,
		Secure:   strings.HasPrefix(s.links.BaseURL(), "https://"),
		SameSite: http.SameSiteLaxMode,
	})
}

// endSession removes the page's cookie (a used confirmation link).
func (s *Server) endSession(w http.ResponseWriter, lp linkPage) {
	http.SetCookie(w, &http.Cookie{Name: lp.cookie, Value: "", Path: lp.path, MaxAge: -1, HttpOnly: true,
		Secure: strings.HasPrefix(s.links.BaseURL(), "https://"), SameSite: http.SameSiteLaxMode})
}

// sessionFailed answers a page whose session is missing, expired or not
// genuine. kept is text the person wrote, shown again.
func (s *Server) sessionFailed(w http.ResponseWriter, r *http.Request, err error, kept string) {
	if errors.Is(err, links.ErrSessionExpired) {
		s.fail(w, r, err, failure{
			status:  http.StatusGone,
			heading: "Please open your link again",
			message: "This page stays open for an hour after you open its link, to keep the link private. That time is up, or the page was opened without its link.",
			hint:    "Nothing was changed. Open the link from your email or text message again.",
			kept:    kept,
		})
		return
	}
	s.fail(w, r, err, failure{kept: kept})
}

// summaryOpened serves the summary page (package summary) from its
// link's session: the handler finds the token with links.OpenedFrom.
func (s *Server) summaryOpened(w http.ResponseWriter, r *http.Request) {
	o, ok := s.open(w, r, summaryLink)
	if !ok {
		return
	}
	s.summaryPage(w, r.WithContext(links.WithOpened(r.Context(), o)))
}

// summaryChartOpened serves the summary's chart image from the page's
// session: its cookie, or the ?s the page put in the image's URL.
func (s *Server) summaryChartOpened(w http.ResponseWriter, r *http.Request) {
	o, err := s.quiet(r, summaryLink)
	if err != nil {
		w.WriteHeader(statusOf(err))
		return
	}
	s.summaryChart(w, r.WithContext(links.WithOpened(r.Context(), o)))
}
