package summary

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// recheckAfter: a subscriber owed a summary who is not receiving (paused,
// say) is looked at again this much later, until the catch-up days end.
const recheckAfter = time.Hour

// NextSummaryAt is the first instant after now at which a new month's
// summary falls due for sub (DueMonth turns true): the 1st of this or the
// next month, in loc, at the subscriber's usual prompt time. A prompt time
// that a DST change skips falls on the first instant after it.
func NextSummaryAt(sub steady.Subscriber, loc *time.Location, now time.Time) time.Time {
	l := now.In(loc)
	t := time.Date(l.Year(), l.Month(), 1, sub.Schedule.Hour, sub.Schedule.Minute, 0, 0, loc)
	if !t.After(now) {
		t = time.Date(l.Year(), l.Month()+1, 1, sub.Schedule.Hour, sub.Schedule.Minute, 0, 0, loc)
	}
	return t
}

// summaryPass sends the summaries due at now, a batch of subscribers at a
// time: with nothing due it is one indexed query. Every subscriber read
// gets a new next summary time, after now, so the pass ends. A crash after
// a summary is claimed and before its subscriber's time moves on leaves
// the subscriber due; the next pass finds the summary claimed and only
// moves the time on.
//
// The next batch is read (and its replies) while the workers send the
// current one; it leaves out the subscribers of batches whose times have
// not moved on yet.
func (s *Service) summaryPass(ctx context.Context, now time.Time) error {
	readCtx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		mu      sync.Mutex
		pending = map[int64]bool{} // read, next summary time not stored yet
	)
	plans := make(chan batchPlan, 1)
	go func() {
		defer close(plans)
		for readCtx.Err() == nil {
			mu.Lock()
			except := make([]int64, 0, len(pending))
			for id := range pending {
				except = append(except, id)
			}
			mu.Unlock()
			subs, err := s.cfg.Store.SummariesDue(readCtx, now, s.cfg.Batch, except...)
			if err != nil || len(subs) == 0 {
				if err != nil {
					plans <- batchPlan{err: err}
				}
				return
			}
			mu.Lock()
			for _, sub := range subs {
				pending[sub.ID] = true
			}
			mu.Unlock()
			p := s.planBatch(readCtx, subs, now)
			p.last = len(subs) < s.cfg.Batch
			select {
			case plans <- p:
			case <-readCtx.Done():
				return
			}
			if p.last || p.err != nil {
				return
			}
		}
	}()
	defer func() {
		stop()
		for range plans { // let the reader end; what it read stays due
		}
	}()
	for p := range plans {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p.next == nil { // SummariesDue failed
			return p.err
		}
		berr := p.err
		if berr == nil {
			berr = s.sendBatch(ctx, p, now)
		}
		if err := s.cfg.Store.SetNextSummaries(context.WithoutCancel(ctx), p.next); err != nil {
			return errors.Join(berr, err)
		}
		mu.Lock()
		for id := range p.next {
			delete(pending, id)
		}
		mu.Unlock()
		if berr != nil {
			return berr
		}
		if p.last {
			return nil
		}
	}
	return ctx.Err()
}

// owed is a subscriber owed month's summary.
type owed struct {
	sub   steady.Subscriber
	loc   *time.Location
	month Month
}

// batchPlan is a batch of subscribers read: when each is next looked at,
// the summaries owed and the replies they are built from.
type batchPlan struct {
	next    map[int64]time.Time
	todo    []owed
	entries map[int64][]Entry
	err     error // reading failed: next makes the batch due again soon
	last    bool  // fewer than a batch was due: the pass ends with this one
}

