package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

func TestPrivacyPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		res := b.get("/privacy")
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		for _, want := range []string{"How your information is kept", "encrypted", "keyed hash", "60 days", "settings page", "Privacy · Steady"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("/privacy does not say %q", want)
			}
		}
	})
}

// The operator's privacy.html in the templates directory replaces the
// built-in one, inside the same layout; a misspelt page name stops New.
func TestPrivacyPageOverride(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dir := t.TempDir()
		page := `{{define "content"}}<h1>Our own privacy notice</h1><p>Run by Example Ltd.</p>{{end}}`
		if err := os.WriteFile(filepath.Join(dir, "privacy.html"), []byte(page), 0o600); err != nil {
			t.Fatal(err)
		}
		b := setup(t, db, func(c *web.Config) { c.PagesDir = dir })
		res := b.get("/privacy")
		if res.status != http.StatusOK || !strings.Contains(res.body, "Our own privacy notice") ||
			strings.Contains(res.body, "How your information is kept") || !strings.Contains(res.body, "<!doctype html>") {
			t.Errorf("override not used: %d %s", res.status, res.body)
		}
		if res := b.get("/"); !strings.Contains(res.body, `name="timezone"`) {
			t.Errorf("other pages are no longer the built-in ones: %s", res.body)
		}

		if err := os.WriteFile(filepath.Join(dir, "privcy.html"), []byte(page), 0o600); err != nil {
			t.Fatal(err)
		}
		clock := steady.NewManualClock(start)
		l, err := links.New("http://127.0.0.1:1", "steady@example.org", secret, clock)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := web.New(web.Config{Store: db, Links: l, Clock: clock, PagesDir: dir}); err == nil || !strings.Contains(err.Error(), "privcy.html") {
			t.Errorf("a misspelt page: %v", err)
		}
		os.Remove(filepath.Join(dir, "privcy.html"))
		if err := os.WriteFile(filepath.Join(dir, "privacy.html"), []byte(`{{define "content"}}{{.Nope`), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := web.New(web.Config{Store: db, Links: l, Clock: clock, PagesDir: dir}); err == nil || !strings.Contains(err.Error(), "privacy") {
			t.Errorf("a broken page: %v", err)
		}
	})
}
