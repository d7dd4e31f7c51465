// Package web is Steady's HTTP side: the subscribe page and its JSON API,
// the double opt-in confirmation, one-click unsubscribe (RFC 8058), the
// reply form and, while no SMTP server is configured, the preview outbox
// (or, with SMS and no SMTP server, sign-up by phone number only).
//
// It is the only package that maps errors to HTTP status codes.
package web

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/zones"
)

// Store is what web needs from the database; *store.DB satisfies it.
type Store interface {
	RequestSubscription(ctx context.Context, req store.SubscriptionRequest) (store.SubscriptionResult, error)
	ConfirmSubscription(ctx context.Context, id int64, consent steady.Consent, now time.Time, next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error)
	Unsubscribe(ctx context.Context, id int64, consent steady.Consent, now time.Time) (steady.Subscriber, error)
	Subscriber(ctx context.Context, id int64) (steady.Subscriber, error)
	Delivery(ctx context.Context, id int64) (steady.Delivery, error)
	RecordReply(ctx context.Context, r steady.Reply) (stored steady.Reply, created bool, err error)
	Replies(ctx context.Context, subscriberID int64) ([]steady.Reply, error)
	Pause(ctx context.Context, id int64, until, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	DeleteSubscriber(ctx context.Context, id int64, hasher store.AddressHasher) error
	Checkpoint(ctx context.Context) error
	Previews(ctx context.Context, limit int) ([]steady.PreviewMessage, error)
	Preview(ctx context.Context, id int64) (steady.PreviewMessage, error)
	StopResurfacing(ctx context.Context, id int64) error
	LinkStore
}

var _ Store = (*store.DB)(nil)

// Config is everything the web server needs.
type Config struct {
	Store  Store
	Links  *links.Links
	Clock  steady.Clock
	Logger *slog.Logger
	// Wake nudges the sender after something was queued; may be nil.
	Wake func()
	// Preview: the preview sender is in use, so /outbox is served: to
	// requests addressed to a loopback name only, unless PreviewPassword
	// is set. The caller decides when that is safe (cmd/steady: listener
	// and base URL on loopback, or --preview with a password).
	Preview bool
	// PreviewPassword, when set, puts /outbox behind HTTP Basic auth: any
	// user name, this password.
	PreviewPassword string
	// SMSOnly: email has no sender (SMS is on, no SMTP server), so sign-up
	// is by phone number only and an email address is refused. Needs SMS.
	SMSOnly bool
	// TrustProxy takes the client IP from X-Forwarded-For. Only set it
	// behind a reverse proxy you run, which appends the address it saw.
	TrustProxy bool
	// ProgramName is shown on pages and in the consent wording; default "Steady".
	ProgramName string
	// LeaveURL is where every page's Leave quickly button goes: a neutral
	// site; default DefaultLeaveURL.
	LeaveURL string
	// SafetyResources are the support resources the Staying safe page
	// (/safety) lists.
	SafetyResources []SafetyLine
	// SummaryPage and SummaryChart serve a monthly summary behind its
	// signed link (GET /summary, GET /summary/chart.png); nil leaves them
	// out. They find the link's token with links.OpenedFrom (session.go).
	SummaryPage, SummaryChart http.HandlerFunc
	// SMS, when set, enables sign-up by phone and the Twilio webhooks.
	SMS *SMSConfig
	// Limits, when set, are the abuse limits on every sign-up path
	// (limits.go); nil: none.
	Limits *Limits
	// Support, when set, reads a reply just written on the reply page
	// (with the theme of the prompt it answers) and returns the support
	// resources to show at once when it speaks of danger or self-harm,
	// or nothing. The emailed or texted safety note follows as usual.
	Support func(sub steady.Subscriber, reply, promptTheme string) []SupportLine
	// Extra are more routes ("POST /inbound/mailgun") mounted on the same
	// mux, behind the same headers, cross-origin check and request log.
	Extra map[string]http.Handler
	// InboundMail, when set with Preview, files one raw email as if it had
	// arrived and returns a fixed phrase saying what became of it (never
	// its text); the outbox then offers a reply box under each prompt.
	InboundMail func(ctx context.Context, raw []byte) (string, error)
	// APIKeys checks API callers' keys. Only a caller with a working key
	// may send consent_text; nil: nobody may.
	APIKeys APIKeys
	// AddressHasher hashes a sign-up's address to find the opt-out of an
	// erased subscriber (compliance.Hasher); nil: none is looked for.
	AddressHasher store.AddressHasher
	// PagesDir, when set, is a directory whose *.html files replace the
	// embedded pages of the same name (privacy.html, say); the templates
	// directory (--templates). Another *.html name there stops start-up.
	PagesDir string
	// Metrics, when set, counts sign-ups, confirmations, replies and
	// refusals (metrics.go); nil: nothing is counted.
	Metrics Metrics
	// Prompts says which quick answer (yes/no, 1 to 5) each prompt asks
	// for, so the reply page offers it; nil: words only.
	Prompts PromptCatalog
}

// SupportLine is one place to turn to, shown on the thank-you page.
type SupportLine struct{ Name, Contact string }

// Server serves Steady's pages and API.
type Server struct {
	store      Store
	links      *links.Links
	clock      steady.Clock
	log        *slog.Logger
	wake       func()
	preview    bool
	trustProxy bool
	program    string
	leaveURL   string
	// safetyLines are the Staying safe page's resources.
	safetyLines []SafetyLine
	consent     string // ConsentWording(program)
	pages       map[string]*template.Template

	summaryPage, summaryChart http.HandlerFunc
	sms                       *SMSConfig
	limits                    *Limits
	support                   func(sub steady.Subscriber, reply, promptTheme string) []SupportLine
	// previewPassword is the SHA-256 of Config.PreviewPassword, nil without one.
	previewPassword []byte
	smsOnly         bool
	extra           map[string]http.Handler
	inboundMail     func(ctx context.Context, raw []byte) (string, error)
	apiKeys         APIKeys
	hasher          store.AddressHasher
	// zoneList fills the sign-up form's time zone list (zones.List).
	zoneList []zones.Zone
	prompts  PromptCatalog
	metrics  countMetrics
}

// New checks cfg and parses the embedded page templates; a parse error is
// returned.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Links == nil || cfg.Clock == nil {
		return nil, errors.New("web: Store, Links and Clock are required")
	}
	if cfg.SMS != nil && (cfg.SMS.Store == nil || cfg.SMS.AuthToken == "" || cfg.SMS.BaseURL == "") {
		return nil, errors.New("web: SMS needs a Store, an AuthToken and a BaseURL")
	}
	if cfg.Limits != nil && (cfg.Limits.Store == nil || !cfg.Limits.Keyer.Valid()) {
		return nil, errors.New("web: Limits need a Store and a Keyer from abuse.NewKeyer")
	}
	if cfg.SMSOnly && (cfg.SMS == nil || cfg.Preview) {
		return nil, errors.New("web: SMSOnly needs SMS and no Preview: it means email has no sender at all")
	}
	var previewPassword []byte
	if cfg.PreviewPassword != "" {
		sum := sha256.Sum256([]byte(cfg.PreviewPassword))
		previewPassword = sum[:]
	}
	pages, err := parsePages(cfg.PagesDir)
	if err != nil {
		return nil, err
	}
	program := cmp.Or(cfg.ProgramName, "Steady")
	return &Server{
		store:       cfg.Store,
		links:       cfg.Links,
		clock:       cfg.Clock,
		log:         cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		wake:        cfg.Wake,
		preview:     cfg.Preview,
		trustProxy:  cfg.TrustProxy,
		program:     program,
		leaveURL:    cmp.Or(cfg.LeaveURL, DefaultLeaveURL),
		safetyLines: cfg.SafetyResources,
		consent:     ConsentWording(program),
		pages:       pages,

		summaryPage:  cfg.SummaryPage,
		summaryChart: cfg.SummaryChart,
		sms:          cfg.SMS,
		limits:       cfg.Limits,
		support:      cfg.Support,

		previewPassword: previewPassword,
		smsOnly:         cfg.SMSOnly,
		extra:           cfg.Extra,
		inboundMail:     cfg.InboundMail,
		apiKeys:         cfg.APIKeys,
		hasher:          cfg.AddressHasher,
		zoneList:        zones.List(cfg.Clock.Now()),
		prompts:         cfg.Prompts,
		metrics:         countMetrics{cfg.Metrics},
	}, nil
}

