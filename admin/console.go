// Package admin is the operator console at /admin: a signed-in view of how
// Steady is going (subscribers, prompts sent and failed, replies, held
// mail), one subscriber's schedule and deliveries with the actions an
// operator needs (pause, resume, resend a confirmation, unsubscribe,
// export, delete), deliveries needing attention with "send again", held
// inbound mail with release and discard, the configuration in effect and
// an audit log of every sign-in and action.
//
// Operators are name:hash pairs (argon2id or bcrypt, operators.go) given
// by the caller. Sessions are server-side rows keyed by the SHA-256 of a
// random token kept in an HttpOnly, SameSite=Strict cookie for 12 hours;
// every form is a POST carrying a CSRF token derived from the session.
// Subscribers' reply bodies are never shown unless ShowReplies is set.
//
// Pages are server-rendered html/template, embedded, with no script.
// cmd/steady mounts Routes through web.Config.Extra, so the web server's
// security headers, cross-origin check and request log cover them.
package admin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/importer"
	"github.com/steadyapp/steady/store"
)

// Store is what the console needs; *store.DB satisfies it.
type Store interface {
	CreateAdminSession(ctx context.Context, tokenHash, operator string, now, expires time.Time) error
	UseAdminSession(ctx context.Context, tokenHash string, now time.Time) (store.AdminSession, error)
	DeleteAdminSession(ctx context.Context, tokenHash string) error
	RecordAudit(ctx context.Context, e store.AuditEntry) error
	AuditLog(ctx context.Context, beforeID int64, limit int) ([]store.AuditEntry, error)

	RateCount(ctx context.Context, scope, key string, w time.Duration, now time.Time) (int, error)
	CountRefusal(ctx context.Context, scope string, w time.Duration, now time.Time) (int, error)
	PruneRateCounters(ctx context.Context, now time.Time) (int64, error)

	CountSubscribers(ctx context.Context) ([]store.SubscriberCount, error)
	DeliveriesPerDay(ctx context.Context, since time.Time) ([]store.DayCount, error)
	OperatorStats(ctx context.Context, since time.Time) (store.Stats, error)

	SearchSubscribers(ctx context.Context, f store.SubscriberFilter) ([]steady.Subscriber, error)
	Subscriber(ctx context.Context, id int64) (steady.Subscriber, error)
	ListDeliveries(ctx context.Context, f store.DeliveryFilter) ([]steady.Delivery, error)
	Pause(ctx context.Context, id int64, until, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	Resume(ctx context.Context, id int64, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	Unsubscribe(ctx context.Context, id int64, consent steady.Consent, now time.Time) (steady.Subscriber, error)
	RequestSubscription(ctx context.Context, req store.SubscriptionRequest) (store.SubscriptionResult, error)
	RequeueDelivery(ctx context.Context, id int64, now time.Time) (steady.Delivery, error)

	HeldMessages(ctx context.Context, limit int) ([]store.HeldMessage, error)
	HeldMessage(ctx context.Context, id int64) (store.HeldMessage, error)
	DeleteHeld(ctx context.Context, id int64) error

	// ImportSubscribers is what the CSV upload writes with (importer.Import).
	ImportSubscribers(ctx context.Context, b store.ImportBatch) (store.ImportResult, error)

	Dialect() string
	// account.DataStore is what the export and the erasure use
	// (account.Export, DeleteSubscriber, Checkpoint).
	account.DataStore
}

var _ Store = (*store.DB)(nil)

// Setting is one line of the Configuration page: a setting's name and
// its value as the caller chose to show it (secrets as "set"/"not set").
type Setting struct{ Name, Value string }

// Metrics is what the console reports; *metrics.Recorder satisfies it.
type Metrics interface {
	RateLimited(scope string)
}

// Config is what the console needs. Store, Clock, Hasher and Keyer are
// required; with no Operators every page says how to add one.
type Config struct {
	Store  Store
	Clock  steady.Clock
	Logger *slog.Logger
	// Metrics counts refused sign-ins (scope "login"); nil: none.
	Metrics Metrics
	// Operators may sign in (ParseOperators).
	Operators []Operator
	// BaseURL is the public URL; an https one makes the cookie Secure.
	BaseURL string
	// TrustProxy takes the client IP (for the login limits) from the
	// last X-Forwarded-For entry, as web does.
	TrustProxy bool
	// Keyer hashes client IPs and typed names for the login counters
	// (abuse.NewKeyer), so the database holds neither.
	Keyer abuse.Keyer
	// Hasher is the compliance hasher DeleteSubscriber keeps an erased
	// subscriber's opt-outs under.
	Hasher store.AddressHasher
	// ShowReplies lets operators read subscribers' reply bodies (each
	// view audited). Only where subscribers agreed to it.
	ShowReplies bool
	// Wake nudges the sender after something was queued; may be nil.
	Wake func()
	// Release re-files a held message's raw bytes through the inbox
	// processor and says whether it was filed now, with a fixed phrase of
	// what became of it (never its text); nil: held mail can only be
	// discarded.
	Release func(ctx context.Context, raw []byte) (filed bool, phrase string, err error)
	// Addresses are sign-up's address rules (web.AddressRules) for the CSV
	// upload; nil: no upload (the page says so).
	Addresses importer.Addresses
	// Settings are the Configuration page's lines, masked by the caller.
	Settings []Setting
	// ProgramName is shown in the page titles; default "Steady".
	ProgramName string
}

// Console serves the operator console.
type Console struct {
	cfg       Config
	log       *slog.Logger
	operators map[string]Operator
	// dummy is a hash that is checked when the name is unknown, so a
	// wrong name takes as long as a wrong password.
	dummy   Operator
	secure  bool
	pages   pages
	program string
	limits  loginLimits
}

// dummyHash is the hash an unknown name's password is checked against:
// HashPassword's output for a password nobody uses, with HashPassword's
// parameters, so checking it costs what checking an operator's does. It is
// a constant rather than hashed in New because hashing takes argon2id's 19
// MiB at once, which was most of serve's memory at start-up.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$wnCwXjq7m5d/j+7Rf6Tdjw$exow7uF4ROKwv2+9QCEa1pbV+eRYKc5XGsuXjrHflA0"

// New checks cfg and parses the pages.
func New(cfg Config) (*Console, error) {
	if cfg.Store == nil || cfg.Clock == nil || cfg.Hasher == nil || !cfg.Keyer.Valid() {
		return nil, errors.New("admin: Store, Clock, Hasher and Keyer are required")
	}
	ops := make(map[string]Operator, len(cfg.Operators))
	for _, op := range cfg.Operators {
		if _, dup := ops[op.Name]; dup {
			return nil, fmt.Errorf("admin: operator %q is given twice", op.Name)
		}
		ops[op.Name] = op
	}
	dummy, err := newOperator("dummy", dummyHash)
	if err != nil {
		return nil, err
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(cfg.BaseURL)
	return &Console{
		cfg:       cfg,
		log:       cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		operators: ops,
		dummy:     dummy,
		secure:    u != nil && u.Scheme == "https",
		pages:     p,
		program:   cmp.Or(cfg.ProgramName, "Steady"),
		limits:    defaultLoginLimits,
	}, nil
}

// Routes are the console's routes, for web.Config.Extra. Every one but
// the login page answers only a signed-in operator; with no operators
// configured, every one answers the page saying how to add one.
func (c *Console) Routes() map[string]http.Handler {
	r := map[string]http.Handler{
		"GET /admin/login":   c.open(c.loginPage),
		"POST /admin/login":  c.open(c.login),
		"POST /admin/logout": c.signedIn(c.logout),

		"GET /admin":                               c.signedIn(c.overview),
		"GET /admin/{$}":                           c.signedIn(c.overview),
		"GET /admin/subscribers":                   c.signedIn(c.subscribers),
		"GET /admin/subscribers/{id}":              c.signedIn(c.subscriber),
		"GET /admin/subscribers/{id}/replies":      c.signedIn(c.replies),
		"POST /admin/subscribers/{id}/pause":       c.signedIn(c.pause),
		"POST /admin/subscribers/{id}/resume":      c.signedIn(c.resume),
		"POST /admin/subscribers/{id}/resend":      c.signedIn(c.resend),
		"POST /admin/subscribers/{id}/unsubscribe": c.signedIn(c.unsubscribe),
		"POST /admin/subscribers/{id}/export":      c.signedIn(c.export),
		"GET /admin/subscribers/{id}/delete":       c.signedIn(c.deletePage),
		"POST /admin/subscribers/{id}/delete":      c.signedIn(c.delete),
		"GET /admin/deliveries":                    c.signedIn(c.attention),
		"POST /admin/deliveries/{id}/requeue":      c.signedIn(c.requeue),
		"GET /admin/held":                          c.signedIn(c.held),
		"POST /admin/held/{id}/release":            c.signedIn(c.release),
		"POST /admin/held/{id}/discard":            c.signedIn(c.discard),
		"GET /admin/config":                        c.signedIn(c.configPage),
		"GET /admin/audit":                         c.signedIn(c.auditPage),
		"GET /admin/import":                        c.signedIn(c.importPage),
		"POST /admin/import":                       c.signedInUpTo(maxUpload, c.importCheck),
		"POST /admin/import/confirm":               c.signedInUpTo(maxUpload, c.importConfirm),
		"/admin/":                                  c.signedIn(c.notFound),
	}
	return r
}

// audit records one entry; a failure is logged, not shown: the action
// itself has happened.
func (c *Console) audit(ctx context.Context, operator, action, target string) {
	if err := c.cfg.Store.RecordAudit(ctx, store.AuditEntry{Operator: operator, Action: action, Target: target, At: c.cfg.Clock.Now()}); err != nil {
		c.log.WarnContext(ctx, "admin: recording an audit entry", "action", action, "err", err)
	}
}

// wake nudges the sender, when there is one.
func (c *Console) wake() {
	if c.cfg.Wake != nil {
		c.cfg.Wake()
	}
}
