package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// axe-core really runs in the page: a page with an unlabelled field and
// an image without alt text has violations, and they are named; the same
// page made right has none.
func TestAxeFindsViolations(t *testing.T) {
	b := needBrowser(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/broken" {
			fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1><img src="/x.png"><input type="text" name="q"></main></body></html>`)
			return
		}
		fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>Fine</title></head><body><main><h1>Fine</h1><img src="/x.png" alt="A tree"><label for="q">Search</label><input id="q" type="text" name="q"></main></body></html>`)
	}))
	t.Cleanup(ts.Close)
	p := b.NewPage(t, ts.URL)

	p.Open("/broken")
	vs := p.AxeViolations()
	got := map[string]bool{}
	for _, v := range vs {
		got[v.ID] = true
	}
	if !got["image-alt"] || !got["label"] {
		t.Errorf("axe-core on a broken page: want image-alt and label, got:\n%s", FormatViolations(vs))
	}
	if s := FormatViolations(vs); !strings.Contains(s, "<img") || !strings.Contains(s, "dequeuniversity.com") {
		t.Errorf("the report does not show the element and the rule's help:\n%s", s)
	}

	// The WCAG rules alone, on a page opened from a data: URL, as
	// CheckEmails does, find the same two.
	p.Open("data:text/html;charset=utf-8," + url.PathEscape(`<!doctype html><html lang="en"><title>Email</title><img src="x.png"><input type="text" name="q"></html>`))
	got = map[string]bool{}
	for _, v := range p.AxeViolationsOf(AxeWCAG) {
		got[v.ID] = true
	}
	if !got["image-alt"] || !got["label"] || len(got) != 2 {
		t.Errorf("axe-core's WCAG rules on a broken email: want image-alt and label only, got %v", got)
	}

	p.Open("/fine")
	if vs := p.AxeViolations(); len(vs) != 0 {
		t.Errorf("axe-core on a fine page:\n%s", FormatViolations(vs))
	}
}
