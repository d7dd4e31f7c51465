package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// Outbox is what the Dispatcher needs from the database; *store.DB has it.
type Outbox interface {
	ClaimQueued(ctx context.Context, now time.Time, limit int) ([]steady.Delivery, error)
	FinishDelivery(ctx context.Context, id int64, out store.Outcome) error
	ExpireSending(ctx context.Context, stuckBefore, now time.Time) (int, error)
	Subscriber(ctx context.Context, id int64) (steady.Subscriber, error)
}

// Sender sends one message to one recipient; every sender in package
// messages has it. Its error says what to do next: nil, sent; wrapping
// steady.ErrRejected, give up; wrapping steady.ErrOutcomeUnknown, flag and
// never send again by itself; anything else, try again later.
type Sender interface {
	Send(ctx context.Context, m steady.Message) (providerID string, err error)
}

// Suppressor stops sending to a subscriber when the provider says it must:
// the recipient opted out with it, or the address cannot receive messages.
// *store.DB has it.
type Suppressor interface {
	Unsubscribe(ctx context.Context, id int64, consent steady.Consent, now time.Time) (steady.Subscriber, error)
	MarkAddressInvalid(ctx context.Context, id int64, now time.Time) (steady.Subscriber, error)
}

// Composer renders a delivery for its subscriber into a message.
type Composer interface {
	Compose(d steady.Delivery, sub steady.Subscriber) (steady.Message, error)
}

// DispatcherConfig is what a Dispatcher is built from.
type DispatcherConfig struct {
	Store    Outbox
	Sender   Sender
	Composer Composer
	// Suppress, when set, is told about steady.ErrOptedOut (the subscriber
	// is unsubscribed) and steady.ErrAddressInvalid (the address is marked
	// invalid), so nothing more is sent to them.
	Suppress Suppressor
	Clock    steady.Clock // default steady.SystemClock
	Logger   *slog.Logger // default slog.Default()
	// BatchSize is how many deliveries one claim takes. Default 100.
	BatchSize int
	// MaxAttempts is how many sends a delivery gets before it is failed.
	// Default 5.
	MaxAttempts int
	// Backoff is the wait before the next try after the attempts-th failed
	// one. Default ExponentialBackoff(time.Minute, time.Hour).
	Backoff func(attempts int) time.Duration
	// StuckAfter is how long a delivery may stay "sending" before it is
	// taken for a crash between send and record and marked unknown.
	// Default 10 minutes; it must be longer than SendTimeout.
	StuckAfter time.Duration
	// PollInterval is how often Start looks for queued deliveries when not
	// woken. Default 5 seconds.
	PollInterval time.Duration
	// SendTimeout bounds one Send. Default 30 seconds.
	SendTimeout time.Duration
}

// Dispatcher sends queued deliveries and records what happened to each.
type Dispatcher struct {
	store        Outbox
	sender       Sender
	composer     Composer
	suppress     Suppressor
	clock        steady.Clock
	log          *slog.Logger
	batchSize    int
	maxAttempts  int
	backoff      func(int) time.Duration
	stuckAfter   time.Duration
	pollInterval time.Duration
	sendTimeout  time.Duration

	wake chan struct{}

	mu     sync.Mutex
	quit   chan struct{} // closed by Stop: finish the batch, start no other
	done   chan struct{} // closed when the loop has returned
	cancel context.CancelFunc
}

// recordTimeout bounds writing an outcome, which happens even while
// shutting down so that a finished send is never left looking stuck.
const recordTimeout = 10 * time.Second

