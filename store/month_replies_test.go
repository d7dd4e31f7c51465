package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/analysis"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// MonthReplies reads a batch of subscribers' replies in [from, to), by
// subscriber and each one's oldest first, each with its opened body, the prompt it answered and the flags
// stored when it arrived; others' replies and those outside the window are
// left out.
func TestMonthReplies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, ra := withReplies(t, db, "month-a@example.org", "no, he went quiet again after the argument", "yes", "we laughed a lot")
		b, rb := withReplies(t, db, "month-b@example.org", "she promised to call and didn't, again")
		other, _ := withReplies(t, db, "month-other@example.org", "not asked for")
		loose, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: b.ID, Channel: steady.ChannelSMS,
			Body: "a text that answers no prompt", ReceivedAt: t0.Add(90 * time.Minute), SourceID: "month-loose"})
		if err != nil {
			t.Fatal(err)
		}
		from, to := ra[0].ReceivedAt, ra[2].ReceivedAt // the last of a's is outside
		got, err := db.MonthReplies(ctx, []int64{a.ID, b.ID}, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := []steady.Reply{ra[0], ra[1], rb[0], loose}
		if b.ID < a.ID {
			want = []steady.Reply{rb[0], loose, ra[0], ra[1]}
		}
		if len(got) != len(want) {
			t.Fatalf("%d replies, want %d: %+v", len(got), len(want), got)
		}
		for i, w := range want {
			g := got[i]
			if g.ID != w.ID || g.SubscriberID != w.SubscriberID || g.Body != w.Body || !g.ReceivedAt.Equal(w.ReceivedAt) {
				t.Errorf("reply %d = %d of %d %q at %v, want %d of %d %q at %v", i, g.ID, g.SubscriberID, g.Body, g.ReceivedAt,
					w.ID, w.SubscriberID, w.Body, w.ReceivedAt)
			}
			if g.SubscriberID == other.ID {
				t.Errorf("reply %d is another subscriber's", i)
			}
			theme, prompt := "honesty", "Did you feel heard today? YES or NO"
			if w.ID == loose.ID {
				theme, prompt = "", ""
			}
			if g.Theme != theme || g.Prompt != prompt {
				t.Errorf("reply %d answered %q (%q), want %q (%q)", i, g.Prompt, g.Theme, prompt, theme)
			}
			if wf := analysis.Analyze(w.Body, theme); !g.Analyzed || !slices.Equal(g.Flags, wf) {
				t.Errorf("reply %d flags = %+v (analysed %v), want the stored %+v", i, g.Flags, g.Analyzed, wf)
			}
		}
		if got, err := db.MonthReplies(ctx, nil, from, to); err != nil || len(got) != 0 {
			t.Errorf("no subscribers: %v (%v)", got, err)
		}
	})
}
