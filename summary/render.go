package summary

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
)

// ChartContentID is the Content-ID of the chart in the summary email.
const ChartContentID = "chart@steady"

// Links are the URLs a rendered summary points to.
type Links struct {
	PageURL        string // the summary as a web page (signed link)
	ChartSrc       string // the chart image: "cid:…" in email, a URL on the web page, a data: URI in a file
	UnsubscribeURL string
	// SettingsURL opens the subscriber's settings page (email footer).
	SettingsURL string
	// Page is set for the web page: it may follow the reader's dark mode,
	// and carries the Leave quickly button to LeaveURL.
	Page     bool
	LeaveURL string
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// countLine is how often an item came up, saying how many of those it
// shows when it shows fewer ("3 times, twice in these words"), so a count
// is never backed by fewer quotes than it claims.
func countLine(it Item) string {
	n, shown := it.Count, it.Shown()
	if shown == 0 || shown >= n {
		return times(n)
	}
	if shown == 1 {
		return times(n) + ", once in these words"
	}
	if shown == 2 && n > 2 {
		return times(n) + ", twice in these words"
	}
	return fmt.Sprintf("%s, %d of them in these words", times(n), shown)
}

// Rendered is a summary in every form it is sent in.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
	SMS     string
}

// Renderer renders summaries (writeText and writeHTML); it is safe for
// concurrent use.
type Renderer struct {
	// bufs are render buffers, kept grown between summaries.
	bufs sync.Pool
}

// NewRenderer makes a Renderer. It cannot fail any more (the summaries
// were once parsed templates); the error is kept for its callers.
func NewRenderer() (*Renderer, error) {
	return &Renderer{}, nil
}

// Subject is the email subject: calm, and never naming a red flag, so
// nothing alarming shows in an inbox or a notification preview. In
// discreet mode it is only "Your monthly check-in".
func Subject(d Data) string {
	if d.Discreet {
		return "Your monthly check-in"
	}
	return "Your " + d.program() + " summary for " + d.Title
}

// Preheader is the preview line inboxes show after the subject.
func Preheader(d Data) string {
	if d.Discreet {
		return "Your check-in for " + d.Title + " is ready"
	}
	return "Your summary for " + d.Title + ", only for you"
}

// Render renders d as email text, email HTML and SMS.
func (r *Renderer) Render(d Data, l Links) (Rendered, error) {
	v := newView(d, l)
	buf := r.buffer()
	defer r.bufs.Put(buf)
	writeText(buf, &v)
	text := squeeze(buf.Bytes())
	buf.Reset()
	writeHTML(buf, &v)
	return Rendered{Subject: Subject(d), Text: text, HTML: buf.String(), SMS: SMS(d, l.PageURL)}, nil
}

// buffer is an empty render buffer, from the pool when one is free.
func (r *Renderer) buffer() *bytes.Buffer {
	if b, ok := r.bufs.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return bytes.NewBuffer(make([]byte, 0, 16<<10))
}

// SMS is the short text for SMS subscribers: at most two segments, the
// month, how much came back, and the signed link. Like the subject, it
// never names a red flag, so a lock-screen preview shows nothing alarming;
// in discreet mode it is only a neutral line and the link.
func SMS(d Data, pageURL string) string {
	month := d.Title
	if i := strings.IndexByte(month, ' '); i > 0 {
		month = month[:i]
	}
	var body string
	p := d.program()
	switch {
	case d.Discreet:
		// Only a neutral line and the link: whoever holds the phone may
		// read it.
		body = fmt.Sprintf("Your %s check-in is ready.", month)
	case d.Nudge:
		body = fmt.Sprintf("%s: no replies in %s, and that's ok. Answer any prompt with a word or a number whenever you like.", p, month)
	case len(d.Recurring) == 0:
		body = fmt.Sprintf("%s: your %s summary is ready (%s).", p, month, plural(d.Replies, "reply"))
	default:
		body = fmt.Sprintf("%s: your %s summary is ready. %s came up more than once.", p, month, plural(len(d.Recurring), "theme"))
	}
	if d.Discreet && pageURL != "" {
		return body + " " + pageURL
	}
	if pageURL != "" {
		body += " Read it privately: " + pageURL
	}
	return body
}

// squeeze removes runs of blank lines left by the template's conditionals
// (and trailing spaces), in one copy of s.
func squeeze(s []byte) string {
	var out strings.Builder
	out.Grow(len(s) + 1)
	blank := false
	for first := true; len(s) > 0 || first; first = false {
		l := s
		if i := bytes.IndexByte(s, '\n'); i >= 0 {
			l, s = s[:i], s[i+1:]
		} else {
			s = nil
		}
		l = bytes.TrimRight(l, " ")
		if len(l) == 0 {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		if !first {
			out.WriteByte('\n')
		}
		out.Write(l)
	}
	return strings.TrimSpace(out.String()) + "\n"
}
