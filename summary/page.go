package summary

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
)

// PageStore is what the summary web page reads; *store.DB satisfies it.
type PageStore interface {
	Summary(ctx context.Context, id int64) (steady.SummaryRecord, error)
	// LinksRevokedAt is when the subscriber last unsubscribed (zero if
	// never); a summary made at or before it is no longer shown.
	LinksRevokedAt(ctx context.Context, subscriberID int64) (time.Time, error)
	// Subscriber is the subscriber now: the page follows their discreet
	// setting of today, not of the day it was sent.
	Subscriber(ctx context.Context, id int64) (steady.Subscriber, error)
}

// PageLinks verifies and builds the signed summary links; *links.Links
// satisfies it.
type PageLinks interface {
	Verify(p links.Purpose, token string) (int64, error)
	BaseURL() string
	SummaryChartURL(summaryID int64) string
	UnsubscribeURL(sub steady.Subscriber) string
}

// Pages serves a summary as a web page (GET /summary) and its chart
// (GET /summary/chart.png), from the data stored when it was sent, so the
// page shows exactly what the email did. The token comes from
// links.OpenedFrom (the web layer takes it from the link's session), or
// else from ?t=TOKEN. A summary made before the subscriber last
// unsubscribed, or of an erased subscriber, is not shown.
type Pages struct {
	Store    PageStore
	Links    PageLinks
	Renderer *Renderer
	Logger   *slog.Logger
	// ProgramName names the programme on the page; default "Steady".
	ProgramName string
	// LeaveURL is where the page's Leave quickly button goes: a neutral
	// site (required: the page is public).
	LeaveURL string
}

// DefaultLeaveURL is where Leave quickly goes unless Pages.LeaveURL says
// otherwise (web.DefaultLeaveURL is the same page).
const DefaultLeaveURL = "https://www.bbc.com/weather"

var errorPage = template.Must(template.New("e").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Program }}</title></head>
<body style="font-family:Georgia,serif;background:#fbf8f3;color:#2d2a26;padding:24px;">
<nav aria-label="Quick exit"><a class="leave-quickly" id="leave-quickly" href="{{ .LeaveURL }}" rel="noreferrer" aria-label="Leave quickly: go to a neutral site" style="position:fixed;top:8px;right:8px;padding:10px 14px;background:#2f5d50;color:#ffffff;font-family:Arial,sans-serif;border-radius:6px;text-decoration:none;">Leave quickly</a></nav>
<p>{{ .Message }}</p>
<script src="/static/leave.js" defer></script></body></html>`))

// errorView fills errorPage.
type errorView struct{ Program, LeaveURL, Message string }

func (p *Pages) load(w http.ResponseWriter, r *http.Request) (steady.SummaryRecord, Data, bool) {
	fail := func(status int, msg string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_ = errorPage.Execute(w, errorView{Program: cmp.Or(p.ProgramName, "Steady"), LeaveURL: cmp.Or(p.LeaveURL, DefaultLeaveURL), Message: msg})
	}
	token := r.URL.Query().Get("t")
	if o, ok := links.OpenedFrom(r.Context()); ok {
		token = o.Token
	}
	id, err := p.Links.Verify(links.PurposeSummary, token)
	switch {
	case errors.Is(err, links.ErrTokenExpired):
		fail(http.StatusGone, "This link has expired. Your newest summary has a fresh one.")
		return steady.SummaryRecord{}, Data{}, false
	case err != nil:
		fail(http.StatusNotFound, "This link is not valid. Please use the link from your summary.")
		return steady.SummaryRecord{}, Data{}, false
	}
	rec, err := p.Store.Summary(r.Context(), id)
	if errors.Is(err, steady.ErrNotFound) {
		fail(http.StatusNotFound, "This summary no longer exists.")
		return rec, Data{}, false
	}
	var revoked time.Time
	if err == nil {
		revoked, err = p.Store.LinksRevokedAt(r.Context(), rec.SubscriberID)
	}
	if err == nil && !revoked.IsZero() && !rec.CreatedAt.After(revoked) {
		fail(http.StatusGone, "This link has expired.")
		return steady.SummaryRecord{}, Data{}, false
	}
	var d Data
	if err == nil {
		err = json.Unmarshal(rec.Data, &d)
	}
	if err != nil {
		if p.Logger != nil {
			p.Logger.Error("summary page", slog.Int64("summary_id", id), slog.Any("error", err))
		}
		fail(http.StatusInternalServerError, "Something went wrong on our side. Please try again later.")
		return rec, Data{}, false
	}
	return rec, d, true
}

// ServePage is GET /summary.
func (p *Pages) ServePage(w http.ResponseWriter, r *http.Request) {
	rec, d, ok := p.load(w, r)
	if !ok {
		return
	}
	d.Program = p.ProgramName
	// A discreet subscriber's page is titled "Your check-in" (the title
	// is what a browser's tabs and history show); when the subscriber
	// cannot be read, the page is discreet too.
	sub, err := p.Store.Subscriber(r.Context(), rec.SubscriberID)
	if err != nil && p.Logger != nil {
		p.Logger.Error("summary page: reading the subscriber", slog.Int64("summary_id", rec.ID), slog.Any("error", err))
	}
	d.Discreet = err != nil || sub.Discreet
	out, err := p.Renderer.Render(d, Links{ChartSrc: p.chartSrc(r, rec.ID),
		UnsubscribeURL: p.Links.UnsubscribeURL(steady.Subscriber{ID: rec.SubscriberID}), Page: true,
		LeaveURL: cmp.Or(p.LeaveURL, DefaultLeaveURL)})
	if err != nil {
		http.Error(w, "could not show the summary", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(out.HTML))
}

// chartSrc is the chart's URL on the page: the bare path when the page
// came from its session cookie (the image request carries it too), with
// the session value when cookies are refused, or a signed link.
func (p *Pages) chartSrc(r *http.Request, summaryID int64) string {
	o, ok := links.OpenedFrom(r.Context())
	switch {
	case !ok || o.Session == "":
		return p.Links.SummaryChartURL(summaryID)
	case o.Cookie:
		return p.Links.BaseURL() + "/summary/chart.png"
	}
	return p.Links.BaseURL() + "/summary/chart.png?s=" + url.QueryEscape(o.Session)
}

// ServeChart is GET /summary/chart.png.
func (p *Pages) ServeChart(w http.ResponseWriter, r *http.Request) {
	_, d, ok := p.load(w, r)
	if !ok {
		return
	}
	png, err := Chart(d)
	if err != nil {
		http.Error(w, "could not draw the chart", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}