// NewDispatcher returns a Dispatcher; it does nothing until Start or RunOnce.
func NewDispatcher(cfg DispatcherConfig) (*Dispatcher, error) {
	if cfg.Store == nil || cfg.Sender == nil || cfg.Composer == nil {
		return nil, errors.New("scheduler: dispatcher: Store, Sender and Composer are required")
	}
	if cfg.BatchSize < 0 || cfg.MaxAttempts < 0 || cfg.StuckAfter < 0 || cfg.PollInterval < 0 || cfg.SendTimeout < 0 {
		return nil, errors.New("scheduler: dispatcher: negative setting")
	}
	d := &Dispatcher{
		store:        cfg.Store,
		sender:       cfg.Sender,
		composer:     cfg.Composer,
		suppress:     cfg.Suppress,
		clock:        cmp.Or[steady.Clock](cfg.Clock, steady.SystemClock{}),
		log:          cmp.Or(cfg.Logger, slog.Default()),
		batchSize:    cmp.Or(cfg.BatchSize, 100),
		maxAttempts:  cmp.Or(cfg.MaxAttempts, 5),
		backoff:      cfg.Backoff,
		stuckAfter:   cmp.Or(cfg.StuckAfter, 10*time.Minute),
		pollInterval: cmp.Or(cfg.PollInterval, 5*time.Second),
		sendTimeout:  cmp.Or(cfg.SendTimeout, 30*time.Second),
		wake:         make(chan struct{}, 1),
	}
	if d.backoff == nil {
		d.backoff = ExponentialBackoff(time.Minute, time.Hour)
	}
	if d.stuckAfter <= d.sendTimeout+recordTimeout {
		return nil, fmt.Errorf("scheduler: dispatcher: StuckAfter %s must exceed SendTimeout %s plus %s to record it",
			d.stuckAfter, d.sendTimeout, recordTimeout)
	}
	return d, nil
}

// ExponentialBackoff waits base after the first failed attempt and doubles
// each time after, up to max.
func ExponentialBackoff(base, max time.Duration) func(attempts int) time.Duration {
	return func(attempts int) time.Duration {
		wait := base
		for i := 1; i < attempts && wait < max; i++ {
			wait *= 2
		}
		return min(wait, max)
	}
}

// Wake makes a started Dispatcher look for queued deliveries now, e.g.
// right after a sign-up queued a confirmation. It never blocks.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// RunOnce sends what is queued at the clock's current time and returns how
// many deliveries were sent.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	return d.runOnce(ctx, d.clock.Now())
}

// runOnce marks deliveries stuck in "sending" as unknown, then claims and
// sends queued deliveries due at now, a batch at a time.
func (d *Dispatcher) runOnce(ctx context.Context, now time.Time) (sent int, err error) {
	now = now.UTC()
	stuck, err := d.store.ExpireSending(ctx, now.Add(-d.stuckAfter), now)
	if err != nil {
		return 0, fmt.Errorf("scheduler: expire stuck deliveries: %w", err)
	}
	if stuck > 0 {
		d.log.Warn("deliveries left in sending marked unknown; check them by hand", slog.Int("count", stuck))
	}
	for {
		batch, err := d.store.ClaimQueued(ctx, now, d.batchSize)
		if err != nil {
			return sent, fmt.Errorf("scheduler: claim queued deliveries: %w", err)
		}
		// Real elapsed time, deliberately not the injected clock: this
		// guards against another process's stuck-delivery sweep while this
		// one is still sending, which happens in wall-clock time.
		start := time.Now()
		for _, del := range batch {
			// Past this, another dispatcher could take the rest of the batch
			// for stuck: put it back instead of sending it.
			late := time.Since(start) > d.stuckAfter-d.sendTimeout-recordTimeout
			if d.deliver(ctx, now, del, late) {
				sent++
			}
		}
		if len(batch) < d.batchSize || d.stopping() {
			return sent, ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return sent, err
		}
	}
}

// stopping reports whether Stop was called.
func (d *Dispatcher) stopping() bool {
	d.mu.Lock()
	quit := d.quit
	d.mu.Unlock()
	if quit == nil {
		return false
	}
	select {
	case <-quit:
		return true
	default:
		return false
	}
}

