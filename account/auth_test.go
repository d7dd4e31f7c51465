package account_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// Pages mounted beside the settings page (account.Data's, through
// Handler's more) find the subscriber with Auth: from the settings
// session's cookie or ?s on a GET, from the form's s on a POST; without a
// session they answer for nobody and their handler never runs.
func TestAuthForMoreRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		acct, err := account.New(account.Config{Store: db, Links: b.links, Clock: b.clock})
		if err != nil {
			t.Fatal(err)
		}
		ran := 0
		more := func(mux *http.ServeMux, auth account.Auth) {
			h := func(w http.ResponseWriter, r *http.Request) {
				sub, session, ok := auth(w, r)
				if !ok {
					return
				}
				ran++
				w.Write([]byte("subscriber " + sub.Address + " session " + session))
			}
			mux.HandleFunc("GET /settings/reflections", h)
			mux.HandleFunc("POST /settings/delete", h)
		}
		srv, err := web.New(web.Config{Store: db, Links: b.links, Clock: b.clock,
			Extra: map[string]http.Handler{"/settings": acct.Handler(more), "/settings/": acct.Handler(more)}})
		if err != nil {
			t.Fatal(err)
		}
		b.swap(srv.Handler())
		sub := b.active("max@example.com")
		if res := b.get("/settings/reflections"); res.status == http.StatusOK || ran != 0 {
			t.Fatalf("no session: %d, handler ran %d times", res.status, ran)
		}
		s := session(t, b.get(b.links.SettingsURL(sub)).body)
		if res := b.get("/settings/reflections"); res.body != "subscriber max@example.com session "+s {
			t.Errorf("GET from the cookie: %d %q", res.status, res.body)
		}
		if res := b.post("/settings/delete", url.Values{"s": {s}}); !strings.HasPrefix(res.body, "subscriber max@example.com") {
			t.Errorf("POST with s: %d %q", res.status, res.body)
		}
		b.clock.Advance(2 * time.Hour)
		if res := b.get("/settings/reflections?s=" + s); strings.Contains(res.body, "max@") || res.status != http.StatusGone {
			t.Errorf("an expired session: %d %q", res.status, res.body)
		}
	})
}
