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
	FinishAndClaim(ctx context.Context, done []store.Finished, want int, now, leaseUntil time.Time) (claims []store.Claim, errs []error, err error)
	StartAttempt(ctx context.Context, c store.Claim, now, leaseUntil time.Time) (steady.Delivery, error)
	FinishDelivery(ctx context.Context, c store.Claim, out store.Outcome) error
	RecoverLeases(ctx context.Context, now time.Time) (store.Recovered, error)
	Subscriber(ctx context.Context, id int64) (steady.Subscriber, error)
}

// Sender sends one message to one recipient; every sender in package
// messages has it. Its error says what to do next: nil, sent; wrapping
// steady.ErrRejected, give up; wrapping steady.ErrOutcomeUnknown, it may
// have been sent (resent only on a channel that is ResendSafe); anything
// else, try again later. A sender calls steady.BeginAttempt just before
// its network write.
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

// MoveFinder finds a subscriber's pending move to a new address, whose
// confirmation (steady.MovePromptID) goes to that address; *store.DB has
// it. A Store that has it is used when DispatcherConfig.Moves is nil.
type MoveFinder interface {
	PendingMove(ctx context.Context, subscriberID int64) (store.ChannelMove, error)
}

// SubscribersReader reads several subscribers in one statement, leaving
// out ids no subscriber has; *store.DB has it. With a Store that has it, a
// worker reads the subscribers of the deliveries it holds in one go (see
// subscriberFresh) instead of one read before each send.
type SubscribersReader interface {
	Subscribers(ctx context.Context, ids []int64) ([]steady.Subscriber, error)
}

// Composer renders a delivery for its subscriber into a message.
type Composer interface {
	Compose(d steady.Delivery, sub steady.Subscriber) (steady.Message, error)
}

// Metrics counts what the dispatcher and the scheduler do;
// *metrics.Recorder has it. A nil Metrics counts nothing.
type Metrics interface {
	// Delivery counts a delivery whose outcome status was recorded.
	Delivery(d steady.Delivery, status steady.DeliveryStatus)
	// SendDuration observes one Send on ch, whatever its outcome.
	SendDuration(ch steady.Channel, d time.Duration)
	// TickDuration observes one scheduler tick.
	TickDuration(d time.Duration)
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
	// Moves finds pending moves (see MoveFinder); nil: the Store, if it
	// has PendingMove.
	Moves  MoveFinder
	Clock  steady.Clock // default steady.SystemClock
	Logger *slog.Logger // default slog.Default()
	// MaxAttempts is how many sends a delivery gets before it is failed.
	// Default 5.
	MaxAttempts int
	// Backoff is the wait before the next try after the attempts-th failed
	// one. Default ExponentialBackoff(time.Minute, time.Hour).
	Backoff func(attempts int) time.Duration
	// PollInterval is how often Start looks for queued deliveries (and for
	// leases left by a worker that died) when not woken. Default 5 seconds.
	PollInterval time.Duration
	// SendTimeout bounds one Send. Default 30 seconds.
	SendTimeout time.Duration
	// Lease is how long a claim lasts: a delivery whose worker died is
	// taken back this long after it was claimed (or its attempt began).
	// Default 2 × SendTimeout + 10 seconds, since a sender may spend up to
	// SendTimeout connecting and as long again in a conversation that does
	// not heed cancellation (SMTP after DATA); it must exceed SendTimeout
	// plus the time to record an outcome.
	Lease time.Duration
	// Metrics, when set, counts outcomes and times sends.
	Metrics Metrics
	// Workers is how many deliveries are sent at once, each claimed,
	// sent and recorded on its own; match it to the sender's connections
	// (messages.WithSMTPConnections). Default 1.
	Workers int
	// Window is how many sent messages each worker may have whose outcomes
	// are not yet written: it sends on while they commit, so a process
	// that dies may send up to Workers × Window messages again (the same
	// Message-ID; a text whose attempt began is marked unknown instead).
	// 1 writes each outcome before the next send. Default DefaultWindow.
	Window int
}

