package store

import (
	"context"
	"sync"
)

// batches hands jobs sent to it, in batches, to workers goroutines: a
// worker that is free takes the next job and every other job already
// waiting, up to max, and runs them together. One job alone waits for
// no other: batches form only from the calls that arrive while the workers
// are busy. SQLite's committer (one worker) and PostgreSQL's reply and
// lookup batchers (two each) gather their calls with it.
type batches[J any] struct {
	jobs chan J
	quit chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

func startBatches[J any](workers, max int, run func([]J)) *batches[J] {
	b := &batches[J]{jobs: make(chan J), quit: make(chan struct{})}
	for range workers {
		b.wg.Go(func() {
			for {
				var batch []J
				select {
				case j := <-b.jobs:
					batch = append(batch, j)
				case <-b.quit:
					return
				}
			gather:
				for len(batch) < max {
					select {
					case j := <-b.jobs:
						batch = append(batch, j)
					default:
						break gather
					}
				}
				run(batch)
			}
		})
	}
	return b
}

// send hands j to a worker. It fails with errClosed after stop, or with
// ctx's error if ctx ends first; once send returns nil, j is run.
func (b *batches[J]) send(ctx context.Context, j J) error {
	select {
	case b.jobs <- j:
		return nil
	case <-b.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stop ends the workers after their batches in progress.
func (b *batches[J]) stop() {
	b.once.Do(func() { close(b.quit) })
	b.wg.Wait()
}