// deliver sends one claimed delivery and records the outcome. It reports
// whether the delivery was sent.
func (d *Dispatcher) deliver(ctx context.Context, now time.Time, del steady.Delivery, late bool) bool {
	var out store.Outcome
	if late {
		out = store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: now, Error: "not attempted: the batch ran long"}
	} else {
		out = d.attempt(ctx, now, del)
	}
	out.Now = now
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	attrs := []any{
		slog.Int64("delivery_id", del.ID),
		slog.Int64("subscriber_id", del.SubscriberID),
		slog.String("kind", string(del.Kind)),
		slog.String("status", string(out.Status)),
		slog.Int("attempt", del.Attempts),
	}
	if err := d.store.FinishDelivery(rctx, del.ID, out); err != nil {
		// It stays "sending" and will be marked unknown: never sent twice.
		d.log.Error("record delivery outcome", append(attrs, slog.Any("error", err))...)
		return false
	}
	switch out.Status {
	case steady.DeliverySent:
		d.log.Info("delivery sent", append(attrs, slog.String("provider_id", out.ProviderID))...)
	case steady.DeliveryQueued:
		d.log.Warn("delivery will be retried", append(attrs, slog.Time("next_attempt_at", out.NextAttemptAt), slog.String("error", out.Error))...)
	case steady.DeliveryCancelled:
		d.log.Info("delivery cancelled", append(attrs, slog.String("reason", out.Error))...)
	default:
		d.log.Error("delivery not sent", append(attrs, slog.String("error", out.Error))...)
	}
	return out.Status == steady.DeliverySent
}

// attempt renders and sends one delivery and says what became of it. Error
// texts in the outcome never hold the recipient's address.
func (d *Dispatcher) attempt(ctx context.Context, now time.Time, del steady.Delivery) store.Outcome {
	if err := ctx.Err(); err != nil {
		// Shutting down before this one was tried: put it back untouched.
		return store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: now, Error: "not attempted: " + err.Error()}
	}
	sub, err := d.store.Subscriber(ctx, del.SubscriberID)
	switch {
	case errors.Is(err, steady.ErrNotFound):
		return store.Outcome{Status: steady.DeliveryCancelled, Error: "the subscriber no longer exists"}
	case err != nil:
		return d.retry(now, del, fmt.Errorf("load subscriber: %w", err))
	}
	if !sub.AddressInvalidAt.IsZero() {
		return store.Outcome{Status: steady.DeliveryCancelled, Error: "the address cannot receive messages"}
	}
	if !sub.BouncingAt.IsZero() && del.Kind != steady.KindConfirm {
		// Only a new confirmation (which clears the mark) may go to a
		// bouncing address.
		return store.Outcome{Status: steady.DeliveryCancelled, Error: "the address is bouncing"}
	}
	if del.Kind == steady.KindPrompt && sub.Status != steady.StatusActive {
		return store.Outcome{Status: steady.DeliveryCancelled, Error: "the subscriber is " + string(sub.Status)}
	}
	msg, err := d.composer.Compose(del, sub)
	if err != nil {
		return store.Outcome{Status: steady.DeliveryFailed, Error: redact(fmt.Errorf("compose: %w", err), sub.Address)}
	}
	msg.DeliveryID = del.ID
	sctx, cancel := context.WithTimeout(ctx, d.sendTimeout)
	providerID, err := d.sender.Send(sctx, msg)
	cancel()
	switch {
	case err == nil:
		return store.Outcome{Status: steady.DeliverySent, ProviderID: providerID}
	case errors.Is(err, steady.ErrOutcomeUnknown):
		return store.Outcome{Status: steady.DeliveryUnknown, Error: redact(err, sub.Address, msg.To)}
	case errors.Is(err, steady.ErrRejected):
		d.suppressAfter(ctx, now, sub, err)
		return store.Outcome{Status: steady.DeliveryFailed, Error: redact(err, sub.Address, msg.To)}
	default:
		out := d.retry(now, del, errors.New(redact(err, sub.Address, msg.To)))
		var ra interface{ RetryAfter() time.Duration }
		if out.Status == steady.DeliveryQueued && errors.As(err, &ra) && now.Add(ra.RetryAfter()).After(out.NextAttemptAt) {
			out.NextAttemptAt = now.Add(ra.RetryAfter()) // the provider asked for longer
		}
		return out
	}
}

