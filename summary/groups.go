package summary

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// groups are a pass's summaries on their way, a group of half the
// Workers at a time: a group's summaries are built, claimed together
// (each under its own unique key, as Send claims it) and sent at once.
// Two groups may be between their claim and the end of their sends at
// once (one sending while the next is claimed), so no more summaries are
// claimed and not yet sent than when each of the Workers claimed its own.
// A group's outcomes are recorded with the claim of the next group but
// one, which waits for that group's sends anyway (one transaction, or on
// PostgreSQL one statement, for both), and the pass's last ones on their
// own: about one commit a group, not two. Groups go on from one batch to
// the next without waiting for the batch's last sends.
type groups struct {
	s          *Service
	size       int
	sent       chan []*pending // groups whose sends are over
	out        int             // groups claimed whose sends are not over
	unrecorded []*pending      // sent, outcome not recorded yet
	errs       []error
}

func (s *Service) newGroups() *groups {
	return &groups{s: s, size: max(1, (s.cfg.Workers+1)/2), sent: make(chan []*pending, 2)}
}

// take is a group whose sends are over.
func (g *groups) take(sent []*pending) {
	g.unrecorded = append(g.unrecorded, sent...)
	g.out--
}

// sendBatch claims and starts sending what p's subscribers are owed,
// moving on p.next for a subscriber whose summary was not claimed. It
// returns once every claim of p is made, with the errors seen since the
// last call (those of earlier batches' sends among them).
func (g *groups) sendBatch(ctx context.Context, p batchPlan, now time.Time) error {
	s := g.s
	again := func(ps []*pending) {
		for _, q := range ps {
			p.next[q.o.sub.ID] = now.Add(s.cfg.Interval)
		}
	}
	for start := 0; start < len(p.todo); start += g.size {
		if ctx.Err() != nil {
			// Not sent: due again on the next pass.
			retryAll(p.next, p.todo[start:], now.Add(s.cfg.Interval))
			break
		}
		claims, claiming, failed, ferrs := s.prepareGroup(p.todo[start:min(start+g.size, len(p.todo))], p.entries)
		again(failed)
		g.errs = append(g.errs, ferrs...)
		// Wait for a group's sends to end when two are out; take in those
		// that have ended anyway.
		for g.out == 2 {
			g.take(<-g.sent)
		}
		for ended := true; ended && g.out > 0; {
			select {
			case sent := <-g.sent:
				g.take(sent)
			default:
				ended = false
			}
		}
		if ctx.Err() != nil {
			again(claiming)
			retryAll(p.next, p.todo[start+g.size:], now.Add(s.cfg.Interval))
			break
		}
		c, err := s.claimGroup(ctx, claims, claiming, g.unrecorded)
		if err != nil {
			// Neither claimed nor recorded: the group is due again soon,
			// and the outcomes go with the next claim.
			again(claiming)
			g.errs = append(g.errs, err)
			continue
		}
		g.errs = append(g.errs, c.errs...)
		if c.conflicts != nil {
			g.errs = append(g.errs, c.conflicts)
		} else {
			g.errs = append(g.errs, s.recorded(g.unrecorded)...)
		}
		g.unrecorded = nil
		again(c.retry)
		if len(c.created) == 0 {
			continue
		}
		g.out++
		go func(group []*pending) {
			var wg sync.WaitGroup
			for _, q := range group {
				wg.Go(func() { q.finish, q.err = s.deliver(ctx, q.o.sub, q.rec.ID, q.d) })
			}
			wg.Wait()
			g.sent <- group
		}(c.created)
	}
	errs := errors.Join(g.errs...)
	g.errs = nil
	return errs
}

// finish waits for the sends still going and records their outcomes, and
// returns the errors seen since the last sendBatch.
func (g *groups) finish(ctx context.Context) error {
	for g.out > 0 {
		g.take(<-g.sent)
	}
	if len(g.unrecorded) > 0 {
		if err := g.s.cfg.Store.FinishSummaries(context.WithoutCancel(ctx), finishes(g.unrecorded), g.s.cfg.Clock.Now()); err != nil {
			// A claimed summary whose outcome could not be recorded stays
			// sending and is not sent again.
			g.errs = append(g.errs, err)
		} else {
			g.errs = append(g.errs, g.s.recorded(g.unrecorded)...)
		}
		g.unrecorded = nil
	}
	errs := errors.Join(g.errs...)
	g.errs = nil
	return errs
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
