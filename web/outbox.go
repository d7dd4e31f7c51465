package web

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/steadyapp/steady"
)

// outboxLimit is how many preview messages the list shows.
const outboxLimit = 200

// outbox lists the messages the preview sender kept, newest first (the
// store's order).
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Previews(r.Context(), outboxLimit)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	s.render(w, r, http.StatusOK, "outbox", "Outbox (preview)", list)
}

// textPart is a run of message text, a link when URL is set.
type textPart struct {
	Text string
	URL  string
}

type outboxMessageData struct {
	steady.PreviewMessage
	Parts []textPart
	Links []string
	// SrcDoc is the message's HTML for a sandboxed iframe; links in it
	// open in a new tab.
	SrcDoc string
}

// outboxMessage shows one kept message: its text with working links and
// its HTML in a sandboxed frame that runs no scripts.
func (s *Server) outboxMessage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, steady.ErrNotFound, failure{})
		return
	}
	m, err := s.store.Preview(r.Context(), id)
	if err != nil {
		s.fail(w, r, err, failure{})
		return
	}
	d := outboxMessageData{PreviewMessage: m, Parts: linkify(m.Text)}
	for _, p := range d.Parts {
		if p.URL != "" && !slices.Contains(d.Links, p.URL) {
			d.Links = append(d.Links, p.URL)
		}
	}
	more := []string{m.ReplyURL}
	for _, k := range slices.Sorted(maps.Keys(m.Headers)) {
		more = append(more, urlPattern.FindAllString(m.Headers[k], -1)...)
	}
	for _, u := range more {
		if u != "" && !slices.Contains(d.Links, u) {
			d.Links = append(d.Links, u)
		}
	}
	if m.HTML != "" {
		d.SrcDoc = `<base target="_blank">` + m.HTML
	}
	s.render(w, r, http.StatusOK, "outbox_message", m.Subject, d)
}

// urlPattern finds http(s) links in text and in headers such as
// List-Unsubscribe ("<https://…>, <mailto:…>").
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify splits text into plain runs and http(s) links.
func linkify(text string) []textPart {
	var parts []textPart
	last := 0
	for _, loc := range urlPattern.FindAllStringIndex(text, -1) {
		u := strings.TrimRight(text[loc[0]:loc[1]], ".,;:!?)]'")
		end := loc[0] + len(u)
		if loc[0] > last {
			parts = append(parts, textPart{Text: text[last:loc[0]]})
		}
		parts = append(parts, textPart{Text: u, URL: u})
		last = end
	}
	if last < len(text) {
		parts = append(parts, textPart{Text: text[last:]})
	}
	return parts
}
