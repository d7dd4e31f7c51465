package account

import (
	"bytes"
	"cmp"
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// DataStore is what the subscriber's data pages use; *store.DB satisfies it.
type DataStore interface {
	Reflections(ctx context.Context, subscriberID int64, query string, limit, offset int) ([]store.Reflection, int, error)
	DeleteReply(ctx context.Context, subscriberID, replyID int64) (store.Reflection, error)
	Summaries(ctx context.Context, subscriberID int64) ([]steady.SummaryRecord, error)
	RedactSummary(ctx context.Context, subscriberID, summaryID int64, data []byte) error
	Consents(ctx context.Context, subscriberID int64) ([]steady.Consent, error)
	Deliveries(ctx context.Context, subscriberID int64) ([]steady.Delivery, error)
	Replies(ctx context.Context, subscriberID int64) ([]steady.Reply, error)
	SafetyNotices(ctx context.Context, subscriberID int64) ([]steady.SafetyNotice, error)
	Bounces(ctx context.Context, subscriberID int64) ([]store.Bounce, error)
	DeleteSubscriber(ctx context.Context, id int64, hasher store.AddressHasher) error
	// Checkpoint clears deleted rows from SQLite's -wal; outside Atomically.
	Checkpoint(ctx context.Context) error
	Atomically(ctx context.Context, fn func(ctx context.Context) error) error
}

var _ DataStore = (*store.DB)(nil)

// DataConfig is what Data needs. Store, Hasher are required; Clock
// defaults to the system clock, Logger to slog.Default(), ProgramName to
// "Steady".
type DataConfig struct {
	Store       DataStore
	Clock       steady.Clock
	Logger      *slog.Logger
	Hasher      store.AddressHasher
	ProgramName string
	// LeaveURL is where every page's Leave quickly button goes; default
	// DefaultLeaveURL.
	LeaveURL string
}

// Data serves the subscriber's own data: "My reflections" (their replies,
// searchable, each removable), the export (JSON and a readable HTML file)
// and deleting everything. Every page is behind the settings session
// (Auth), answers Cache-Control: no-store, and every change is a POST
// carrying the session value.
type Data struct {
	cfg   DataConfig
	log   *slog.Logger
	pages map[string]*template.Template
	file  *template.Template // the HTML export, a document of its own
}

//go:embed pages/data_*.html pages/layout.html
var dataFS embed.FS

// NewData checks cfg and parses the pages once; a parse error stops here.
func NewData(cfg DataConfig) (*Data, error) {
	if cfg.Store == nil {
		return nil, errors.New("account: data: no store")
	}
	if cfg.Hasher == nil {
		return nil, errors.New("account: data: no address hasher (erasure keeps compliance records under it)")
	}
	cfg.Clock = cmp.Or[steady.Clock](cfg.Clock, steady.SystemClock{})
	cfg.Logger = cmp.Or(cfg.Logger, slog.Default())
	cfg.ProgramName = cmp.Or(strings.TrimSpace(cfg.ProgramName), "Steady")
	d := &Data{cfg: cfg, log: cfg.Logger, pages: map[string]*template.Template{}}
	names, err := fs.Glob(dataFS, "pages/data_*.html")
	if err != nil {
		return nil, fmt.Errorf("account: data: list pages: %w", err)
	}
	funcs := template.FuncMap{"date": longDate}
	for _, name := range names {
		page := strings.TrimSuffix(path.Base(name), ".html")
		switch page {
		case "data_export_file":
			if d.file, err = template.New(path.Base(name)).Funcs(funcs).ParseFS(dataFS, name); err != nil {
				return nil, fmt.Errorf("account: data: parse %s: %w", page, err)
			}
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(dataFS, "pages/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("account: data: parse %s: %w", page, err)
		}
		d.pages[page] = t
	}
	if d.file == nil {
		return nil, errors.New("account: data: no export file template")
	}
	return d, nil
}

// Routes mounts the pages on mux behind auth.
func (d *Data) Routes(mux *http.ServeMux, auth Auth) {
	mux.Handle("GET /settings/reflections", d.authed(auth, d.reflections))
	mux.Handle("POST /settings/reflections/delete", d.authed(auth, d.deleteReflection))
	mux.Handle("GET /settings/export", d.authed(auth, d.exportPage))
	mux.Handle("GET /settings/export/my-data.json", d.authed(auth, d.exportJSON))
	mux.Handle("GET /settings/export/my-data.html", d.authed(auth, d.exportHTML))
	mux.Handle("GET /settings/delete", d.authed(auth, d.deletePage))
	mux.Handle("POST /settings/delete", d.authed(auth, d.deleteEverything))
}

// session is the signed-in request: the subscriber, their session value,
// and whether it came in a cookie (else links must carry it as ?s=).
type session struct {
	sub    steady.Subscriber
	value  string
	cookie bool
}

// link is p with query, plus ?s= when the session is not in a cookie.
func (s session) link(p string, query url.Values) string {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	if !s.cookie && s.value != "" {
		q.Set("s", s.value)
	}
	if len(q) == 0 {
		return p
	}
	return p + "?" + q.Encode()
}

type handler func(w http.ResponseWriter, r *http.Request, s session)

// authed runs h for the subscriber auth finds; every answer is private
// and never cached.
func (d *Data) authed(auth Auth, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		sub, value, ok := auth(w, r)
		if !ok {
			return
		}
		s := session{sub: sub, value: value}
		for _, c := range r.Cookies() {
			if value != "" && c.Value == value {
				s.cookie = true
			}
		}
		h(w, r, s)
	})
}

