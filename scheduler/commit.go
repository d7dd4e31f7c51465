package scheduler

import (
	"context"
	"sync"
	"time"

	"github.com/steadyapp/steady/store"
)

// commitReq is one worker's turn at the shared transaction: the outcomes
// of the deliveries it finished, if any, and how many more deliveries it
// wants claimed.
type commitReq struct {
	done  []store.Finished
	want  int
	reply chan<- commitResult
}

// commitResult is what the transaction gave one worker.
type commitResult struct {
	claims []store.Claim // claimed for it, at most its want
	err    error         // the transaction failed: nothing recorded, nothing claimed
	// finishErrs[i] says why the outcome of done[i] was not recorded (the
	// claim was lost) while the rest of the transaction went through.
	finishErrs []error
}

// commitLoop records outcomes and hands out claims for the workers of one
// drain until reqs is closed. The requests waiting when it turns to them
// (at most d.window per worker) share one transaction: one commit records every
// finished outcome and claims what each worker asked for. Up to d.commits
// such transactions run at once: one for SQLite, whose single writer makes
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
		for len(batch) < d.workers*d.window {
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
	want := 0
	for _, r := range batch {
		done = append(done, r.done...)
		want += r.want
	}
	now := clock().UTC()
	// Outcomes are recorded even as the run is cancelled, like record.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	claims, errs, err := d.store.FinishAndClaim(rctx, done, want, now, now.Add(d.lease))
	cancel()
	at := 0 // next of done
	for _, r := range batch {
		var res commitResult
		switch {
		case err != nil:
			res.err = err
		default:
			res.finishErrs = errs[at : at+len(r.done)]
			n := min(r.want, len(claims))
			res.claims, claims = claims[:n:n], claims[n:]
		}
		at += len(r.done)
		r.reply <- res
	}
}
