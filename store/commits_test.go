package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Many Atomically calls at once (on SQLite they share commits): each one
// that fails leaves nothing, each one that succeeds is all there, and a
// call sees the writes of the calls committed before it.
func TestAtomicallyConcurrentCallsStandAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 64
		boom := errors.New("boom")
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				errs[i] = db.Atomically(context.Background(), func(ctx context.Context) error {
					for _, part := range []string{"a", "b"} {
						if _, err := db.RecordInboundEvent(ctx, fmt.Sprintf("test:%d%s", i, part), t0); err != nil {
							return err
						}
					}
					// A call's own write is visible to it.
					if again, err := db.RecordInboundEvent(ctx, fmt.Sprintf("test:%da", i), t0); err != nil || again {
						return fmt.Errorf("own write not seen: %v %v", again, err)
					}
					if i%2 == 1 {
						return boom
					}
					return nil
				})
			})
		}
		wg.Wait()
		for i, err := range errs {
			want := error(nil)
			if i%2 == 1 {
				want = boom
			}
			if !errors.Is(err, want) || (want == nil && err != nil) {
				t.Errorf("call %d: %v, want %v", i, err, want)
			}
			for _, part := range []string{"a", "b"} {
				if fresh := eventIsNew(t, db, fmt.Sprintf("test:%d%s", i, part)); fresh != (i%2 == 1) {
					t.Errorf("call %d, event %s: stored %v, want %v", i, part, !fresh, i%2 == 0)
				}
			}
		}
	})
}

// After Close, Atomically fails at once rather than waiting for ever.
func TestAtomicallyAfterClose(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, url string) {
		db := storetest.Open(t, url)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		err := db.Atomically(context.Background(), func(ctx context.Context) error {
			_, err := db.RecordInboundEvent(ctx, "test:closed", t0)
			return err
		})
		if err == nil {
			t.Fatal("Atomically after Close succeeded")
		}
	})
}
