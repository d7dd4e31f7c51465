package inbox

import (
	"context"
	"testing"

	"github.com/steadyapp/steady/metrics"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

var _ Metrics = (*metrics.Recorder)(nil)

// TestIntakeCountsRepliesAndHeldMail: a filed reply moves
// steady_replies_total{channel="email"}; mail held aside moves
// steady_inbound_held_total by its reason, once however often it comes.
func TestIntakeCountsRepliesAndHeldMail(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		rec := metrics.New()
		proc, err := NewProcessor(ProcessorConfig{Store: db, Links: b.links, Clock: b.clock, TrustedAuthServ: []string{trustedAuthServ}, Metrics: rec})
		if err != nil {
			t.Fatal(err)
		}
		in, err := NewIntake(IntakeConfig{Processor: proc, Holder: db, Clock: b.clock, Metrics: rec})
		if err != nil {
			t.Fatal(err)
		}
		_, prompts := b.subscriber(t, "alex@example.com", 1)
		reply := mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "ok@x", body: "Filed. " + secretWords}
		forged := mail{from: "alex@example.com", to: "steady@example.org", messageID: "forged@x",
			inReplyTo: b.links.MessageID(prompts[0]), body: "Not really Alex."}
		for range 2 { // a retry is neither filed nor held twice
			for _, m := range []mail{reply, forged} {
				if _, err := in.Receive(ctx, m.raw(), "smtp"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := in.Receive(ctx, []byte("no header at all"), "smtp"); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			name   string
			labels map[string]string
			want   float64
		}{
			{"steady_replies_total", map[string]string{"channel": "email"}, 1},
			{"steady_replies_total", map[string]string{"channel": "web"}, 0},
			{"steady_inbound_held_total", map[string]string{"reason": HeldUnauthenticated}, 1},
			{"steady_inbound_held_total", map[string]string{"reason": HeldRejected}, 1},
			{"steady_inbound_held_total", map[string]string{"reason": HeldUnmatched}, 0},
		} {
			if v, ok := rec.Value(c.name, c.labels); !ok || v != c.want {
				t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, v, ok, c.want)
			}
		}
	})
}
