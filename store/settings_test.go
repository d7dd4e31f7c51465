package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestEnsureSettingConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const callers = 8
		stored := make([]string, callers)
		created := make([]bool, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				var err error
				stored[i], created[i], err = db.EnsureSetting(ctx, "secret", fmt.Sprintf("value-%d", i))
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		n := 0
		for i := range callers {
			if created[i] {
				n++
			}
			if stored[i] != stored[0] {
				t.Errorf("caller %d got %q, caller 0 got %q", i, stored[i], stored[0])
			}
		}
		if n != 1 {
			t.Errorf("%d callers created the setting, want 1", n)
		}
		if got, c, err := db.EnsureSetting(ctx, "secret", "other"); got != stored[0] || c || err != nil {
			t.Errorf("EnsureSetting again = %q, %v, %v", got, c, err)
		}
	})
}

func TestPreviews(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		res, err := db.RequestSubscription(ctx, request("p@example.com", t0))
		if err != nil {
			t.Fatal(err)
		}
		confirm := mustDeliveries(t, db, res.Subscriber.ID)[0]
		m := steady.Message{
			DeliveryID: confirm.ID, Channel: steady.ChannelEmail, To: "p@example.com",
			Subject: "Confirm", Text: "text", HTML: "<p>html</p>", MessageID: "abc@steady",
			ReplyTo: "reply+tok@steady", ReplyURL: "https://steady/r/tok",
			Headers: map[string]string{"List-Unsubscribe": "<https://steady/u/tok>"},
		}
		first, err := db.SavePreview(ctx, m, t0)
		if err != nil {
			t.Fatal(err)
		}
		bare := steady.Message{Channel: steady.ChannelEmail, To: "x@example.com", Text: "no delivery"}
		second, err := db.SavePreview(ctx, bare, t0.Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Preview(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != first || got.Message.Headers["List-Unsubscribe"] != m.Headers["List-Unsubscribe"] ||
			got.Subject != m.Subject || got.HTML != m.HTML || got.ReplyTo != m.ReplyTo || got.ReplyURL != m.ReplyURL ||
			got.MessageID != m.MessageID || got.DeliveryID != m.DeliveryID || !got.CreatedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Errorf("Preview = %+v", got)
		}
		list, err := db.Previews(ctx, 10)
		if err != nil || len(list) != 2 || list[0].ID != second || list[1].ID != first || list[0].DeliveryID != 0 {
			t.Errorf("Previews = %+v, %v", list, err)
		}
		if list, _ := db.Previews(ctx, 1); len(list) != 1 {
			t.Errorf("limit 1 gave %d", len(list))
		}
		if _, err := db.Preview(ctx, 9999); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("missing preview: err = %v", err)
		}
	})
}
