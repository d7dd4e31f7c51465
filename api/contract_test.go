package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/steadyapp/steady/api"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Every route the API serves is in docs/openapi.yaml with its method,
// and every operation the document lists is a route: neither can drift
// from the other.
func TestEveryRouteIsDocumentedAndEveryDocumentedRouteExists(t *testing.T) {
	t.Parallel()
	doc, _ := spec(t)
	b := setup(t, storetest.SQLite(t))
	served := map[string]bool{}
	for pattern := range b.api.Routes() {
		if pattern == api.Fallback {
			continue
		}
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			t.Errorf("route %q has no method", pattern)
			continue
		}
		served[method+" "+path] = true
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s is served but not in docs/openapi.yaml", pattern)
		}
	}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, api.Prefix) {
			t.Errorf("documented path %s is outside %s", path, api.Prefix)
		}
		for method, op := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("docs/openapi.yaml has %s %s (%s), which is not served", method, path, op.OperationID)
			}
			if op.Responses.Status(http.StatusUnauthorized) == nil {
				t.Errorf("%s %s documents no 401", method, path)
			}
		}
	}
	if len(served) == 0 {
		t.Fatal("no routes")
	}
}

// The document says every route needs the bearer key.
func TestDocumentRequiresBearerAuth(t *testing.T) {
	t.Parallel()
	doc, _ := spec(t)
	scheme := doc.Components.SecuritySchemes["bearerAuth"]
	if scheme == nil || scheme.Value.Type != "http" || scheme.Value.Scheme != "bearer" {
		t.Fatalf("bearerAuth is %+v", scheme)
	}
	if len(doc.Security) != 1 || doc.Security[0]["bearerAuth"] == nil {
		t.Fatalf("top-level security is %v", doc.Security)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Security != nil {
				t.Errorf("%s %s overrides the security requirement", method, path)
			}
		}
	}
}

// Each route, and a path under /api/v1 that is none, answers 401 in the
// error shape with a Bearer challenge to a request without a key, with a
// revoked key, with a well-formed key nobody issued and with another
// scheme, and changes nothing.
func TestEveryRouteNeedsAWorkingKey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.active("walk@example.org")
		revoked, _, err := b.apiKeys().Create(t.Context(), "old-site")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RevokeAPIKey(t.Context(), "old-site", b.clock.Now()); err != nil {
			t.Fatal(err)
		}
		wrong := "stdy_" + strings.Repeat("a", len(b.key)-len("stdy_"))
		auths := map[string]string{
			"no key":      "-",
			"revoked key": "Bearer " + revoked,
			"wrong key":   "Bearer " + wrong,
			"malformed":   "Bearer not-a-key",
			"basic":       "Basic " + b.key,
			"bare key":    b.key,
		}
		logged, audits := len(b.logs.String()), b.audits()
		var patterns []string
		for p := range b.api.Routes() {
			patterns = append(patterns, p)
		}
		slices.Sort(patterns)
		for _, pattern := range patterns {
			method, path, _ := strings.Cut(pattern, " ")
			if pattern == api.Fallback {
				method, path = http.MethodGet, "/api/v1/no-such-route"
			}
			path = strings.ReplaceAll(path, "{id}", itoa(sub.ID))
			body := ""
			if method == http.MethodPost || method == http.MethodPatch {
				body = `{}`
			}
			for name, auth := range auths {
				res := b.do(call{method: method, path: path, body: body, auth: auth, bad: true})
				e := res.wantError(t, http.StatusUnauthorized, "unauthorized", "")
				if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s with %s: WWW-Authenticate %q", pattern, name, res.header.Get("WWW-Authenticate"))
				}
				if strings.Contains(e.Error.Message, sub.Address) {
					t.Errorf("%s with %s names the subscriber: %s", pattern, name, e.Error.Message)
				}
			}
		}
		got := b.subscriber(sub.ID)
		if got.Status != "active" || got.PausedUntil != nil {
			t.Errorf("after the walk the subscriber is %s, paused until %v", got.Status, got.PausedUntil)
		}
		if after := b.logs.String()[logged:]; strings.Contains(after, "api change") {
			t.Errorf("a refused request was recorded as a change:\n%s", after)
		}
		if n := b.audits(); n != audits {
			t.Errorf("refused requests made %d audit entries", n-audits)
		}
	})
}

// A path under /api/v1 that is no route is 404, and a route's path with
// another method 405 with Allow, both in the error shape (not the mux's
// plain text), and both only with a key.
func TestUnknownPathsAndMethods(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t))
	b.do(call{method: http.MethodGet, path: "/api/v1/nothing/here"}).wantError(t, http.StatusNotFound, "not_found", "")
	b.do(call{method: http.MethodGet, path: "/api/v1"}).wantError(t, http.StatusNotFound, "not_found", "")
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodPut, "/api/v1/subscribers/1", "GET, PATCH, DELETE"},
		{http.MethodGet, "/api/v1/subscribers/1/pause", "POST"},
		{http.MethodDelete, "/api/v1/subscribers", "GET, POST"},
		{http.MethodPost, "/api/v1/stats", "GET"},
	} {
		res := b.do(call{method: c.method, path: c.path, body: "{}", bad: true})
		res.wantError(t, http.StatusMethodNotAllowed, "invalid", "")
		if got := res.header.Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
	// The old catch-all outside v1 now points at both APIs.
	res := b.do(call{method: http.MethodGet, path: "/api/other", auth: "-", bad: true})
	if res.status != http.StatusNotFound || !strings.Contains(string(res.body), "/api/v1") {
		t.Errorf("/api/other: %d %s", res.status, res.body)
	}
}

// Every error a route documents is the one error shape, and every object
// an answer may hold lists its fields and allows no others, so the
// contract tests refuse a field nobody documented (a reply, a consent's
// wording) as soon as a handler sends it.
func TestDocumentedAnswersAreClosed(t *testing.T) {
	t.Parallel()
	doc, _ := spec(t)
	errorSchema := doc.Components.Schemas["Error"].Value
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Responses.Status(http.StatusInternalServerError) == nil {
				t.Errorf("%s %s documents no 500", method, path)
			}
			for status, ref := range op.Responses.Map() {
				media := ref.Value.Content.Get("application/json")
				switch {
				case status == "204":
					continue
				case media == nil:
					t.Errorf("%s %s %s: no application/json answer", method, path, status)
					continue
				case status >= "400" && media.Schema.Value != errorSchema:
					t.Errorf("%s %s %s is not the Error shape", method, path, status)
				}
				closed(t, method+" "+path+" "+status, media.Schema.Value, map[*openapi3.Schema]bool{})
			}
		}
	}
}

// closed checks that s and every object in it forbid unlisted fields.
func closed(t *testing.T, where string, s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	t.Helper()
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if len(s.Properties) > 0 {
		if ap := s.AdditionalProperties; ap.Has == nil || *ap.Has || ap.Schema != nil {
			t.Errorf("%s: an object with fields %v allows others", where, keys(s.Properties))
		}
	}
	for _, p := range s.Properties {
		closed(t, where, p.Value, seen)
	}
	if s.Items != nil {
		closed(t, where, s.Items.Value, seen)
	}
	if s.AdditionalProperties.Schema != nil {
		closed(t, where, s.AdditionalProperties.Schema.Value, seen)
	}
}

func keys(m openapi3.Schemas) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
