package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/linkpage"
	"github.com/steadyapp/steady/links"
)

// LinkStore is what the link pages need beyond Store's basics; *store.DB
// satisfies it.
type LinkStore interface {
	ConfirmLink(ctx context.Context, id int64, requested time.Time, consent steady.Consent, now time.Time,
		next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error)
	ConfirmLinkState(ctx context.Context, id int64, requested time.Time) error
	LinksRevokedAt(ctx context.Context, subscriberID int64) (time.Time, error)
}

// linkPage is a page opened from a signed link, and its session cookie
// (package linkpage).
type linkPage = linkpage.Page

var (
	confirmLink     = linkPage{Purpose: links.PurposeConfirm, Path: "/confirm", Cookie: "steady_confirm"}
	unsubscribeLink = linkPage{Purpose: links.PurposeUnsubscribe, Path: "/unsubscribe", Cookie: "steady_unsubscribe"}
	replyLink       = linkPage{Purpose: links.PurposeReply, Path: "/reply", Cookie: "steady_reply"}
	// The summary's cookie (Path /summary) also reaches /summary/chart.png.
	summaryLink = linkPage{Purpose: links.PurposeSummary, Path: "/summary", Cookie: "steady_summary"}
)

// open finds the link a GET of a link page was opened with (see
// linkpage.Open). ok false: open has answered (a redirect or an error page).
func (s *Server) open(w http.ResponseWriter, r *http.Request, lp linkPage) (o links.Opened, ok bool) {
	o, answered, err := linkpage.Open(s.links, w, r, lp)
	if err != nil {
		s.sessionFailed(w, r, err, "")
		return links.Opened{}, false
	}
	return o, !answered
}

// quiet is open without redirects, for what a page embeds (the summary's
// chart): ?t, ?s or the cookie.
func (s *Server) quiet(r *http.Request, lp linkPage) (links.Opened, error) {
	return linkpage.Quiet(s.links, r, lp)
}

// posted is the link token a form POST acts on: the form's t (a session
// value from the page, or a link token: RFC 8058 one-click requests carry
// it in the query), else the page's cookie. The form must have been parsed.
func (s *Server) posted(r *http.Request, lp linkPage) (string, error) {
	return linkpage.Posted(s.links, r, lp, tokenFrom(r))
}

// endSession removes the page's cookie (a used confirmation link).
func (s *Server) endSession(w http.ResponseWriter, lp linkPage) {
	linkpage.EndSession(s.links, w, lp)
}

// sessionFailed answers a page whose session is missing, expired or not
// genuine. kept is text the person wrote, shown again.
func (s *Server) sessionFailed(w http.ResponseWriter, r *http.Request, err error, kept string) {
	if errors.Is(err, links.ErrSessionExpired) {
		s.fail(w, r, err, failure{
			status:  http.StatusGone,
			heading: "Please open your link again",
			message: "This page stays open for an hour after you open its link, to keep the link private. That time is up, or the page was opened without its link.",
			hint:    "Nothing was changed. Open the link from your email or text message again.",
			kept:    kept,
		})
		return
	}
	s.fail(w, r, err, failure{kept: kept})
}

// summaryOpened serves the summary page (package summary) from its
// link's session: the handler finds the token with links.OpenedFrom.
func (s *Server) summaryOpened(w http.ResponseWriter, r *http.Request) {
	o, ok := s.open(w, r, summaryLink)
	if !ok {
		return
	}
	s.summaryPage(w, r.WithContext(links.WithOpened(r.Context(), o)))
}

// summaryChartOpened serves the summary's chart image from the page's
// session: its cookie, or the ?s the page put in the image's URL.
func (s *Server) summaryChartOpened(w http.ResponseWriter, r *http.Request) {
	o, err := s.quiet(r, summaryLink)
	if err != nil {
		w.WriteHeader(statusOf(err))
		return
	}
	s.summaryChart(w, r.WithContext(links.WithOpened(r.Context(), o)))
}
