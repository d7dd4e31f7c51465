package account

import (
	"bytes"
	"embed"
	"fmt"
	"github.com/steadyapp/steady/layout"
	"html/template"
	"net/http"
	"strings"
)

//go:embed pages/*.html
var pageFS embed.FS

// pages are the parsed page templates by name.
type pages map[string]*template.Template

// parsePages parses each page with the layout, once; data_*.html are the
// data pages' own (data.go).
func parsePages() (pages, error) {
	p, err := layout.Parse(pageFS, nil, func(page string) bool { return strings.HasPrefix(page, "data_") })
	if err != nil {
		return nil, fmt.Errorf("account: %w", err)
	}
	return p, nil
}

type pageData struct {
	Program  string
	Title    string
	LeaveURL string // the Leave quickly button's neutral site
	Data     any
}

// render writes page name with status, through a buffer so a template
// error is a clean 500.
func (s *Settings) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	var buf bytes.Buffer
	t, ok := s.pages[name]
	if !ok {
		s.internal(w, r, fmt.Errorf("account: no page %q", name))
		return
	}
	if err := t.Execute(&buf, pageData{Program: s.program, Title: title, LeaveURL: s.leaveURL, Data: data}); err != nil {
		s.internal(w, r, fmt.Errorf("account: render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// message is an error page's words. None names the person.
type message struct{ Heading, Message, Hint string }

var (
	closedPage = message{"This link no longer works",
		"Settings links stop working when prompts are stopped.",
		"If you'd like prompts again, you're welcome to sign up again."}
	expiredPage = message{"This settings link has expired",
		"Settings links last 60 days, to keep them private.",
		"Nothing was changed. Text SETTINGS, or use the link in your newest message, for a fresh one."}
	invalidPage = message{"This link isn't complete",
		"The link may have been cut short, or this page was opened without it.",
		"Nothing was changed. Open the settings link from your newest message again."}
	reopenPage = message{"Please open your link again",
		"This page stays open for an hour after you open its link, to keep the link private. That time is up.",
		"Nothing was changed. Open the settings link from your email or text message again."}
	badFormPage = message{"Something was wrong with that form", "The form could not be read.", "Nothing was changed. Please try again."}
	// staleFormPage: a form without its page's session value, or with
	// another session's than the browser's cookie.
	staleFormPage = message{"Please open the page again", "That form did not come from the page you have open.", "Nothing was changed. Open your settings again from your most recent message."}
	notFoundPage  = message{"Page not found", "There is no page here.", ""}
	errorPage     = message{"Something went wrong", "We couldn't do that just now.", "Nothing was changed. Please try again in a little while."}
)

func (s *Settings) fail(w http.ResponseWriter, r *http.Request, status int, m message) {
	s.render(w, r, status, "error", m.Heading, m)
}

// internal logs err (never a body or address) and answers a plain 500.
func (s *Settings) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "settings page", "err", err)
	if _, ok := s.pages["error"]; !ok {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if s.pages["error"].Execute(&buf, pageData{Program: s.program, Title: errorPage.Heading, LeaveURL: s.leaveURL, Data: errorPage}) != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(buf.Bytes())
}