// Dispatcher sends queued deliveries and records what happened to each.
//
// Each of its Workers claims claimAhead deliveries at a time, each with a
// lease (see store.FinishAndClaim), and sends on while its outcomes
// commit, but never with Window of them unwritten, so a process that
// dies has at most Workers × Window messages sent and not recorded; the
// others it held were never tried and are queued again when their leases
// run out. For a
// channel that is not ResendSafe (SMS) the attempt is written to the
// database just before the network write, so a text in flight when the
// worker died is marked unknown rather than resent; an email in flight is
// sent again with the same Message-ID.
type Dispatcher struct {
	store        Outbox
	sender       Sender
	composer     Composer
	suppress     Suppressor
	moves        MoveFinder
	clock        steady.Clock
	log          *slog.Logger
	maxAttempts  int
	backoff      func(int) time.Duration
	pollInterval time.Duration
	sendTimeout  time.Duration
	lease        time.Duration
	metrics      Metrics
	workers      int
	window       int // sent messages a worker may have unrecorded
	commits      int // transactions of commitLoop at once

	wake chan struct{}

	mu     sync.Mutex
	quit   chan struct{} // closed by Stop: finish the send in flight, start no other
	done   chan struct{} // closed when the loop has returned
	cancel context.CancelFunc
}

// recordTimeout bounds writing an outcome, which happens even while
// shutting down so that a finished send is never left looking stuck.
const recordTimeout = 5 * time.Second

// stopGrace is how long Stop still waits, once its deadline has passed and
// the send in flight was cancelled, for that outcome to be recorded.
const stopGrace = 500 * time.Millisecond

