package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// Store is what the Scheduler needs from the database; *store.DB has it.
type Store interface {
	// ClaimDue writes a queued delivery for every active subscriber whose
	// next slot is at or before now (at most limit of them), asking plan for
	// the delivery and the slot after it, and returns how many it claimed.
	ClaimDue(ctx context.Context, now time.Time, limit int, plan store.PlanFunc) (int, error)
}

// Catalog picks prompts; *themes.Catalog has it.
type Catalog interface {
	// Next returns the prompt to send after lastPromptID ("" for a first
	// prompt, which starts at position seed).
	Next(lastPromptID string, seed int64) steady.Prompt
}

// Config is what a Scheduler is built from.
type Config struct {
	Store   Store
	Catalog Catalog
	Clock   steady.Clock // default steady.SystemClock
	Logger  *slog.Logger // default slog.Default()
	// BatchSize is how many due subscribers one ClaimDue call takes; a tick
	// repeats it until a batch comes back short. Default 2000: a batch is
	// a few statements whatever its size, and one commit.
	BatchSize int
	// Claimers is how many batches a tick claims at once once the first
	// batch has come back full. Default 1. On PostgreSQL each claim skips
	// the rows another holds, so two claimers keep two backends busy and
	// overlap one batch's planning with another's writes; SQLite's one
	// writer takes them in turn. store.DB.Claimers says what suits it.
	Claimers int
	// Wake, if set, is called after a tick that queued prompts, so the
	// dispatcher sends them now rather than at its next poll.
	Wake func()
	// Metrics, when set, times each tick and RunOnce (only TickDuration
	// is called).
	Metrics Metrics
	// Every is the robfig/cron spec Start ticks on after its first tick.
	// Default "* * * * *", every minute on the minute; a test that moves
	// a manual clock and calls RunOnce itself sets a spec that never
	// comes round, so a real minute boundary cannot tick between its steps.
	Every string
}

// Scheduler claims due prompt slots into the outbox once a minute.
type Scheduler struct {
	store     Store
	catalog   Catalog
	clock     steady.Clock
	log       *slog.Logger
	batchSize int
	claimers  int
	wake      func()
	metrics   Metrics
	locs      steady.Locations
	every     string

	mu    sync.Mutex
	cron  *cron.Cron
	stop  context.CancelFunc
	first chan struct{} // closed when the tick Start runs at once is over
}

// New returns a Scheduler; it does nothing until Start or RunOnce.
func New(cfg Config) (*Scheduler, error) {
	if cfg.Store == nil || cfg.Catalog == nil {
		return nil, errors.New("scheduler: Store and Catalog are required")
	}
	if cfg.BatchSize < 0 {
		return nil, fmt.Errorf("scheduler: BatchSize %d is negative", cfg.BatchSize)
	}
	if cfg.Claimers < 0 {
		return nil, fmt.Errorf("scheduler: Claimers %d is negative", cfg.Claimers)
	}
	return &Scheduler{
		store:     cfg.Store,
		catalog:   cfg.Catalog,
		clock:     cmp.Or[steady.Clock](cfg.Clock, steady.SystemClock{}),
		log:       cmp.Or(cfg.Logger, slog.Default()),
		batchSize: cmp.Or(cfg.BatchSize, 2000),
		claimers:  cmp.Or(cfg.Claimers, 1),
		wake:      cfg.Wake,
		metrics:   cfg.Metrics,
		every:     cmp.Or(cfg.Every, "* * * * *"),
	}, nil
}

// RunOnce claims every slot due at the clock's current time and returns how
// many prompts it queued. `steady` runs it from the command line; the
// service runs it every minute.
func (s *Scheduler) RunOnce(ctx context.Context) (int, error) {
	return s.runOnce(ctx, s.clock.Now())
}

// runOnce claims every slot due at now, a batch at a time: the first
// batch alone (a minute with less than a batch due is one call), then, if
// it came back full, Claimers loops side by side until each has had a
// short batch.
func (s *Scheduler) runOnce(ctx context.Context, now time.Time) (int, error) {
	if s.metrics != nil {
		defer func(start time.Time) { s.metrics.TickDuration(time.Since(start)) }(time.Now())
	}
	now = now.UTC()
	plan := s.plan(now)
	total, err := s.claimBatch(ctx, now, plan)
	if total < s.batchSize || ctx.Err() != nil {
		return total, err
	}
	counts := make([]int, s.claimers)
	errs := make([]error, s.claimers+1)
	errs[0] = err
	var wg sync.WaitGroup
	for i := range s.claimers {
		wg.Go(func() { counts[i], errs[i+1] = s.claimBatches(ctx, now, plan) })
	}
	wg.Wait()
	for _, n := range counts {
		total += n
	}
	return total, errors.Join(errs...)
}

// claimBatches claims batches until one comes back short.
func (s *Scheduler) claimBatches(ctx context.Context, now time.Time, plan store.PlanFunc) (int, error) {
	total := 0
	var errs []error
	for {
		n, err := s.claimBatch(ctx, now, plan)
		total += n
		if err != nil {
			errs = append(errs, err)
		}
		if n < s.batchSize || ctx.Err() != nil {
			return total, errors.Join(errs...)
		}
	}
}

// claimBatch claims one batch. Either the database failed (n is 0) or
// some subscribers' plans did; the store took those out of the rotation
// and committed the rest, so a full batch means there may be more.
func (s *Scheduler) claimBatch(ctx context.Context, now time.Time, plan store.PlanFunc) (int, error) {
	n, err := s.store.ClaimDue(ctx, now, s.batchSize, plan)
	if err != nil {
		return n, fmt.Errorf("scheduler: claim due slots: %w", err)
	}
	return n, nil
}

