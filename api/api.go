// Package api is Steady's JSON API v1 for operators' own programs: list,
// read, create and change subscribers, list deliveries and send a failed
// one again, and read the counts the console shows. Every route is under
// /api/v1, needs "Authorization: Bearer KEY" with a key from
// `steady api-keys create`, and answers errors in one shape (errors.go).
// docs/openapi.yaml documents it; a test holds the handlers to it.
//
// Answers never carry reply bodies or consent wording: those are the
// subscriber's, and the API is for running the service, not reading it.
//
// The public sign-up (POST /api/subscriptions) stays in package web; this
// package is mounted beside it through web.Config.Extra.
package api

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// Store is what the API needs from the database; *store.DB has it.
type Store interface {
	Subscriber(ctx context.Context, id int64) (steady.Subscriber, error)
	SubscriberByAddress(ctx context.Context, ch steady.Channel, address string) (steady.Subscriber, error)
	RequestSubscription(ctx context.Context, req store.SubscriptionRequest) (store.SubscriptionResult, error)
	ImportSubscribers(ctx context.Context, b store.ImportBatch) (store.ImportResult, error)
	SetSchedule(ctx context.Context, id int64, timeZone string, sched steady.Schedule,
		next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error)
	Pause(ctx context.Context, id int64, until, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	Resume(ctx context.Context, id int64, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	Unsubscribe(ctx context.Context, id int64, consent steady.Consent, now time.Time) (steady.Subscriber, error)
	DeleteSubscriber(ctx context.Context, id int64, hasher store.AddressHasher) error
	SearchSubscribers(ctx context.Context, f store.SubscriberFilter) ([]steady.Subscriber, error)
	CountSubscribers(ctx context.Context) ([]store.SubscriberCount, error)
	Delivery(ctx context.Context, id int64) (steady.Delivery, error)
	ListDeliveries(ctx context.Context, f store.DeliveryFilter) ([]steady.Delivery, error)
	RequeueDelivery(ctx context.Context, id int64, now time.Time) (steady.Delivery, error)
	DeliveriesPerDay(ctx context.Context, since time.Time) ([]store.DayCount, error)
	OperatorStats(ctx context.Context, since time.Time) (store.Stats, error)
	RecordAudit(ctx context.Context, e store.AuditEntry) error
}

var _ Store = (*store.DB)(nil)

// Keys checks the key a caller sends; *apikeys.Keys has it. ok is false
// for a malformed, unknown or revoked key; err only when the check itself
// failed.
type Keys interface {
	Authenticate(ctx context.Context, bearer string) (name string, ok bool, err error)
}

// Addresses are sign-up's rules for a typed address: which channels are
// offered, how an address is read, and the abuse limits of a confirmation
// to it. web.AddressRules has them.
type Addresses interface {
	Offers(ch steady.Channel) bool
	Normalize(ch steady.Channel, typed string) (string, error)
	Limits(ch steady.Channel, address string) []store.RateLimit
}

// Config is what the API needs.
type Config struct {
	Store Store
	Keys  Keys
	// Addresses are sign-up's address rules, so a subscriber created here
	// is read and limited as one signing up on the page would be.
	Addresses Addresses
	// Hasher is the compliance hasher (compliance.Hasher): DELETE keeps
	// the subscriber's consent records under it, and a new subscriber's
	// address is checked against opt-outs kept that way.
	Hasher store.AddressHasher
	Clock  steady.Clock
	Logger *slog.Logger
	// Wake nudges the sender after something was queued; may be nil.
	Wake func()
	// Metrics counts sign-ups made here, as web counts its own; nil: none.
	Metrics Metrics
}

// Metrics is what the API reports; *metrics.Recorder satisfies it.
type Metrics interface {
	SignupRequested(ch steady.Channel)
	SignupConfirmed(ch steady.Channel)
}

// API serves /api/v1.
type API struct {
	store     Store
	keys      Keys
	addresses Addresses
	hasher    store.AddressHasher
	clock     steady.Clock
	log       *slog.Logger
	wake      func()
	metrics   Metrics
}

// New checks cfg.
func New(cfg Config) (*API, error) {
	if cfg.Store == nil || cfg.Keys == nil || cfg.Addresses == nil || cfg.Hasher == nil || cfg.Clock == nil {
		return nil, errors.New("api: Store, Keys, Addresses, Hasher and Clock are required")
	}
	return &API{
		store:     cfg.Store,
		keys:      cfg.Keys,
		addresses: cfg.Addresses,
		hasher:    cfg.Hasher,
		clock:     cfg.Clock,
		log:       cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		wake:      cfg.Wake,
		metrics:   cfg.Metrics,
	}, nil
}

// Prefix is where every route of the API lives.
const Prefix = "/api/v1/"

// Fallback is the pattern that answers any other path under Prefix: 404,
// or 405 with Allow when the path is a route's under another method, in
// the API's error shape and behind the same key check.
const Fallback = Prefix

// Routes are the API's routes by http.ServeMux pattern, each behind the
// key check, and Fallback. Mount them on the server's mux as they are.
func (a *API) Routes() map[string]http.Handler {
	routes := map[string]http.HandlerFunc{
		"GET /api/v1/subscribers":                   a.listSubscribers,
		"POST /api/v1/subscribers":                  a.createSubscriber,
		"GET /api/v1/subscribers/{id}":              a.getSubscriber,
		"PATCH /api/v1/subscribers/{id}":            a.updateSubscriber,
		"DELETE /api/v1/subscribers/{id}":           a.deleteSubscriber,
		"POST /api/v1/subscribers/{id}/pause":       a.pauseSubscriber,
		"POST /api/v1/subscribers/{id}/resume":      a.resumeSubscriber,
		"POST /api/v1/subscribers/{id}/unsubscribe": a.unsubscribeSubscriber,
		"GET /api/v1/deliveries":                    a.listDeliveries,
		"POST /api/v1/deliveries/{id}/resend":       a.resendDelivery,
		"GET /api/v1/stats":                         a.stats,
	}
	known := http.NewServeMux()
	out := make(map[string]http.Handler, len(routes)+1)
	for pattern, h := range routes {
		known.Handle(pattern, h)
		out[pattern] = a.authenticated(h)
	}
	out[Fallback] = a.authenticated(a.fallback(known))
	return out
}

// counted reports a sign-up to the metrics, when there are any.
func (a *API) counted(ch steady.Channel, confirmed bool) {
	if a.metrics == nil {
		return
	}
	a.metrics.SignupRequested(ch)
	if confirmed {
		a.metrics.SignupConfirmed(ch)
	}
}
