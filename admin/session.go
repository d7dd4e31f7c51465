package admin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// cookieName is the console's session cookie; its path is /admin only.
const cookieName = "steady_admin"

// sessionTTL is a session's absolute lifetime: a working day, then sign
// in again, however busy the session was.
const sessionTTL = 12 * time.Hour

// maxForm bounds a console form; maxUpload the CSV import's, which
// carries a whole file (and its confirmation carries it back).
const (
	maxForm   = 64 << 10
	maxUpload = 16 << 20
)

// session is the signed-in operator of one request.
type session struct {
	Operator string
	// CSRF is the token every form of this session carries.
	CSRF      string
	tokenHash string
}

// handler is a console page or action for a signed-in operator.
type handler func(w http.ResponseWriter, r *http.Request, s session)

// newToken is a fresh random session token (32 bytes, base64url).
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is what the database keeps of a token: its SHA-256, hex.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// csrfToken is the form token of a session: HMAC-SHA256 keyed by the
// session token, so it is unguessable without the cookie, changes with
// every session, and is not the hash the database keeps.
func csrfToken(token string) string {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write([]byte("steady admin csrf"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// startSession creates a session for operator and sets its cookie.
func (c *Console) startSession(ctx context.Context, w http.ResponseWriter, operator string) error {
	token, err := newToken()
	if err != nil {
		return err
	}
	now := c.cfg.Clock.Now()
	if err := c.cfg.Store.CreateAdminSession(ctx, tokenHash(token), operator, now, now.Add(sessionTTL)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/admin", MaxAge: int(sessionTTL / time.Second),
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteStrictMode})
	return nil
}

// clearCookie tells the browser to forget the session cookie.
func (c *Console) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/admin", MaxAge: -1,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteStrictMode})
}

// current is the request's session, if its cookie names a live one of an
// operator still configured.
func (c *Console) current(r *http.Request) (session, bool, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" || len(ck.Value) > 100 {
		return session{}, false, nil
	}
	h := tokenHash(ck.Value)
	s, err := c.cfg.Store.UseAdminSession(r.Context(), h, c.cfg.Clock.Now())
	if errors.Is(err, steady.ErrNotFound) {
		return session{}, false, nil
	}
	if err != nil {
		return session{}, false, err
	}
	if _, ok := c.operators[s.Operator]; !ok {
		return session{}, false, nil // removed from the configuration since
	}
	return session{Operator: s.Operator, CSRF: csrfToken(ck.Value), tokenHash: h}, true, nil
}

// open serves a page that needs no session (the login page), or the
// set-up page while no operator is configured.
func (c *Console) open(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(c.operators) == 0 {
			c.setupPage(w, r)
			return
		}
		h(w, r)
	})
}

// signedIn serves h to a signed-in operator only. Without a session a
// GET is sent to the login page (and back here after it), and anything
// else is refused with 403. A POST must also carry the session's CSRF
// token in its form.
func (c *Console) signedIn(h handler) http.Handler { return c.signedInUpTo(maxForm, h) }

// signedInUpTo is signedIn with forms of up to limit bytes (multipart
// ones too).
func (c *Console) signedInUpTo(limit int64, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(c.operators) == 0 {
			c.setupPage(w, r)
			return
		}
		s, ok, err := c.current(r)
		if err != nil {
			c.internal(w, r, err)
			return
		}
		get := r.Method == http.MethodGet || r.Method == http.MethodHead
		if !ok {
			if get {
				http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			c.clearCookie(w)
			c.fail(w, r, http.StatusForbidden, "Please sign in again", "You are not signed in, or your session has ended. Nothing was changed.")
			return
		}
		if !get {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				c.fail(w, r, http.StatusBadRequest, "That form could not be read", "Nothing was changed.")
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(s.CSRF)) != 1 {
				c.fail(w, r, http.StatusForbidden, "That form is out of date", "It did not come from a page of this session. Nothing was changed. Open the page again and retry.")
				return
			}
		}
		h(w, r, s)
	})
}

// safeNext is where to go after signing in: a console path only, never
// another site ("//evil", "/\evil").
func safeNext(next string) string {
	if next == "/admin" || strings.HasPrefix(next, "/admin/") && !strings.ContainsAny(next, "\\") && !strings.HasPrefix(next, "/admin/login") {
		return next
	}
	return "/admin"
}
