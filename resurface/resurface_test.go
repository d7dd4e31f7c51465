package resurface_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/resurface"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

type stopLinks struct{}

func (stopLinks) ResurfaceOffURL(sub steady.Subscriber) string {
	return fmt.Sprintf("https://steady.example/past-words?t=STOP%d", sub.ID)
}

var day0 = time.Date(2026, 9, 1, 19, 30, 0, 0, time.UTC)

// history is one subscriber with prompts sent and answered on real
// deliveries.
type history struct {
	t   *testing.T
	db  *store.DB
	sub steady.Subscriber
	day int
}

func newHistory(t *testing.T, db *store.DB) *history {
	t.Helper()
	ctx := context.Background()
	sched := steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20, Minute: 30}
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail, Address: "sam@example.org",
		TimeZone: "Europe/London", Schedule: sched, Now: day0.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range storetest.Claim(t, db, day0) {
		if err := db.FinishDelivery(ctx, c, store.Outcome{Status: steady.DeliverySent, Now: day0}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "web"}, day0.Add(-time.Hour),
		func(steady.Subscriber) (time.Time, error) { return day0, nil }); err != nil {
		t.Fatal(err)
	}
	sub, err := db.SetPreferences(ctx, res.Subscriber.ID, steady.Preferences{Resurface: true})
	if err != nil {
		t.Fatal(err)
	}
	return &history{t: t, db: db, sub: sub}
}

// prompt sends the next day's prompt (theme has_your_back) and, unless
// reply is empty, records the answer an hour later.
func (h *history) prompt(reply string) steady.Delivery {
	h.t.Helper()
	ctx := context.Background()
	slot := day0.AddDate(0, 0, h.day)
	h.day++
	if _, err := h.db.ClaimDue(ctx, slot, 10, func(s steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
		return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: s.Channel, Slot: s.NextSlot,
			PromptID: "has_your_back-1", Theme: "has_your_back", PromptText: "Did they have your back?"}, slot.AddDate(0, 0, 1), nil
	}); err != nil {
		h.t.Fatal(err)
	}
	cs := storetest.Claim(h.t, h.db, slot)
	if len(cs) != 1 {
		h.t.Fatalf("claimed %d deliveries, want the prompt", len(cs))
	}
	if err := h.db.FinishDelivery(ctx, cs[0], store.Outcome{Status: steady.DeliverySent, Now: slot}); err != nil {
		h.t.Fatal(err)
	}
	d, err := h.db.Delivery(ctx, cs[0].Delivery.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	if reply != "" {
		if _, _, err := h.db.RecordReply(ctx, steady.Reply{SubscriberID: h.sub.ID, DeliveryID: d.ID, Channel: steady.ChannelWeb,
			Body: reply, ReceivedAt: slot.Add(time.Hour), SourceID: fmt.Sprintf("web:%d", d.ID)}); err != nil {
			h.t.Fatal(err)
		}
	}
	return d
}

const (
	supportive = "Yes, he stood up for me when my family was cold and I felt supported."
	redFlag    = "He lied to me again about the money and I felt small."
	harm       = "I'm scared of him when he drinks, he hit me last week."
	// neutral flags nothing (a shared evening now reads as a sign of friendship).
	neutral = "Work was busy this week, not much else to report."
	recent  = "Yes, he made me laugh all evening and held my hand."
)

// Past words come on every 4th prompt only, chosen from replies a month
// old or more with no red flag and no safety concern, a sign of support
// first; never in discreet mode, never with resurfacing off, and the
// same delivery always gets the same words.
func TestPickPast(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newHistory(t, db)
		p := &resurface.Picker{Store: db, Links: stopLinks{}}
		for _, r := range []string{redFlag, harm, neutral, supportive, "yes"} {
			h.prompt(r)
		}
		h.day = 40 // a month and more later
		h.prompt(recent)
		h.prompt("")
		// Seven prompts so far: the eighth is a resurfacing turn, the
		// ninth, tenth and eleventh are not, the twelfth is.
		turns := map[int]bool{8: true, 12: true}
		var shown []string
		for n := 8; n <= 12; n++ {
			d := h.prompt("")
			got, ok, err := p.PickPast(ctx, h.sub, d)
			if err != nil {
				t.Fatal(err)
			}
			if ok != turns[n] {
				t.Fatalf("prompt %d: past words %v, want %v", n, ok, turns[n])
			}
			if !ok {
				continue
			}
			shown = append(shown, got.Text)
			if got.Text != supportive || got.When != "on 4 September" || got.StopURL != (stopLinks{}).ResurfaceOffURL(h.sub) {
				t.Errorf("prompt %d: %+v, want the supportive reply of 4 September with the stop link", n, got)
			}
			again, _, _ := p.PickPast(ctx, h.sub, d)
			if again != got {
				t.Errorf("prompt %d: a second compose chose %+v, first %+v", n, again, got)
			}
			for _, off := range []steady.Subscriber{
				func(s steady.Subscriber) steady.Subscriber { s.Discreet = true; return s }(h.sub),
				func(s steady.Subscriber) steady.Subscriber { s.Resurface = false; return s }(h.sub),
			} {
				if _, ok, err := p.PickPast(ctx, off, d); ok || err != nil {
					t.Errorf("prompt %d: past words for %+v (err %v)", n, off.Preferences, err)
				}
			}
		}
		if len(shown) != 2 {
			t.Fatalf("shown %q", shown)
		}
	})
}

// With no sign of support among the candidates, a gentle reply is shown;
// with nothing but red flags and harm, nothing is.
func TestCandidates(t *testing.T) {
	t.Parallel()
	mk := func(bodies ...string) []store.PastReply {
		var out []store.PastReply
		for i, b := range bodies {
			out = append(out, store.PastReply{Reply: steady.Reply{ID: int64(i + 1), Body: b}, Theme: "has_your_back"})
		}
		return out
	}
	texts := func(rs []store.PastReply) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Body)
		}
		return strings.Join(s, " | ")
	}
	for _, tc := range []struct {
		in   []store.PastReply
		want string
	}{
		{mk(redFlag, neutral, harm), neutral},
		{mk(redFlag, harm, "no", "yes"), ""},
		{mk(neutral, supportive, recent), supportive + " | " + recent},
		{mk(strings.Repeat("We walked by the sea for hours. ", 10)), ""},
	} {
		if got := texts(resurface.Candidates(tc.in)); got != tc.want {
			t.Errorf("Candidates(%s) = %q, want %q", texts(tc.in), got, tc.want)
		}
	}
}
