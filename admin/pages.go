package admin

import (
	"bytes"
	"embed"
	"fmt"
	"github.com/steadyapp/steady/layout"
	"html/template"
	"net/http"
	"time"
)

//go:embed pages/*.html
var pageFS embed.FS

// pages are the parsed page templates by name.
type pages map[string]*template.Template

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"day": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02")
	},
	"mask": maskAddress,
}

// parsePages parses each page with the layout, once; an error stops
// start-up.
func parsePages() (pages, error) {
	p, err := layout.Parse(pageFS, funcs, nil)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	return p, nil
}

// pageData is what the layout sees; Data is the page's own.
type pageData struct {
	Program string
	Title   string
	// Operator and CSRF are the session's; empty on the login page.
	Operator, CSRF string
	// Section is the navigation entry to mark as current.
	Section string
	Data    any
}

// render writes page name with status, through a buffer, so a template
// error is a clean 500 and not half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name, title string, s session, data any) {
	t, ok := c.pages[name]
	if !ok {
		c.log.ErrorContext(r.Context(), "admin: unknown page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	d := pageData{Program: c.program, Title: title, Operator: s.Operator, CSRF: s.CSRF, Section: name, Data: data}
	if err := t.Execute(&buf, d); err != nil {
		c.log.ErrorContext(r.Context(), "admin: render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// message is a page of a heading and a sentence.
type message struct{ Heading, Message string }

// fail answers with a message page that shows no data.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	c.render(w, r, status, "message", heading, session{}, message{heading, msg})
}

// internal logs err (never a body or address) and answers 500.
func (c *Console) internal(w http.ResponseWriter, r *http.Request, err error) {
	c.log.ErrorContext(r.Context(), "admin console", "route", r.Pattern, "err", err)
	c.fail(w, r, http.StatusInternalServerError, "Something went wrong", "That did not work just now; the server's log says why. Nothing more was changed.")
}

// notFound answers a console path that is no page.
func (c *Console) notFound(w http.ResponseWriter, r *http.Request, s session) {
	c.render(w, r, http.StatusNotFound, "message", "Page not found", s, message{"Page not found", "There is no console page here."})
}

// setupPage is every console page while no operator is configured: how to
// add one, and nothing else.
func (c *Console) setupPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusServiceUnavailable, "setup", "Set up the console", session{}, nil)
}
