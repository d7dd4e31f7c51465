package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady/store/storetest"
)

// Two summary workers storing next times for the same subscribers at once,
// grouped differently (each worker groups by time, and its groups come in
// any order), both succeed: on PostgreSQL they used to lock the rows in
// different orders and one died of a deadlock.
func TestSetNextSummariesConcurrently(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 14, 12, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 12 {
		ids = append(ids, active(t, db, fmt.Sprintf("next-%d@example.org", i), now.Add(time.Hour)).ID)
	}
	for round := range 30 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for w := range 2 {
			next := map[int64]time.Time{}
			for i, id := range ids {
				// Each worker puts a different subscriber first in time.
				next[id] = now.Add(time.Duration((i+w*5)%4) * time.Hour)
			}
			wg.Go(func() { errs[w] = db.SetNextSummaries(ctx, next) })
		}
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Fatalf("round %d, worker %d: %v", round, w, err)
			}
		}
	}
}