// OptOutWording is the consent record kept when a provider reports that the
// recipient opted out with it (Twilio error 21610).
const OptOutWording = "The SMS provider reported that this number opted out (replied STOP to the sending number)."

// suppressAfter unsubscribes the subscriber or marks the address invalid
// when the provider's refusal says so.
func (d *Dispatcher) suppressAfter(ctx context.Context, now time.Time, sub steady.Subscriber, err error) {
	if d.suppress == nil {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	var serr error
	switch {
	case errors.Is(err, steady.ErrOptedOut):
		_, serr = d.suppress.Unsubscribe(rctx, sub.ID, steady.Consent{Method: "provider", Wording: OptOutWording}, now)
		d.log.Warn("provider says the recipient opted out: unsubscribed", slog.Int64("subscriber_id", sub.ID))
	case errors.Is(err, steady.ErrAddressInvalid):
		_, serr = d.suppress.MarkAddressInvalid(rctx, sub.ID, now)
		d.log.Warn("provider says the address cannot receive messages: marked invalid", slog.Int64("subscriber_id", sub.ID))
	default:
		return
	}
	if serr != nil {
		d.log.Error("record provider refusal", slog.Int64("subscriber_id", sub.ID), slog.Any("error", serr))
	}
}

// retry queues the delivery again after a backoff, or fails it once it has
// had MaxAttempts.
func (d *Dispatcher) retry(now time.Time, del steady.Delivery, err error) store.Outcome {
	if del.Attempts >= d.maxAttempts {
		return store.Outcome{Status: steady.DeliveryFailed, Error: fmt.Sprintf("gave up after %d attempts: %v", del.Attempts, err)}
	}
	return store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: now.Add(d.backoff(del.Attempts)), Error: err.Error()}
}

// redact returns err's text with the given addresses masked, since a
// provider's error often quotes the recipient.
func redact(err error, addresses ...string) string {
	s := err.Error()
	for _, a := range addresses {
		if a != "" {
			s = regexp.MustCompile("(?i)"+regexp.QuoteMeta(a)).ReplaceAllString(s, "<recipient>")
		}
	}
	return s
}

// Start sends queued deliveries now, then whenever woken or every
// PollInterval, until ctx is done or Stop is called.
func (d *Dispatcher) Start(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done != nil {
		return errors.New("scheduler: dispatcher already started")
	}
	// Sends in flight when ctx ends still finish; Stop's deadline bounds them.
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	d.quit, d.done, d.cancel = make(chan struct{}), make(chan struct{}), cancel
	go d.loop(ctx, work, d.quit, d.done)
	d.log.Info("dispatcher started", slog.Duration("poll_interval", d.pollInterval))
	return nil
}

func (d *Dispatcher) loop(ctx, work context.Context, quit, done chan struct{}) {
	defer close(done)
	ticker := time.NewTicker(d.pollInterval)
	defer ticker.Stop()
	for {
		if _, err := d.RunOnce(work); err != nil && work.Err() == nil {
			d.log.Error("dispatcher run", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-quit:
			return
		case <-ticker.C:
		case <-d.wake:
		}
	}
}

// Stop stops the loop and waits for the batch in flight to finish. If ctx
// ends first, the sends still running are cancelled (each outcome is still
// recorded; deliveries not yet tried go back to the queue) and ctx's error
// is returned once the loop has returned.
func (d *Dispatcher) Stop(ctx context.Context) error {
	d.mu.Lock()
	quit, done, cancel := d.quit, d.done, d.cancel
	if quit != nil {
		select {
		case <-quit:
		default:
			close(quit)
		}
	}
	d.mu.Unlock()
	if done == nil {
		return nil
	}
	defer cancel()
	select {
	case <-done:
		d.log.Info("dispatcher stopped")
		return nil
	case <-ctx.Done():
		cancel()
		<-done
		return fmt.Errorf("scheduler: dispatcher: stop: %w", ctx.Err())
	}
}
