// Package linkpage serves pages opened from a signed link: the link's
// token is exchanged for a short session (links.Session) kept in an
// HttpOnly cookie, so it never stays in the address bar. Package web's
// link pages and package account's settings page share it.
package linkpage

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/steadyapp/steady/links"
)

// Page is a page opened from a signed link, and its session cookie.
type Page struct {
	Purpose links.Purpose
	Path    string // the page, and the cookie's Path
	Cookie  string
}

// Open finds the link a GET of a link page was opened with:
//
//  1. ?t=TOKEN (from the email): a genuine token is exchanged for a
//     session value, set as the page's cookie, and the answer is 303 to
//     PATH?s=VALUE (answered true). A bad or expired token is returned as
//     it is for the page to explain, with nothing to remember it by.
//  2. ?s=VALUE with the cookie holding that value: 303 to the bare PATH.
//     Without the cookie the browser refuses cookies, so the page is served
//     from VALUE at once (its forms carry it); no loop.
//  3. The bare PATH: served from the cookie.
//
// err: the session is missing, expired or not genuine, and nothing was
// written; the caller explains.
func Open(l *links.Links, w http.ResponseWriter, r *http.Request, p Page) (o links.Opened, answered bool, err error) {
	q := r.URL.Query()
	if t := q.Get("t"); t != "" {
		value, expires, err := l.Session(p.Purpose, t)
		if err != nil {
			return links.Opened{Token: t}, false, nil
		}
		SetSession(l, w, p, value, expires)
		http.Redirect(w, r, p.Path+"?s="+value, http.StatusSeeOther)
		return links.Opened{}, true, nil
	}
	if v := q.Get("s"); v != "" {
		if c, err := r.Cookie(p.Cookie); err == nil && c.Value == v {
			http.Redirect(w, r, p.Path, http.StatusSeeOther)
			return links.Opened{}, true, nil
		}
		token, err := l.OpenSession(p.Purpose, v)
		if err != nil {
			return links.Opened{}, false, err
		}
		return links.Opened{Token: token, Session: v}, false, nil
	}
	o, err = FromCookie(l, r, p)
	return o, false, err
}

// FromCookie reads the page's session cookie. Without one (none was set,
// or the browser dropped it when it expired) there is no link at all:
// links.ErrTokenInvalid.
func FromCookie(l *links.Links, r *http.Request, p Page) (links.Opened, error) {
	c, err := r.Cookie(p.Cookie)
	if err != nil || c.Value == "" {
		return links.Opened{}, links.ErrTokenInvalid
	}
	token, err := l.OpenSession(p.Purpose, c.Value)
	if err != nil {
		return links.Opened{}, err
	}
	return links.Opened{Token: token, Session: c.Value, Cookie: true}, nil
}

// Quiet is Open without redirects, for what a page embeds (an image):
// ?t, ?s or the cookie.
func Quiet(l *links.Links, r *http.Request, p Page) (links.Opened, error) {
	q := r.URL.Query()
	if t := q.Get("t"); t != "" {
		return links.Opened{Token: t}, nil
	}
	if v := q.Get("s"); v != "" {
		token, err := l.OpenSession(p.Purpose, v)
		return links.Opened{Token: token, Session: v}, err
	}
	return FromCookie(l, r, p)
}

// Posted is the link token a form POST acts on: v, the form's value (a
// session value from the page, or a link token), else the page's cookie.
// A session value is unwrapped; the caller verifies the token.
func Posted(l *links.Links, r *http.Request, p Page, v string) (string, error) {
	if v == "" {
		o, err := FromCookie(l, r, p)
		return o.Token, err
	}
	token, err := l.OpenSession(p.Purpose, v)
	switch {
	case err == nil:
		return token, nil
	case errors.Is(err, links.ErrSessionExpired):
		return "", err
	}
	return v, nil // not a session value: a link token, or nothing valid
}

// SetSession sets the page's session cookie: HttpOnly, SameSite=Lax (the
// first request comes from a mail program, another site), Secure with an
// https base URL, scoped to the page's path, expiring with the session.
func SetSession(l *links.Links, w http.ResponseWriter, p Page, value string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name:     p.Cookie,
		Value:    value,
		Path:     p.Path,
		Expires:  expires,
		MaxAge:   int(links.SessionTTL / time.Second),
		HttpOnly: true,
		Secure:   strings.HasPrefix(l.BaseURL(), "https://"),
		SameSite: http.SameSiteLaxMode,
	})
}

// EndSession removes the page's cookie.
func EndSession(l *links.Links, w http.ResponseWriter, p Page) {
	http.SetCookie(w, &http.Cookie{Name: p.Cookie, Value: "", Path: p.Path, MaxAge: -1, HttpOnly: true,
		Secure: strings.HasPrefix(l.BaseURL(), "https://"), SameSite: http.SameSiteLaxMode})
}
