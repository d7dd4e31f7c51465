package scheduler

import (
	"context"
	"sync"
	"time"

	"github.com/steadyapp/steady/store"
)

// commitReq is one worker's turn at the shared transaction: the outcome of
// the delivery it finished, if any, and a request for its next claim.
type commitReq struct {
	done  *store.Finished
	reply chan<- commitResult
}

// commitResult is what the transaction gave one worker.
type commitResult struct {
	claim store.Claim
	found bool  // claim is set: a delivery to send next
	err   error // the transaction failed: nothing recorded, nothing claimed
	// finishErr says why the outcome of done was not recorded (the claim
	// was lost) while the rest of the transaction went through.
	finishErr error
}

// commitLoop records outcomes and hands out claims for the workers of one
// drain until reqs is closed. The requests waiting when it turns to them
// (at most one per worker) share one transaction: one commit records every
// finished outcome and claims one delivery for each worker, and each
// worker still holds only the delivery it is sending. Up to d.commits such
// transactions run at once: one for SQLite, whose single writer makes
// concurrent transactions queue on its lock, so a send there costs about
// 1/Workers of a commit; one per worker for PostgreSQL, which runs their
// statements side by side and flushes concurrent commits together itself.
func (d *Dispatcher) commitLoop(ctx context.Context, clock func() time.Time, reqs <-chan commitReq) {
	slots := make(chan struct{}, d.commits)
	var wg sync.WaitGroup
	defer wg.Wait()
	for r := range reqs {
		slots <- struct{}{}
		batch := []commitReq{r}
	gather:
		for len(batch) < d.workers {
			select {
			case r, ok := <-reqs:
				if !ok {
					break gather
				}
				batch = append(batch, r)
			default:
				break gather
			}
		}
		wg.Go(func() {
			defer func() { <-slots }()
			d.commit(ctx, clock, batch)
		})
	}
}

// commit runs one transaction for batch and answers each request.
func (d *Dispatcher) commit(ctx context.Context, clock func() time.Time, batch []commitReq) {
	var done []store.Finished
	var from []int // done[j] is batch[from[j]]'s
	for i, r := range batch {
		if r.done != nil {
			done = append(done, *r.done)
			from = append(from, i)
		}
	}
	now := clock().UTC()
	// Outcomes are recorded even as the run is cancelled, like record.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	claims, errs, err := d.store.FinishAndClaim(rctx, done, len(batch), now, now.Add(d.lease))
	cancel()
	res := make([]commitResult, len(batch))
	for i := range res {
		if err != nil {
			res[i].err = err
			continue
		}
		if i < len(claims) {
			res[i].claim, res[i].found = claims[i], true
		}
	}
	if err == nil {
		for j, i := range from {
			res[i].finishErr = errs[j]
		}
	}
	for i, r := range batch {
		r.reply <- res[i]
	}
}
