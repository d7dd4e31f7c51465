// Package account is the subscriber's own space: the settings page opened
// from a signed settings link (links.PurposeSettings), where they change
// their time, time zone and cadence, pause or resume, and choose discreet
// mode, the monthly summary and resurfacing. Every change takes effect at
// once and the page says when the next prompt comes.
//
// The page keeps the link's token out of the address bar with the same
// short session as web's link pages (package linkpage). Its forms are
// POSTs that carry the session value; the web server's cross-origin
// protection covers them (cmd/steady mounts Handler through web.Config.Extra).
package account

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/linkpage"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
)

// Store is what the settings page needs; *store.DB satisfies it.
type Store interface {
	Subscriber(ctx context.Context, id int64) (steady.Subscriber, error)
	LinksRevokedAt(ctx context.Context, subscriberID int64) (time.Time, error)
	SetPreferences(ctx context.Context, id int64, p steady.Preferences) (steady.Subscriber, error)
	SetSchedule(ctx context.Context, id int64, timeZone string, sched steady.Schedule,
		next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error)
	Pause(ctx context.Context, id int64, until, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	Resume(ctx context.Context, id int64, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	QueueNotice(ctx context.Context, id int64, now time.Time, delay time.Duration) (bool, error)
	RequestMove(ctx context.Context, req store.MoveRequest) (store.ChannelMove, error)
	ConfirmMove(ctx context.Context, subscriberID int64, requested time.Time, consent steady.Consent, hash string, now time.Time) (steady.Subscriber, error)
	PendingMove(ctx context.Context, subscriberID int64) (store.ChannelMove, error)
	Atomically(ctx context.Context, fn func(ctx context.Context) error) error
}

var _ Store = (*store.DB)(nil)

// Auth finds the subscriber a request acts for from its settings session.
// ok false: it has answered (a redirect, or a page that names no one).
type Auth func(w http.ResponseWriter, r *http.Request) (sub steady.Subscriber, sessionValue string, ok bool)

// Config is what the settings page needs.
type Config struct {
	Store  Store
	Links  *links.Links
	Clock  steady.Clock
	Logger *slog.Logger
	// ProgramName is shown on the page; default "Steady".
	ProgramName string
	// LeaveURL is where every page's Leave quickly button goes; default
	// DefaultLeaveURL.
	LeaveURL string
	// Addresses, when set, lets the subscriber move to a new email address
	// or phone number (move.go), with the sign-up's rules and limits.
	Addresses Addresses
	// Hasher hashes a new address to find an erased subscriber's kept
	// opt-out; nil: none is looked for.
	Hasher store.AddressHasher
	// Wake, when set, wakes the dispatcher after a move's confirmation or
	// notice is queued.
	Wake func()
}

// DefaultLeaveURL is the neutral site of the Leave quickly button unless
// the operator chose one (web.DefaultLeaveURL is the same).
const DefaultLeaveURL = "https://www.bbc.com/weather"

// Settings serves the settings page.
type Settings struct {
	store   Store
	links   *links.Links
	clock   steady.Clock
	log     *slog.Logger
	program string
	// leaveURL is Config.LeaveURL or DefaultLeaveURL.
	leaveURL  string
	pages     pages
	addresses Addresses
	hasher    store.AddressHasher
	wake      func()
}

// settingsPage is the settings link's page and session cookie; the
// cookie's path reaches every /settings/… form and page.
var settingsPage = linkpage.Page{Purpose: links.PurposeSettings, Path: "/settings", Cookie: "steady_settings"}

// New checks cfg and parses the page templates.
func New(cfg Config) (*Settings, error) {
	if cfg.Store == nil || cfg.Links == nil || cfg.Clock == nil {
		return nil, errors.New("account: Store, Links and Clock are required")
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Settings{
		store:     cfg.Store,
		links:     cfg.Links,
		clock:     cfg.Clock,
		log:       cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		program:   cmp.Or(cfg.ProgramName, "Steady"),
		leaveURL:  cmp.Or(cfg.LeaveURL, DefaultLeaveURL),
		pages:     p,
		addresses: cfg.Addresses,
		hasher:    cfg.Hasher,
		wake:      cfg.Wake,
	}, nil
}

// Routes mounts the settings page and its forms on mux.
func (s *Settings) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings", s.page)
	mux.HandleFunc("POST /settings", s.saveSchedule)
	mux.HandleFunc("POST /settings/preferences", s.savePreferences)
	mux.HandleFunc("POST /settings/pause", s.pause)
	mux.HandleFunc("POST /settings/resume", s.resume)
	mux.HandleFunc("POST /settings/move", s.requestMove)
	mux.HandleFunc("GET /settings/move", s.movePage)
	mux.HandleFunc("POST /settings/move/confirm", s.confirmMove)
}

// Handler is the settings routes on a mux of their own, for
// web.Config.Extra ("/settings" and "/settings/"). more mount further
// /settings/… pages that find their subscriber with s.Auth: account.Data's
// Routes method has this shape.
func (s *Settings) Handler(more ...func(mux *http.ServeMux, auth Auth)) http.Handler {
	mux := http.NewServeMux()
	s.Routes(mux)
	for _, add := range more {
		add(mux, s.Auth)
	}
	mux.HandleFunc("/settings/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, notFoundPage)
	})
	return mux
}