// plan returns the store.PlanFunc for a tick at now: the due slot's prompt,
// and the subscriber's next slot.
func (s *Scheduler) plan(now time.Time) store.PlanFunc {
	return func(sub steady.Subscriber, lastPromptID string) (steady.Delivery, time.Time, error) {
		loc, err := s.locs.Load(sub.TimeZone)
		if err != nil {
			return steady.Delivery{}, time.Time{}, fmt.Errorf("subscriber %d: %w", sub.ID, err)
		}
		next := nextSlot(sub.Schedule, sub.NextSlot, now, loc)
		if next.IsZero() {
			return steady.Delivery{}, time.Time{}, fmt.Errorf("subscriber %d: schedule %q has no next slot", sub.ID, sub.Schedule)
		}
		p := s.catalog.Next(lastPromptID, sub.ID)
		d := steady.Delivery{
			SubscriberID: sub.ID,
			Kind:         steady.KindPrompt,
			Channel:      sub.Channel,
			Slot:         sub.NextSlot.UTC(),
			PromptID:     p.ID,
			Theme:        p.Theme,
			PromptText:   p.Text,
		}
		return d, next.UTC(), nil
	}
}

// catchUpGrace is how late a tick may claim a slot and still count as on
// time. A slot claimed later than this is a catch-up after an outage, and
// the schedule restarts from the moment the catch-up is sent. An hour
// covers slow ticks and a deploy's restart, where keeping the subscriber's
// time of day matters more (the prompt after such a tick can come up to an
// hour less than the cadence later).
const catchUpGrace = time.Hour

// nextSlot is the slot to schedule after the due slot, claimed at now.
//
// On time (claimed at most catchUpGrace after the slot) it advances from the
// slot, not from now, so a tick that runs late does not shift the schedule.
//
// Later than that the prompt being claimed is a catch-up for every slot
// missed while Steady was down (they collapse into it, never a burst), and
// the next slot is the first at least the cadence after now
// (Schedule.NextAfterCatchUp): the slot after the missed one, or the first
// after now, can be minutes away, and the subscriber would get two prompts
// back to back (issue 8).
//
// The result is always after now, or zero for an invalid schedule.
func nextSlot(sched steady.Schedule, slot, now time.Time, loc *time.Location) time.Time {
	if now.Sub(slot) <= catchUpGrace {
		// Slots are never an hour apart, so Next(slot) is after now; the
		// check keeps that true, not assumed.
		if next := sched.Next(slot, loc); next.After(now) {
			return next
		}
	}
	return sched.NextAfterCatchUp(now, loc)
}

// Start ticks at once and then every minute, on the minute (Config.Every), until ctx is
// done or Stop is called. Each tick claims the slots due at the injected clock's time and
// then wakes the dispatcher.
func (s *Scheduler) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cron != nil {
		return errors.New("scheduler: already started")
	}
	// The work runs to completion when ctx ends; Stop's deadline bounds it.
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	logger := cronLogger{s.log}
	c := cron.New(
		cron.WithLocation(time.UTC),
		cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)),
	)
	id, err := c.AddFunc(s.every, func() { s.tick(work) })
	if err != nil {
		cancel()
		return fmt.Errorf("scheduler: %w", err)
	}
	c.Start()
	s.cron, s.stop = c, cancel
	// One tick at once, so a restarted worker queues what came due while
	// it was down without waiting for the minute; through the job's chain,
	// so it never overlaps the first cron tick.
	job := c.Entry(id).WrappedJob
	s.first = make(chan struct{})
	go func() {
		defer close(s.first)
		job.Run()
	}()
	context.AfterFunc(ctx, func() { c.Stop() })
	s.log.Info("scheduler started", slog.Int("batch_size", s.batchSize))
	return nil
}

// FirstTick is closed once the tick Start runs at once has finished (for a
// readiness check, or a test that must not race it). Before Start it is
// already closed.
func (s *Scheduler) FirstTick() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first == nil {
		done := make(chan struct{})
		close(done)
		return done
	}
	return s.first
}

// Stop stops the ticks and waits for a running tick to finish, or for ctx
// to end, in which case the tick is cancelled and ctx's error returned.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	c, cancel := s.cron, s.stop
	s.mu.Unlock()
	if c == nil {
		return nil
	}
	defer cancel()
	first := s.FirstTick()
	stopped := make(chan struct{})
	go func() {
		<-c.Stop().Done()
		<-first
		close(stopped)
	}()
	select {
	case <-stopped:
		s.log.Info("scheduler stopped")
		return nil
	case <-ctx.Done():
		return fmt.Errorf("scheduler: stop: %w", ctx.Err())
	}
}

// tick is one run of the cron job.
func (s *Scheduler) tick(ctx context.Context) {
	start := time.Now()
	n, err := s.runOnce(ctx, s.clock.Now())
	if err != nil {
		s.log.Error("scheduler tick", slog.Int("queued", n), slog.Any("error", err))
	} else if n > 0 {
		s.log.Info("scheduler tick", slog.Int("queued", n), slog.Duration("took", time.Since(start)))
	}
	if n > 0 && s.wake != nil {
		s.wake()
	}
}

// cronLogger hands robfig/cron's log lines (a recovered panic, a skipped
// overlapping tick) to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, keysAndValues ...any) {
	l.log.Debug("cron: "+msg, keysAndValues...)
}

func (l cronLogger) Error(err error, msg string, keysAndValues ...any) {
	l.log.Error("cron: "+msg, append(keysAndValues, slog.Any("error", err))...)
}
