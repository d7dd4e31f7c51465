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
func (s *Service) summaryPass(ctx context.Context, now time.Time) (err error) {
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
	// The groups on their way go on from one batch to the next: a
	// batch's last sends and outcomes overlap the next batch's first
	// claims, and the pass waits for them all before it ends.
	g := s.newGroups()
	defer func() { err = errors.Join(err, g.finish(ctx)) }()
	for p := range plans {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p.next == nil { // SummariesDue failed
			return p.err
		}
		berr := p.err
		if berr == nil {
			berr = g.sendBatch(ctx, p, now)
		}
		// Every claim of the batch is made: its times may move on while
		// its last sends go on (a crash now leaves them claimed, as a
		// crash before the times moved did).
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
