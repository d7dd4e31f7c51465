// Package layout parses server-rendered pages that share one layout: the
// public pages (web), the subscriber's settings pages (account) and the
// operator console (admin) each embed a pages/ directory of *.html files,
// one of them layout.html.
package layout

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
)

// Parse parses every pages/*.html file of fsys except layout.html, each
// together with pages/layout.html, once, and returns them by page name
// ("confirm" for pages/confirm.html). skip, when set, leaves out pages
// parsed some other way. A parse error names the page.
func Parse(fsys fs.FS, funcs template.FuncMap, skip func(page string) bool) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	pages := make(map[string]*template.Template, len(names))
	for _, name := range names {
		page := strings.TrimSuffix(path.Base(name), ".html")
		if page == "layout" || (skip != nil && skip(page)) {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "pages/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", page, err)
		}
		pages[page] = t
	}
	return pages, nil
}
