package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// routeRequest turns a pattern of Routes into a method and a path on the
// seeded data.
func (b *bundle) routeRequest(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	id := strconv.FormatInt(b.active.ID, 10)
	switch {
	case strings.HasPrefix(path, "/admin/deliveries/"):
		id = strconv.FormatInt(b.failed.ID, 10)
	case strings.HasPrefix(path, "/admin/held/"):
		id = strconv.FormatInt(b.heldID, 10)
	}
	path = strings.ReplaceAll(path, "{id}", id)
	path = strings.ReplaceAll(path, "{$}", "")
	return method, path
}

// isOpen: the login routes answer without a session (with no data).
func isOpen(pattern string) bool { return strings.HasSuffix(pattern, " /admin/login") }

// seededData is what no page may show to someone not signed in.
func (b *bundle) seededData() []string {
	return []string{b.active.Address, b.pending.Address, "alex.mo", secretWords, "held body text", "smtp: 550", "Audit log"}
}

// TestEveryRouteNeedsASession walks every pattern of Routes without a
// session, with a forged cookie and with an expired one: each is sent to
// the login page (GET) or refused (anything else), and none shows data.
func TestEveryRouteNeedsASession(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		expired := b.client(t)
		expired.login()
		b.clock.Advance(sessionTTL + time.Minute)

		forged := b.client(t)
		u, _ := url.Parse(b.srv.URL + "/admin")
		forged.hc.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Path: "/admin"}})

		routes := b.console.Routes()
		if len(routes) < 20 {
			t.Fatalf("only %d routes", len(routes))
		}
		for name, c := range map[string]*client{"no cookie": b.client(t), "forged cookie": forged, "expired cookie": expired} {
			for pattern := range routes {
				method, path := b.routeRequest(pattern)
				code, loc, body := c.do(method, path, url.Values{"csrf": {"x"}, "confirm": {"DELETE"}})
				for _, d := range b.seededData() {
					if strings.Contains(body, d) {
						t.Errorf("%s: %s %s showed %q", name, method, path, d)
					}
				}
				switch {
				case isOpen(pattern) && method == http.MethodGet:
					if code != http.StatusOK || !strings.Contains(body, `name="password"`) {
						t.Errorf("%s: %s %s = %d, want the login form", name, method, path, code)
					}
				case isOpen(pattern):
					if code != http.StatusUnprocessableEntity && code != http.StatusUnauthorized {
						t.Errorf("%s: %s %s = %d, want a refusal", name, method, path, code)
					}
				case method == http.MethodGet:
					if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/login?next=") {
						t.Errorf("%s: %s %s = %d → %q, want a redirect to the login page", name, method, path, code, loc)
					}
				default:
					if code != http.StatusForbidden {
						t.Errorf("%s: %s %s = %d, want 403", name, method, path, code)
					}
				}
			}
		}
		// Nothing was done by any of those requests.
		sub, err := db.Subscriber(t.Context(), b.active.ID)
		if err != nil || !sub.PausedUntil.IsZero() || sub.Status != b.active.Status {
			t.Errorf("the subscriber changed: %+v %v", sub, err)
		}
		if _, err := db.HeldMessage(t.Context(), b.heldID); err != nil {
			t.Errorf("the held message: %v", err)
		}
	})
}

// TestNoOperatorsShowsSetUp: with no operator configured every route
// answers the page saying how to add one, and no data.
func TestNoOperatorsShowsSetUp(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, func(c *Config) { c.Operators = nil })
		c := b.client(t)
		for pattern := range b.console.Routes() {
			method, path := b.routeRequest(pattern)
			code, _, body := c.do(method, path, url.Values{"name": {operatorName}, "password": {operatorPassword}})
			if code != http.StatusServiceUnavailable || !strings.Contains(body, "STEADY_ADMIN_USERS") || !strings.Contains(body, "steady admin hash-password") {
				t.Errorf("%s %s = %d, want the set-up page", method, path, code)
			}
			for _, d := range b.seededData() {
				if strings.Contains(body, d) {
					t.Errorf("%s %s showed %q", method, path, d)
				}
			}
		}
	})
}

// TestSignedInPagesAnswer: signed in, every GET page answers 200.
func TestSignedInPagesAnswer(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		c := b.client(t)
		c.login()
		for pattern := range b.console.Routes() {
			method, path := b.routeRequest(pattern)
			if method != http.MethodGet || isOpen(pattern) || pattern == "/admin/" || strings.HasSuffix(pattern, "/replies") {
				continue
			}
			if code, body := c.get(path); code != http.StatusOK {
				t.Errorf("GET %s = %d: %.300s", path, code, body)
			}
		}
		if code, _ := c.get("/admin/nothing-here"); code != http.StatusNotFound {
			t.Errorf("an unknown console page = %d", code)
		}
	})
}
