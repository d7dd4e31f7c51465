package admin

import (
	"github.com/steadyapp/steady/metrics"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// auditActions are the audit log's entries as "operator action target",
// oldest first.
func (b *bundle) auditActions(t *testing.T) []string {
	t.Helper()
	es, err := b.db.AuditLog(t.Context(), 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(es) - 1; i >= 0; i-- {
		out = append(out, strings.TrimSpace(es[i].Operator+" "+es[i].Action+" "+es[i].Target))
	}
	return out
}

func TestLogin(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		c := b.client(t)
		code, _, body := c.do(http.MethodPost, "/admin/login", url.Values{"name": {operatorName}, "password": {"wrong password"}})
		if code != http.StatusUnauthorized || !strings.Contains(body, "do not match") {
			t.Errorf("wrong password = %d", code)
		}
		code, _, _ = c.do(http.MethodPost, "/admin/login", url.Values{"name": {"correct horse battery"}, "password": {"x"}})
		if code != http.StatusUnauthorized {
			t.Errorf("unknown name = %d", code)
		}
		// Success sets the cookie as it should be, and goes where asked.
		req, _ := http.NewRequest(http.MethodPost, b.srv.URL+"/admin/login", strings.NewReader(url.Values{
			"name": {operatorName}, "password": {operatorPassword}, "next": {"/admin/held"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/held" {
			t.Fatalf("login = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var ck *http.Cookie
		for _, k := range resp.Cookies() {
			if k.Name == cookieName {
				ck = k
			}
		}
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/admin" || ck.MaxAge != 12*3600 || ck.Secure {
			t.Errorf("cookie %+v", ck)
		}
		if code, body := c.get("/admin"); code != http.StatusOK || !strings.Contains(body, "Overview") {
			t.Errorf("overview after login = %d", code)
		}
		// The database keeps only the token's hash.
		if _, err := db.UseAdminSession(t.Context(), ck.Value, b.clock.Now()); err == nil {
			t.Error("the raw token is a session key in the database")
		}
		if _, err := db.UseAdminSession(t.Context(), tokenHash(ck.Value), b.clock.Now()); err != nil {
			t.Errorf("the token's hash: %v", err)
		}
		// Logout ends the session server-side.
		code, loc, _ := c.post("/admin", "/admin/logout", nil)
		if code != http.StatusSeeOther || loc != "/admin/login" {
			t.Errorf("logout = %d → %q", code, loc)
		}
		if _, err := db.UseAdminSession(t.Context(), tokenHash(ck.Value), b.clock.Now()); err == nil {
			t.Error("the session outlived the logout")
		}
		got := strings.Join(b.auditActions(t), "\n")
		want := "sam login failed\n(unknown name) login failed\nsam login\nsam logout"
		if got != want {
			t.Errorf("audit log:\n%s\nwant:\n%s", got, want)
		}
		if strings.Contains(got, "horse") {
			t.Error("a typed name that is no operator's was kept")
		}
	})
}

func TestLoginNextStaysInTheConsole(t *testing.T) {
	for next, want := range map[string]string{
		"/admin/subscribers?q=a": "/admin/subscribers?q=a",
		"//evil.example/admin":   "/admin",
		"https://evil.example":   "/admin",
		"/admin\\@evil":          "/admin",
		"/administrator":         "/admin",
		"/admin/login":           "/admin",
		"":                       "/admin",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rec := metrics.New()
		b := setup(t, db, func(cfg *Config) { cfg.Metrics = rec })
		c := b.client(t)
		for i := range b.console.limits.PerName {
			if code, _, _ := c.do(http.MethodPost, "/admin/login", url.Values{"name": {operatorName}, "password": {"guess"}}); code != http.StatusUnauthorized {
				t.Fatalf("failure %d = %d", i+1, code)
			}
		}
		// Past the limit even the right password is not checked.
		code, _, body := c.do(http.MethodPost, "/admin/login", url.Values{"name": {operatorName}, "password": {operatorPassword}})
		if code != http.StatusTooManyRequests || !strings.Contains(body, "Too many") {
			t.Fatalf("after %d failures = %d", b.console.limits.PerName, code)
		}
		// Per IP: other names from the same place, up to the IP's limit.
		for i := b.console.limits.PerName; i < b.console.limits.PerIP; i++ {
			c.do(http.MethodPost, "/admin/login", url.Values{"name": {"other" + string(rune('a'+i))}, "password": {"guess"}})
		}
		if code, _, _ := c.do(http.MethodPost, "/admin/login", url.Values{"name": {"someone-new"}, "password": {"guess"}}); code != http.StatusTooManyRequests {
			t.Errorf("a new name after %d failures from one IP = %d", b.console.limits.PerIP, code)
		}
		if v, _ := rec.Value("steady_rate_limit_refusals_total", map[string]string{"scope": "login"}); v != 2 {
			t.Errorf("refused sign-ins counted %v, want 2", v)
		}
		// The window ends: the right password works again.
		b.clock.Advance(b.console.limits.Window)
		c.login()
		if got := b.auditActions(t); !strings.Contains(strings.Join(got, "\n"), "sam login refused: too many attempts") {
			t.Errorf("the refusal is not in the audit log: %v", got)
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		c := b.client(t)
		c.login()
		path := "/admin/subscribers/" + itoa(b.active.ID) + "/pause"
		for name, form := range map[string]url.Values{"no token": {}, "wrong token": {"csrf": {"abc"}}} {
			if code, _, body := c.do(http.MethodPost, path, form); code != http.StatusForbidden || !strings.Contains(body, "out of date") {
				t.Errorf("%s = %d", name, code)
			}
		}
		// Another session's token does not do either.
		other := b.client(t)
		other.login()
		token := other.csrf("/admin")
		if code, _, _ := c.do(http.MethodPost, path, url.Values{"csrf": {token}}); code != http.StatusForbidden {
			t.Errorf("another session's token = %d", code)
		}
		sub, err := db.Subscriber(t.Context(), b.active.ID)
		if err != nil || !sub.PausedUntil.IsZero() {
			t.Errorf("paused without a good token: %+v %v", sub.PausedUntil, err)
		}
	})
}

// TestSecureCookieOnHTTPS: behind an https base URL the cookie is Secure.
func TestSecureCookieOnHTTPS(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t), func(c *Config) { c.BaseURL = "https://steady.example.org" })
	resp, err := b.client(t).hc.PostForm(b.srv.URL+"/admin/login", url.Values{"name": {operatorName}, "password": {operatorPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var secure bool
	for _, k := range resp.Cookies() {
		secure = secure || k.Name == cookieName && k.Secure && k.HttpOnly
	}
	if !secure {
		t.Errorf("cookies %v", resp.Cookies())
	}
}
