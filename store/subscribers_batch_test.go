package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Subscribers reads what Subscriber reads, for any number of ids, and
// leaves out ids no subscriber has.
func TestSubscribersMatchesSubscriber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ids []int64
		for i := range store.SubscribersBatch + 3 {
			sub := active(t, db, fmt.Sprintf("batch%d@example.com", i), t0)
			ids = append(ids, sub.ID)
		}
		// An unconfirmed one, whose requested settings are set.
		res, err := db.RequestSubscription(ctx, request("pending@example.com", t0))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Subscriber.ID)
		missing := ids[len(ids)-1] + 1000
		for _, want := range [][]int64{nil, ids[:1], ids[:store.SubscribersBatch], ids, append([]int64{missing, ids[2], ids[2]}, ids[5:]...)} {
			got, err := db.Subscribers(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[int64]steady.Subscriber{}
			for _, s := range got {
				byID[s.ID] = s
			}
			distinct := map[int64]bool{}
			for _, id := range want {
				if id == missing {
					continue
				}
				distinct[id] = true
				one, err := db.Subscriber(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if s, ok := byID[id]; !ok || !reflect.DeepEqual(s, one) {
					t.Errorf("Subscribers for %d: %+v (found %v), want %+v", id, s, ok, one)
				}
			}
			if len(got) != len(distinct) || len(byID) != len(distinct) {
				t.Errorf("Subscribers(%v) gave %d rows, want %d", want, len(got), len(distinct))
			}
			if _, ok := byID[missing]; ok {
				t.Errorf("Subscribers gave a subscriber for id %d, which has none", missing)
			}
		}
	})
}