// NewDispatcher returns a Dispatcher; it does nothing until Start or RunOnce.
func NewDispatcher(cfg DispatcherConfig) (*Dispatcher, error) {
	if cfg.Store == nil || cfg.Sender == nil || cfg.Composer == nil {
		return nil, errors.New("scheduler: dispatcher: Store, Sender and Composer are required")
	}
	if cfg.MaxAttempts < 0 || cfg.PollInterval < 0 || cfg.SendTimeout < 0 || cfg.Lease < 0 || cfg.Workers < 0 || cfg.Window < 0 {
		return nil, errors.New("scheduler: dispatcher: negative setting")
	}
	d := &Dispatcher{
		store:        cfg.Store,
		moves:        cfg.Moves,
		sender:       cfg.Sender,
		composer:     cfg.Composer,
		suppress:     cfg.Suppress,
		clock:        cmp.Or[steady.Clock](cfg.Clock, steady.SystemClock{}),
		log:          cmp.Or(cfg.Logger, slog.Default()),
		maxAttempts:  cmp.Or(cfg.MaxAttempts, 5),
		backoff:      cfg.Backoff,
		pollInterval: cmp.Or(cfg.PollInterval, 5*time.Second),
		sendTimeout:  cmp.Or(cfg.SendTimeout, 30*time.Second),
		metrics:      cfg.Metrics,
		workers:      cmp.Or(cfg.Workers, 1),
		window:       cmp.Or(cfg.Window, DefaultWindow),
		wake:         make(chan struct{}, 1),
	}
	d.commits = 1
	if dl, ok := cfg.Store.(interface{ Dialect() string }); ok && dl.Dialect() == "postgres" {
		d.commits = d.workers
	}
	d.lease = cmp.Or(cfg.Lease, 2*d.sendTimeout+2*recordTimeout)
	if d.backoff == nil {
		d.backoff = ExponentialBackoff(time.Minute, time.Hour)
	}
	if d.lease <= d.sendTimeout+recordTimeout {
		return nil, fmt.Errorf("scheduler: dispatcher: Lease %s must exceed SendTimeout %s plus %s to record the outcome",
			d.lease, d.sendTimeout, recordTimeout)
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

// RunOnce sends what is queued, reading the clock before each claim, and
// returns how many deliveries were sent.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	return d.drain(ctx, d.clock.Now)
}

// runOnce is RunOnce with the time fixed at now, for tests.
func (d *Dispatcher) runOnce(ctx context.Context, now time.Time) (int, error) {
	return d.drain(ctx, func() time.Time { return now })
}

// drain takes back the leases of workers that died, then runs Workers
// workers that claim and send due deliveries one at a time until none is
// due, Stop is called or ctx ends.
func (d *Dispatcher) drain(ctx context.Context, clock func() time.Time) (sent int, err error) {
	rec, err := d.store.RecoverLeases(ctx, clock().UTC())
	if err != nil {
		return 0, fmt.Errorf("scheduler: recover leases: %w", err)
	}
	if rec.Requeued > 0 {
		d.log.Warn("deliveries claimed by a worker that stopped are queued again", slog.Int("count", rec.Requeued))
	}
	for _, id := range rec.UnknownIDs {
		d.log.Warn("a text in flight when its worker stopped is marked unknown and will not be resent; the provider may have sent it (see steady subscribers export)",
			slog.Int64("delivery_id", id))
	}
	seen := &seenSet{ids: make(map[int64]bool)}
	// Each worker has at most d.window requests waiting, so none blocks
	// on it.
	reqs := make(chan commitReq, d.workers*d.window)
	committed := make(chan struct{})
	go func() {
		defer close(committed)
		d.commitLoop(ctx, clock, reqs)
	}()
	defer func() {
		close(reqs)
		<-committed
	}()
	commit := func(done []store.Finished, want int) <-chan commitResult {
		reply := make(chan commitResult, 1)
		reqs <- commitReq{done: done, want: want, reply: reply}
		return reply
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
		first error
	)
	for range d.workers {
		wg.Go(func() {
			n, err := d.work(ctx, clock, seen, commit)
			mu.Lock()
			defer mu.Unlock()
			total += n
			if first == nil {
				first = err
			}
		})
	}
	wg.Wait()
	return total, first
}

// seenSet is the deliveries a drain has queued again (a retry, a claim
// put back), shared by its workers: one claimed again in the same drain
// is left for the next run rather than tried in a loop. Sent ones cannot
// come back, so they are not kept: the set stays as small as the drain's
// failures, however many messages it sends.
type seenSet struct {
	mu  sync.Mutex
	ids map[int64]bool
}

// mark records that id was queued again by this drain.
func (s *seenSet) mark(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids[id] = true
}

// has reports whether this drain queued id again.
func (s *seenSet) has(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[id]
}

// claimAhead is how many deliveries a worker claims at once. Each is
// leased (see store.FinishAndClaim) and marked sending, but none is tried
// before its turn, so a worker that dies leaves them to be queued again
// when their leases run out; none is lost.
const claimAhead = 8

// DefaultWindow is how many sent messages a worker may have whose
// outcomes are not yet written, unless DispatcherConfig.Window says
// otherwise: so, per SMTP session, how many messages a killed process may
// send twice.
const DefaultWindow = 8

// pendingCommit is a worker's outcome on its way to the database.
type pendingCommit struct {
	fin   store.Finished
	want  int // claims asked for with it
	reply <-chan commitResult
}

// work is one worker of drain: it claims deliveries claimAhead at a time
// (asking for more with an outcome while it still has d.window in hand)
// and sends them one after another. The outcome of each is recorded in a
// transaction shared with the other workers (see commitLoop) while the
// worker goes on rendering and sending, but a worker never has more than
// d.window sent messages whose outcomes are not yet written: before each
// network write it waits for the oldest to commit until fewer are left.
func (d *Dispatcher) work(ctx context.Context, clock func() time.Time, seen *seenSet, commit func([]store.Finished, int) <-chan commitResult) (sent int, err error) {
	var local []store.Claim                      // claimed, not yet tried
	var pends []pendingCommit                    // oldest first
	claiming := false                            // one of pends asked for claims
	checked := make(map[int64]checkedSubscriber) // by delivery id, read ahead
	// settleOne waits for the oldest outcome's commit.
	settleOne := func() {
		p := pends[0]
		pends = pends[1:]
		r := <-p.reply
		if p.want > 0 {
			claiming = false
		}
		c, out := p.fin.Claim, p.fin.Outcome
		var ferr error
		if len(r.finishErrs) > 0 {
			ferr = r.finishErrs[0]
		}
		if r.err == nil && ferr == nil {
			d.logOutcome(c, out)
		} else {
			d.log.Warn("record delivery outcome with the next claim", slog.Int64("delivery_id", c.ID), slog.Any("error", cmp.Or(r.err, ferr)))
			if d.record(ctx, c, out) {
				d.logOutcome(c, out)
			} else if out.Status == steady.DeliverySent {
				sent--
			}
		}
		local = append(local, r.claims...)
	}
	settle := func() {
		for len(pends) > 0 {
			settleOne()
		}
	}
	// putBack queues the claims not tried again as they were, due now.
	putBack := func(why string, keepError bool) {
		now := clock().UTC()
		for _, c := range local {
			msg := "not attempted: " + why
			if keepError {
				msg = c.LastError
			}
			d.record(ctx, c, store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: now, Attempts: c.Attempts, Error: msg, Now: now})
		}
		local = nil
	}
	defer settle()
	for {
		for len(local) == 0 && len(pends) > 0 {
			settleOne()
		}
		if len(local) == 0 {
			if d.stopping() {
				return sent, nil
			}
			if err := ctx.Err(); err != nil {
				return sent, err
			}
			r := <-commit(nil, claimAhead)
			switch {
			case r.err != nil:
				return sent, fmt.Errorf("scheduler: claim a queued delivery: %w", r.err)
			case len(r.claims) == 0:
				return sent, nil
			}
			local = r.claims
		}
		if d.stopping() {
			settle()
			// Claimed as Stop came: put back untried.
			putBack("the sender was stopping", false)
			return sent, nil
		}
		c := local[0]
		if seen.has(c.ID) {
			// Queued again for now by this run (a zero backoff): leave it
			// for the next run rather than loop.
			settle()
			putBack("", true)
			return sent, nil
		}
		local = local[1:]
		if now := clock(); !c.LeaseUntil.IsZero() && now.Add(d.sendTimeout+recordTimeout).After(c.LeaseUntil) {
			// Held too long behind slow sends: its lease could run out
			// mid-send and another worker take it.
			seen.mark(c.ID)
			delete(checked, c.ID)
			d.record(ctx, c, store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: now.UTC(), Attempts: c.Attempts,
				Error: "not attempted: its lease was running out", Now: now.UTC()})
			continue
		}
		p := d.prepare(ctx, clock, &c, func() (steady.Subscriber, error) {
			return d.subscriberFor(ctx, clock, c, local, checked)
		})
		// Fewer than d.window outcomes are unwritten at this network write.
		for len(pends) >= d.window {
			settleOne()
		}
		if d.stopping() {
			settle()
			local = append([]store.Claim{c}, local...)
			putBack("the sender was stopping", false)
			return sent, nil
		}
		out := p.early
		if out == nil {
			o := d.send(ctx, clock, &c, p)
			out = &o
		}
		out.Now = clock().UTC()
		switch out.Status {
		case steady.DeliverySent:
			sent++
		case steady.DeliveryQueued:
			seen.mark(c.ID)
		}
		if d.stopping() || ctx.Err() != nil {
			if d.record(ctx, c, *out) {
				d.logOutcome(c, *out)
			} else if out.Status == steady.DeliverySent {
				sent--
			}
			continue
		}
		want := 0
		if !claiming && len(local) < d.window {
			want, claiming = claimAhead, true
		}
		fin := store.Finished{Claim: c, Outcome: *out}
		pends = append(pends, pendingCommit{fin: fin, want: want, reply: commit([]store.Finished{fin}, want)})
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

// logOutcome logs (and counts) a recorded outcome.
func (d *Dispatcher) logOutcome(c store.Claim, out store.Outcome) {
	if d.metrics != nil {
		d.metrics.Delivery(c.Delivery, out.Status)
	}
	attrs := []any{
		slog.Int64("delivery_id", c.ID),
		slog.Int64("subscriber_id", c.SubscriberID),
		slog.String("kind", string(c.Kind)),
		slog.String("status", string(out.Status)),
		slog.Int("attempt", out.Attempts),
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
}

// record writes the outcome of claim c, even while shutting down. If it
// cannot, the lease runs out and RecoverLeases settles the delivery.
func (d *Dispatcher) record(ctx context.Context, c store.Claim, out store.Outcome) bool {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := d.store.FinishDelivery(rctx, c, out); err != nil {
		d.log.Error("record delivery outcome", slog.Int64("delivery_id", c.ID), slog.String("status", string(out.Status)), slog.Any("error", err))
		return false
	}
	return true
}

// prepared is a claimed delivery made ready to send: its subscriber as
// checked just now and its message, or the outcome that ends it unsent.
type prepared struct {
	sub   steady.Subscriber
	msg   steady.Message
	early *store.Outcome
}

// checkedSubscriber is a subscriber read ahead for a claimed delivery,
// and when it was read.
type checkedSubscriber struct {
	sub steady.Subscriber
	at  time.Time
}

// subscriberFresh is how long before its send the subscriber of a delivery
// may have been read: a worker reads the subscribers of every delivery it
// holds in one go, and one whose read is older by the time its turn comes
// (slow sends ahead of it) is read again alone, just before its send.
const subscriberFresh = time.Second

// subscriberFor is the subscriber of claim c, read at most subscriberFresh
// ago: from checked, where one read fills in c and every claim in ahead
// (the worker's next ones), or read alone. A claim's read always follows
// its claim, so it sees every change committed before the claim.
func (d *Dispatcher) subscriberFor(ctx context.Context, clock func() time.Time, c store.Claim, ahead []store.Claim, checked map[int64]checkedSubscriber) (steady.Subscriber, error) {
	if batch, ok := d.store.(SubscribersReader); ok {
		if _, ok := checked[c.ID]; !ok {
			readAhead(ctx, clock, batch, d.log, append([]store.Claim{c}, ahead...), checked)
		}
		if ch, ok := checked[c.ID]; ok {
			delete(checked, c.ID)
			if clock().Sub(ch.at) < subscriberFresh {
				return ch.sub, nil
			}
		}
	}
	return d.store.Subscriber(ctx, c.SubscriberID)
}

// readAhead reads, in one go, the subscribers of the claims not yet in
// checked, and puts them there. A failed read, or a subscriber not found,
// leaves its claims out: each is then read alone, which reports why.
func readAhead(ctx context.Context, clock func() time.Time, batch SubscribersReader, log *slog.Logger, claims []store.Claim, checked map[int64]checkedSubscriber) {
	var ids []int64
	for _, c := range claims {
		if _, ok := checked[c.ID]; !ok {
			ids = append(ids, c.SubscriberID)
		}
	}
	at := clock()
	subs, err := batch.Subscribers(ctx, ids)
	if err != nil {
		log.Debug("read subscribers ahead; each is read alone", slog.Any("error", err))
		return
	}
	byID := make(map[int64]steady.Subscriber, len(subs))
	for _, sub := range subs {
		byID[sub.ID] = sub
	}
	for _, c := range claims {
		if sub, ok := byID[c.SubscriberID]; ok {
			if _, done := checked[c.ID]; !done {
				checked[c.ID] = checkedSubscriber{sub: sub, at: at}
			}
		}
	}
}

// prepare reads the subscriber of claim c with read (the check that they
// may still be sent to) and renders the message.
func (d *Dispatcher) prepare(ctx context.Context, clock func() time.Time, c *store.Claim, read func() (steady.Subscriber, error)) prepared {
	end := func(o store.Outcome) prepared { return prepared{early: &o} }
	untried := func(why string) prepared {
		// Put back as it was: due at once, its attempts untouched.
		return end(store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: clock().UTC(), Attempts: c.Attempts, Error: "not attempted: " + why})
	}
	if err := ctx.Err(); err != nil {
		return untried(err.Error())
	}
	sub, err := read()
	switch {
	case errors.Is(err, steady.ErrNotFound):
		return end(store.Outcome{Status: steady.DeliveryCancelled, Attempts: c.Attempts, Error: "the subscriber no longer exists"})
	case ctx.Err() != nil:
		return untried(ctx.Err().Error())
	case err != nil:
		return end(d.retry(clock().UTC(), c.Attempts, fmt.Errorf("load subscriber: %w", err)))
	}
	if c.IsMove() {
		// The confirmation of a move goes to the new address, never the
		// current one.
		var ok bool
		if sub, ok, err = d.moveRecipient(ctx, c.Delivery, sub); err != nil {
			return end(d.retry(clock().UTC(), c.Attempts, fmt.Errorf("load move: %w", err)))
		} else if !ok {
			return end(store.Outcome{Status: steady.DeliveryCancelled, Attempts: c.Attempts, Error: "the move was confirmed or replaced"})
		}
	}
	if reason := skipReason(c.Delivery, sub); reason != "" {
		return end(store.Outcome{Status: steady.DeliveryCancelled, Attempts: c.Attempts, Error: reason})
	}
	msg, err := d.composer.Compose(c.Delivery, sub)
	if err != nil {
		return end(store.Outcome{Status: steady.DeliveryFailed, Attempts: c.Attempts, Error: redact(fmt.Errorf("compose: %w", err), sub.Address)})
	}
	msg.DeliveryID = c.ID
	return prepared{sub: sub, msg: msg}
}

// send sends the message prepare made for claim c and says what became
// of it. c.Attempts is updated to count this attempt if one was made.
// Error texts in the outcome never hold the recipient's address.
func (d *Dispatcher) send(ctx context.Context, clock func() time.Time, c *store.Claim, p prepared) store.Outcome {
	sub, msg := p.sub, p.msg
	untried := func(why string) store.Outcome {
		return store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: clock().UTC(), Attempts: c.Attempts, Error: "not attempted: " + why}
	}
	before := c.Attempts
	sctx, cancel := context.WithTimeout(ctx, d.sendTimeout)
	if c.Channel.ResendSafe() {
		c.Attempts++ // recorded with the outcome
	} else {
		sctx = steady.WithAttemptHook(sctx, func(context.Context) error {
			// Recorded before the network write: if this worker dies now,
			// the text counts as in flight and is never sent again blindly.
			now := clock().UTC()
			del, err := d.store.StartAttempt(context.WithoutCancel(ctx), *c, now, now.Add(d.lease))
			if err != nil {
				return err
			}
			c.Attempts = del.Attempts
			return nil
		})
	}
	began := time.Now()
	providerID, err := d.sender.Send(sctx, msg)
	cancel()
	if d.metrics != nil {
		d.metrics.SendDuration(c.Channel, time.Since(began))
	}
	now := clock().UTC()
	tried := c.Attempts > before
	switch {
	case err == nil:
		// A sender that never called BeginAttempt (the preview outbox)
		// still made an attempt.
		return store.Outcome{Status: steady.DeliverySent, ProviderID: providerID, Attempts: max(c.Attempts, before+1)}
	case errors.Is(err, steady.ErrRejected):
		if !c.IsMove() { // a refused new address says nothing of the subscriber's own
			d.suppressAfter(ctx, now, sub, err)
		}
		return store.Outcome{Status: steady.DeliveryFailed, Attempts: c.Attempts, Error: redact(err, sub.Address, msg.To)}
	case !tried:
		// The attempt was never begun (the rate-limit wait was cut short,
		// or its record failed): nothing was sent.
		if ctx.Err() != nil {
			return untried(ctx.Err().Error())
		}
		return d.retry(now, before, errors.New(redact(err, sub.Address, msg.To)))
	case errors.Is(err, steady.ErrOutcomeUnknown) && !c.Channel.ResendSafe():
		return store.Outcome{Status: steady.DeliveryUnknown, Attempts: c.Attempts, Error: redact(err, sub.Address, msg.To)}
	case ctx.Err() != nil && c.Channel.ResendSafe():
		// Cut short by shutdown: queued at once for another worker, with
		// the same Message-ID should the server have taken it.
		return store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: now, Attempts: c.Attempts,
			Error: "interrupted by shutdown: " + redact(err, sub.Address, msg.To)}
	default:
		out := d.retry(now, c.Attempts, errors.New(redact(err, sub.Address, msg.To)))
		var ra interface{ RetryAfter() time.Duration }
		if out.Status == steady.DeliveryQueued && errors.As(err, &ra) && now.Add(ra.RetryAfter()).After(out.NextAttemptAt) {
			out.NextAttemptAt = now.Add(ra.RetryAfter()) // the provider asked for longer
		}
		return out
	}
}