// Handler returns the routes with security headers, HSTS and cross-site
// request protection (protect.go) and a request log.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.subscribePage)
	mux.HandleFunc("POST /subscribe", s.subscribeForm)
	mux.HandleFunc("POST /api/subscriptions", s.subscribeAPI)
	mux.HandleFunc("/api/subscriptions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, jsonError{Error: "use POST with a JSON body to sign up"})
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, jsonError{Error: "no such API: the public sign-up is POST /api/subscriptions, " +
			"and the API for operators' programs is under /api/v1 (see docs/openapi.yaml)"})
	})
	mux.HandleFunc("GET /privacy", s.privacyPage)
	mux.HandleFunc("GET /confirm", s.confirmPage)
	mux.HandleFunc("POST /confirm", s.confirm)
	mux.HandleFunc("GET /unsubscribe", s.unsubscribePage)
	mux.HandleFunc("POST /unsubscribe", s.unsubscribe)
	mux.HandleFunc("POST /unsubscribe/pause", s.unsubscribePause)
	mux.HandleFunc("POST /unsubscribe/delete", s.unsubscribeDelete)
	mux.HandleFunc("GET /reply", s.replyPage)
	mux.HandleFunc("POST /reply", s.reply)
	if s.smsOn() {
		mux.HandleFunc("POST /twilio/sms", s.twilioSMS)
		mux.HandleFunc("POST /twilio/status", s.twilioStatus)
	}
	if s.preview {
		mux.HandleFunc("GET /outbox", s.guardOutbox(s.outbox))
		mux.HandleFunc("GET /outbox/{id}", s.guardOutbox(s.outboxMessage))
		if s.inboundMail != nil {
			mux.HandleFunc("POST /outbox/{id}/reply", s.guardOutbox(s.outboxReply))
		}
	}
	for pattern, h := range s.extra {
		mux.Handle(pattern, h)
	}
	if s.summaryPage != nil && s.summaryChart != nil {
		mux.HandleFunc("GET /summary", s.summaryOpened)
		mux.HandleFunc("GET /summary/chart.png", s.summaryChartOpened)
	}
	mux.HandleFunc("GET /safety", s.safetyPage)
	mux.HandleFunc("GET /past-words", s.pastWordsPage)
	mux.HandleFunc("POST /past-words", s.pastWords)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, steady.ErrNotFound, failure{})
	})
	return s.logRequests(securityHeaders(s.protect(mux)))
}

// securityHeaders sets the headers every answer carries. Tokens travel in
// URLs, so no page leaks a Referer or is cached.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// The outbox shows a message's HTML in an iframe srcdoc, which
		// inherits this policy: no scripts, no outside images or fonts.
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "+
			"frame-src 'self'; frame-ancestors 'none'; form-action 'self'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// probes are the routes polled by machines (liveness, readiness,
// Prometheus): logged at debug level while they answer 200.
var probes = map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /metrics": true}

// logRequests logs each request's method, route, status and duration. It
// never logs the query string (tokens), bodies or addresses; probes that
// succeed only at debug level.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" || route == "/" {
			route = r.URL.Path
		}
		status := cmp.Or(sw.status, http.StatusOK)
		level := slog.LevelInfo
		if probes[route] && status == http.StatusOK {
			level = slog.LevelDebug // a healthcheck or a scrape every few seconds is not news
		}
		s.log.LogAttrs(r.Context(), level, "http request",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
		)
	})
}
