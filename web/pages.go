package web

import (
	"bytes"
	"embed"
	"fmt"
	"github.com/steadyapp/steady/layout"
	"html/template"
	"io/fs"
	"net/http"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/steadyapp/steady/summary"
)

//go:embed pages/*.html
var pageFS embed.FS

//go:embed static
var staticFS embed.FS

// parsePages parses each page together with the layout, once. A page
// named like an embedded one in dir (the operator's templates directory,
// --templates) replaces it, layout.html included; another *.html file
// there is refused, so a misspelt name is not silently ignored.
func parsePages(dir string) (map[string]*template.Template, error) {
	names, err := fs.Glob(pageFS, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list pages: %w", err)
	}
	var pagesFS fs.FS = pageFS
	if dir != "" {
		if pagesFS, err = overlayPages(dir, names); err != nil {
			return nil, err
		}
	}
	funcs := template.FuncMap{"localTime": localTime, "clockHint": clockHint, "contactURL": summary.ContactURL}
	pages, err := layout.Parse(pagesFS, funcs, nil)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return pages, nil
}

// overlayPages is the embedded pages with those of dir on top.
func overlayPages(dir string, embedded []string) (fs.FS, error) {
	known := make([]string, len(embedded))
	for i, n := range embedded {
		known[i] = path.Base(n)
	}
	found, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return nil, fmt.Errorf("web: pages in %s: %w", dir, err)
	}
	o := overlay{dir: os.DirFS(dir), names: map[string]bool{}}
	for _, f := range found {
		base := filepath.Base(f)
		if !slices.Contains(known, base) {
			return nil, fmt.Errorf("web: %s: not a page name (pages: %s)", f, strings.Join(known, ", "))
		}
		o.names["pages/"+base] = true
	}
	return o, nil
}

// overlay opens pages/NAME from dir when the operator gave one, else the
// embedded page.
type overlay struct {
	dir   fs.FS
	names map[string]bool
}

func (o overlay) Open(name string) (fs.File, error) {
	if o.names[name] {
		return o.dir.Open(path.Base(name))
	}
	return pageFS.Open(name)
}

// pageData is what the layout sees; Data is the page's own.
type pageData struct {
	Program string
	Title   string
	// LeaveURL is where the Leave quickly button goes: a neutral site.
	LeaveURL string
	Data     any
}

// render writes page name with status. It renders into a buffer first, so
// a template error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.log.ErrorContext(r.Context(), "unknown page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, pageData{Program: s.program, Title: title, LeaveURL: s.leaveURL, Data: data}); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// localTime formats t in loc for people: "Thursday 26 November 2026 at 20:30".
func localTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Monday 2 January 2006 at 15:04")
}

// clockHint says a form's "HH:MM" the way the time box may not: "20:00
// (8 pm)", "08:30 (8:30 am)", "12:00 (noon)". The 24-hour form is the
// box's own value, whatever the browser shows; anything else gives "".
func clockHint(hhmm string) string {
	t, err := time.Parse("15:04", strings.TrimSpace(hhmm))
	if err != nil {
		return ""
	}
	var words string
	switch h, m := t.Hour(), t.Minute(); {
	case h == 0 && m == 0:
		words = "midnight"
	case h == 12 && m == 0:
		words = "noon"
	case m == 0:
		words = t.Format("3 pm")
	default:
		words = t.Format("3:04 pm")
	}
	return t.Format("15:04") + " (" + words + ")"
}

// clientIP is the address recorded with a consent. Behind a proxy we run,
// the last X-Forwarded-For entry is the one our proxy added; earlier ones
// are whatever the client claimed.
func (s *Server) clientIP(r *http.Request) string {
	if s.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); err == nil {
				return ip.Unmap().String()
			}
		}
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().String()
	}
	return r.RemoteAddr
}
