package inbox

import (
	"context"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A reply token from before an unsubscribe files no reply, even after a
// new sign-up (by anyone) made the subscriber pending again.
func TestReplyTokenFromBeforeAnUnsubscribeFilesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		sub, prompts := b.subscriber(t, "ros@example.com", 1)
		now := b.clock.Now()
		if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "web", Wording: "Stop"}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
			Channel: steady.ChannelEmail, Address: "ros@example.com", TimeZone: "Asia/Tokyo",
			Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 3},
			Consent:  steady.Consent{Method: "api", Wording: "Send me prompts"}, Now: now.Add(time.Hour), ResendAfter: time.Minute,
		}); err != nil {
			t.Fatal(err)
		}
		for _, m := range []mail{
			{from: "ros@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "old-token@x", body: "Yes. " + secretWords},
			{from: "stranger@example.org", to: b.links.ReplyAddress(prompts[0]), messageID: "old-token-2@x", body: "Filed?"},
		} {
			res, err := b.proc.Process(ctx, m.raw())
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome == Stored || res.Match == "address-token" {
				t.Errorf("%s: %+v", m.messageID, res)
			}
		}
		if rs := b.replies(t, sub.ID); len(rs) != 0 {
			t.Errorf("replies filed: %d", len(rs))
		}
	})
}