// planBatch reads what the subscribers are owed at now.
func (s *Service) planBatch(ctx context.Context, subs []steady.Subscriber, now time.Time) batchPlan {
	next := make(map[int64]time.Time, len(subs))
	var due []owed
	for _, sub := range subs {
		loc, err := s.zones.Load(sub.TimeZone)
		if err != nil {
			s.log.Warn("summary: time zone", slog.Int64("subscriber_id", sub.ID), slog.Any("error", err))
			next[sub.ID] = now.Add(24 * time.Hour)
			continue
		}
		next[sub.ID] = NextSummaryAt(sub, loc, now)
		if m, ok := dueMonth(sub, loc, now); ok {
			due = append(due, owed{sub, loc, m})
		}
	}
	if len(due) == 0 {
		return batchPlan{next: next}
	}
	ids := make([]int64, len(due))
	var months []string
	for i, o := range due {
		ids[i] = o.sub.ID
		if !slices.Contains(months, o.month.String()) {
			months = append(months, o.month.String())
		}
	}
	have, err := s.cfg.Store.SummaryMonths(ctx, ids, months)
	if err != nil {
		return batchPlan{next: retryAll(next, due, now.Add(s.cfg.Interval)), err: err}
	}
	var todo []owed
	var from, to time.Time
	for _, o := range due {
		switch {
		case have[store.SummaryKey(o.sub.ID, o.month.String())]:
		case o.sub.SummariesOff:
			// Turned off on the settings page: owed nothing this month.
		case !receiving(o.sub, now) && o.sub.Status != steady.StatusActive && o.sub.Status != steady.StatusPaused:
			// Pending or unsubscribed: whoever joins or comes back now
			// joined after the month began, and is owed nothing for it.
		case !receiving(o.sub, now):
			// Perhaps paused until tomorrow: look again, until the
			// catch-up days are over.
			l := now.In(o.loc)
			end := time.Date(l.Year(), l.Month(), catchUpDays+1, 0, 0, 0, 0, o.loc)
			next[o.sub.ID] = minTime(now.Add(recheckAfter), end)
		default:
			todo = append(todo, o)
			if f := o.month.Prev().Start(o.loc); from.IsZero() || f.Before(from) {
				from = f
			}
			if t := o.month.End(o.loc); t.After(to) {
				to = t
			}
		}
	}
	if len(todo) == 0 {
		return batchPlan{next: next}
	}
	ids = ids[:0]
	for _, o := range todo {
		ids = append(ids, o.sub.ID)
	}
	entries, err := s.entries(ctx, ids, from, to)
	if err != nil {
		return batchPlan{next: retryAll(next, todo, now.Add(s.cfg.Interval)), err: err}
	}
	return batchPlan{next: next, todo: todo, entries: entries}
}

// sendBatch sends what p's subscribers are owed, moving on p.next for a
// subscriber whose summary was not claimed.
//
// It goes a group of half the Workers at a time: a group's summaries are
// built, claimed together (each under its own unique key, as Send claims
// it) and sent at once. Two groups may be between their claim and the end
// of their sends at once (one sending while the next is claimed), so no
// more summaries are claimed and not yet sent than when each of the
// Workers claimed its own. A group's outcomes are recorded with the claim
// of the next group but one, which waits for that group's sends anyway
// (one transaction, or on PostgreSQL one statement, for both), and the
// last groups' on their own: about one commit a group, not two.
func (s *Service) sendBatch(ctx context.Context, p batchPlan, now time.Time) error {
	size := max(1, (s.cfg.Workers+1)/2)
	var (
		errs       []error
		sent       = make(chan []*pending, 2) // groups whose sends are over
		out        int                        // groups claimed whose sends are not over
		unrecorded []*pending                 // sent, outcome not recorded yet
	)
	again := func(ps []*pending) {
		for _, q := range ps {
			p.next[q.o.sub.ID] = now.Add(s.cfg.Interval)
		}
	}
	take := func(g []*pending) {
		unrecorded = append(unrecorded, g...)
		out--
	}
	for start := 0; start < len(p.todo); start += size {
		if ctx.Err() != nil {
			// Not sent: due again on the next pass.
			retryAll(p.next, p.todo[start:], now.Add(s.cfg.Interval))
			break
		}
		claims, claiming, failed, ferrs := s.prepareGroup(p.todo[start:min(start+size, len(p.todo))], p.entries)
		again(failed)
		errs = append(errs, ferrs...)
		// Wait for a group's sends to end when two are out; take in those
		// that have ended anyway.
		for out == 2 {
			take(<-sent)
		}
		for ended := true; ended && out > 0; {
			select {
			case g := <-sent:
				take(g)
			default:
				ended = false
			}
		}
		if ctx.Err() != nil {
			again(claiming)
			retryAll(p.next, p.todo[start+size:], now.Add(s.cfg.Interval))
			break
		}
		g, err := s.claimGroup(ctx, claims, claiming, unrecorded)
		if err != nil {
			// Neither claimed nor recorded: the group is due again soon,
			// and the outcomes go with the next claim.
			again(claiming)
			errs = append(errs, err)
			continue
		}
		errs = append(errs, g.errs...)
		if g.conflicts != nil {
			errs = append(errs, g.conflicts)
		} else {
			errs = append(errs, s.recorded(unrecorded)...)
		}
		unrecorded = nil
		again(g.retry)
		if len(g.created) == 0 {
			continue
		}
		out++
		go func(group []*pending) {
			var wg sync.WaitGroup
			for _, q := range group {
				wg.Go(func() { q.finish, q.err = s.deliver(ctx, q.o.sub, q.rec.ID, q.d) })
			}
			wg.Wait()
			sent <- group
		}(g.created)
	}
	for out > 0 {
		take(<-sent)
	}
	if len(unrecorded) > 0 {
		if err := s.cfg.Store.FinishSummaries(context.WithoutCancel(ctx), finishes(unrecorded), s.cfg.Clock.Now()); err != nil {
			// A claimed summary whose outcome could not be recorded stays
			// sending and is not sent again.
			errs = append(errs, err)
		} else {
			errs = append(errs, s.recorded(unrecorded)...)
		}
	}
	return errors.Join(errs...)
}

