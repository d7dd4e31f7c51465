package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestEachSubscriber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 7 {
			active(t, db, fmt.Sprintf("each%d@example.org", i), t0.Add(24*time.Hour))
		}
		want, err := db.ListSubscribers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, batch := range []int{0, 1, 3, 7, 8} {
			var got []steady.Subscriber
			if err := db.EachSubscriber(ctx, batch, func(s steady.Subscriber) error {
				got = append(got, s)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("batch %d: got %d subscribers %v, want the %d ListSubscribers gives", batch, len(got), ids(got), len(want))
			}
		}

		stop := errors.New("stop")
		n := 0
		err = db.EachSubscriber(ctx, 2, func(steady.Subscriber) error {
			n++
			if n == 3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 3 {
			t.Errorf("fn's error: got %v after %d calls, want it returned after 3", err, n)
		}
	})
}

func TestEachSubscriberEmpty(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		err := db.EachSubscriber(context.Background(), 5, func(steady.Subscriber) error {
			t.Error("fn called with no subscribers")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func ids(subs []steady.Subscriber) []int64 {
	out := make([]int64, len(subs))
	for i, s := range subs {
		out[i] = s.ID
	}
	return out
}