// postedSession reports whether a POST carries the session's value in
// its hidden t: a form from our own page, not a request made elsewhere.
func postedSession(r *http.Request, s session) bool {
	t := r.PostFormValue("t")
	return s.value != "" && subtle.ConstantTimeCompare([]byte(t), []byte(s.value)) == 1
}

// dataPage is what the account layout (layout.html) sees on the data pages; Data is the page's own.
type dataPage struct {
	Program  string
	Title    string
	Session  string // for the forms' hidden t
	LeaveURL string // the Leave quickly button's neutral site
	Data     any
}

// render writes page name with status, rendered into a buffer first so a
// template error is a clean 500.
func (d *Data) render(w http.ResponseWriter, r *http.Request, s session, status int, name, title string, data any) {
	t, ok := d.pages[name]
	if !ok {
		d.log.ErrorContext(r.Context(), "account: unknown page", slog.String("page", name))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, dataPage{Program: d.cfg.ProgramName, Title: title, Session: s.value, LeaveURL: cmp.Or(d.cfg.LeaveURL, DefaultLeaveURL), Data: data}); err != nil {
		d.log.ErrorContext(r.Context(), "account: render page", slog.String("page", name), slog.Any("error", err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// dataProblem is what the data pages' error page says.
type dataProblem struct {
	Heading, Message string
	Back             string // a link back, or ""
}

func (d *Data) fail(w http.ResponseWriter, r *http.Request, s session, status int, p dataProblem) {
	d.render(w, r, s, status, "data_error", p.Heading, p)
}

// failInternal logs err (never words or addresses: store errors carry
// ids only) and says nothing was lost.
func (d *Data) failInternal(w http.ResponseWriter, r *http.Request, s session, what string, err error) {
	d.log.ErrorContext(r.Context(), "account: "+what, slog.Int64("subscriber_id", s.sub.ID), slog.Any("error", err))
	d.fail(w, r, s, http.StatusInternalServerError, dataProblem{
		Heading: "Something went wrong on our side",
		Message: "Nothing was changed. Please try again in a little while.",
		Back:    s.link("/settings/reflections", nil),
	})
}

// failSession answers a POST without its session value.
func (d *Data) failSession(w http.ResponseWriter, r *http.Request, s session) {
	d.fail(w, r, s, http.StatusForbidden, dataProblem{
		Heading: "Please open your link again",
		Message: "This form did not come from your open page, so nothing was changed. Open the link from your email or text message again.",
	})
}

// checkpoint clears what was just deleted from SQLite's -wal. The rows
// are already gone from every query; a failure only leaves old copies
// until the next checkpoint, so it is logged, not shown.
func (d *Data) checkpoint(ctx context.Context, subscriberID int64) {
	if err := d.cfg.Store.Checkpoint(context.WithoutCancel(ctx)); err != nil {
		d.log.WarnContext(ctx, "account: checkpoint after an erasure; copies stay in the -wal until the next one",
			slog.Int64("subscriber_id", subscriberID), slog.Any("error", err))
	}
}

// location is the subscriber's zone, or UTC if it no longer loads.
func location(sub steady.Subscriber) *time.Location {
	if loc, err := sub.Location(); err == nil {
		return loc
	}
	return time.UTC
}

// longDate is "Monday 2 March 2026" (times are put in the subscriber's
// zone before).
func longDate(t time.Time) string { return t.Format("Monday 2 January 2006") }