// pending is one summary of a group on its way.
type pending struct {
	o      owed
	d      Data
	data   []byte
	out    Outcome // set when nothing is to be sent
	rec    steady.SummaryRecord
	finish store.SummaryFinish
	err    error
}

// prepareGroup builds the summaries of group at once: the claims to make
// and their summaries (claiming[i] is claims[i]), and those that could not
// be built, with their errors.
func (s *Service) prepareGroup(group []owed, entries map[int64][]Entry) (claims []store.SummaryClaim, claiming, failed []*pending, errs []error) {
	ps := make([]pending, len(group))
	var wg sync.WaitGroup
	for i, o := range group {
		p := &ps[i]
		p.o = o
		wg.Go(func() { p.d, p.data, p.out, p.err = s.prepare(o.sub, o.loc, o.month, entries[o.sub.ID]) })
	}
	wg.Wait()
	for i := range ps {
		p := &ps[i]
		switch {
		case p.err != nil:
			failed = append(failed, p)
			errs = append(errs, p.err)
		case p.out == "":
			claims = append(claims, store.SummaryClaim{SubscriberID: p.o.sub.ID, Month: p.o.month.String(), Channel: p.o.sub.Channel, Data: p.data})
			claiming = append(claiming, p)
		}
	}
	return claims, claiming, failed, errs
}

// claimedGroup is what claiming a group did: the summaries this caller
// claimed, to send; those to look at again soon; their errors; and the
// outcomes recorded with them that found their summary no longer sending.
type claimedGroup struct {
	created, retry []*pending
	errs           []error
	conflicts      error
}

// claimGroup claims the summaries of claims (claiming[i] is claims[i])
// and records the outcomes of unrecorded in the same commit. An error
// means neither was done.
func (s *Service) claimGroup(ctx context.Context, claims []store.SummaryClaim, claiming, unrecorded []*pending) (claimedGroup, error) {
	if len(claims) == 0 && len(unrecorded) == 0 {
		return claimedGroup{}, nil
	}
	got, conflicts, err := s.cfg.Store.FinishAndClaimSummaries(ctx, finishes(unrecorded), claims, s.cfg.Clock.Now())
	if err != nil {
		return claimedGroup{}, err
	}
	g := claimedGroup{conflicts: conflicts}
	for i, c := range got {
		p := claiming[i]
		p.rec = c.Record
		switch {
		case c.Err != nil:
			g.errs = append(g.errs, c.Err)
			g.retry = append(g.retry, p)
		case c.Created:
			g.created = append(g.created, p)
		}
	}
	return g, nil
}

// finishes are the outcomes of ps, to be recorded.
func finishes(ps []*pending) []store.SummaryFinish {
	done := make([]store.SummaryFinish, len(ps))
	for i, p := range ps {
		done[i] = p.finish
	}
	return done
}

// recorded counts and logs the summaries of ps, whose outcomes are
// recorded, and returns the errors of their sends.
func (s *Service) recorded(ps []*pending) []error {
	var errs []error
	for _, p := range ps {
		// A claimed summary whose send failed is recorded as failed and
		// not tried again by itself.
		if _, err := s.finished(p.o.sub, p.o.month, p.rec, p.d, p.finish.Status, p.err); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// retryAll makes the subscribers of os due again at at.
func retryAll(next map[int64]time.Time, os []owed, at time.Time) map[int64]time.Time {
	for _, o := range os {
		next[o.sub.ID] = at
	}
	return next
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