// skipReason says why a claimed delivery must not go out, or "".
func skipReason(del steady.Delivery, sub steady.Subscriber) string {
	switch {
	case !sub.AddressInvalidAt.IsZero():
		return "the address cannot receive messages"
	case !sub.BouncingAt.IsZero() && (del.Kind != steady.KindConfirm || del.IsNotice()):
		// Only a new confirmation (which clears the mark) may go to a
		// bouncing address.
		return "the address is bouncing"
	case (del.Kind == steady.KindPrompt || del.IsNotice()) && sub.Status != steady.StatusActive:
		return "the subscriber is " + string(sub.Status)
	case del.IsMove() && sub.Status != steady.StatusActive && sub.Status != steady.StatusPaused:
		return "the subscriber is " + string(sub.Status)
	case del.Kind == steady.KindConfirm && !del.IsMove() && sub.ConfirmedAt.After(del.CreatedAt):
		// A retry of a confirmation the subscriber has already confirmed
		// (by another copy, or by text).
		return "the subscriber has confirmed since it was queued"
	}
	return ""
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
// had MaxAttempts; attempts is how many it has had.
func (d *Dispatcher) retry(now time.Time, attempts int, err error) store.Outcome {
	if attempts >= d.maxAttempts {
		return store.Outcome{Status: steady.DeliveryFailed, Attempts: attempts, Error: fmt.Sprintf("gave up after %d attempts: %v", attempts, err)}
	}
	return store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: now.Add(d.backoff(max(attempts, 1))), Attempts: attempts, Error: err.Error()}
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

// Stop stops the loop and waits for the sends in flight to finish. If ctx
// ends first, the send still running is cancelled (its outcome is still
// recorded if that takes under stopGrace: an email goes back to the queue
// at once, a text whose attempt began is unknown, a delivery not yet tried
// goes back untouched; otherwise its lease settles it) and ctx's error is
// returned.
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
		// A send that ignores cancellation (an SMTP session past DATA) is
		// not waited for: its lease runs out and another worker settles it.
		t := time.NewTimer(stopGrace)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
			d.log.Warn("dispatcher stopped with a send still running; its lease will settle it")
		}
		return fmt.Errorf("scheduler: dispatcher: stop: %w", ctx.Err())
	}
}

// moveRecipient is sub as the confirmation of move delivery del sees it:
// on the pending move's channel and address, with the marks of the old
// address cleared. ok is false when no pending move is the one del was
// queued for; err is a failure to look (the delivery is retried).
func (d *Dispatcher) moveRecipient(ctx context.Context, del steady.Delivery, sub steady.Subscriber) (steady.Subscriber, bool, error) {
	moves := d.moves
	if moves == nil {
		moves, _ = d.store.(MoveFinder)
	}
	if moves == nil {
		return sub, false, nil
	}
	mv, err := moves.PendingMove(ctx, sub.ID)
	switch {
	case errors.Is(err, store.ErrNoMove):
		return sub, false, nil
	case err != nil:
		return sub, false, err
	case !mv.RequestedAt.Equal(del.Slot) || mv.Channel != del.Channel:
		return sub, false, nil
	}
	sub.Channel, sub.Address = mv.Channel, mv.Address
	sub.BouncingAt, sub.AddressInvalidAt = time.Time{}, time.Time{}
	return sub, true, nil
}
