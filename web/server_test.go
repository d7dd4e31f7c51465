package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		if res := b.get("/healthz"); res.status != http.StatusOK || strings.TrimSpace(res.body) != "ok" {
			t.Errorf("healthz: %d %q", res.status, res.body)
		}
		if res := b.get("/no/such/page"); res.status != http.StatusNotFound {
			t.Errorf("unknown page: %d", res.status)
		}
		// A probe that succeeds is logged at debug level only (the log
		// here is at info); other requests are logged as ever.
		logs := b.logs.String()
		if strings.Contains(logs, `route="GET /healthz"`) || !strings.Contains(logs, "route=/no/such/page") {
			t.Errorf("request log:\n%s", logs)
		}
	})
}

func TestHeadersAndLog(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.subscribe("pia@example.org")
		link := b.links.ConfirmURL(sub)
		res := b.get(pathOf(t, link))
		want := map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
			"Cache-Control":          "no-store",
		}
		for k, v := range want {
			if got := res.header.Get(k); got != v {
				t.Errorf("%s: %q, want %q", k, got, v)
			}
		}
		if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("Content-Security-Policy: %q", csp)
		}
		logs := b.logs.String()
		if !strings.Contains(logs, "route=\"GET /confirm\"") || !strings.Contains(logs, "status=200") {
			t.Errorf("no request log line:\n%s", logs)
		}
		if strings.Contains(logs, tokenOf(t, link)) || strings.Contains(logs, "pia@") || strings.Contains(logs, url.QueryEscape("pia@")) {
			t.Errorf("the log holds a token or an address:\n%s", logs)
		}
	})
}

func TestNewNeedsParts(t *testing.T) {
	t.Parallel()
	if _, err := web.New(web.Config{}); err == nil {
		t.Error("New with no store, links or clock: no error")
	}
}
