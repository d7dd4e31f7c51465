package messages_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/twiliotest"
)

// manualWait moves clock instead of sleeping, and counts the waits.
func manualWait(clock *steady.ManualClock, waits *[]time.Duration) func(context.Context, time.Duration) error {
	return func(_ context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		clock.Advance(d)
		return nil
	}
}

func TestRateLimitedSpacesSends(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := twiliotest.New(t, clock)
	var waits []time.Duration
	l, err := messages.NewRateLimited(newTwilio(t, srv, nil), 4, clock, manualWait(clock, &waits))
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if _, err := l.Send(context.Background(), smsMessage("hi")); err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 10 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].At.Sub(reqs[i-1].At); gap < 250*time.Millisecond {
			t.Errorf("requests %d and %d only %s apart", i-1, i, gap)
		}
	}
	if len(waits) != 9 {
		t.Errorf("%d waits, want 9", len(waits))
	}
	// After a quiet spell the next send goes at once.
	clock.Advance(time.Minute)
	waits = nil
	if _, err := l.Send(context.Background(), smsMessage("hi")); err != nil || len(waits) != 0 {
		t.Errorf("err %v, waits %v", err, waits)
	}
}

func TestRateLimitedCancelledWaitSendsNothing(t *testing.T) {
	t.Parallel()
	srv := twiliotest.New(t, nil)
	l, err := messages.NewRateLimited(newTwilio(t, srv, nil), 0.001, nil, nil) // one per 1000 s, real timer
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Send(context.Background(), smsMessage("first")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = l.Send(ctx, smsMessage("second"))
	if !errors.Is(err, context.Canceled) || errors.Is(err, steady.ErrOutcomeUnknown) {
		t.Fatalf("err %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestNewRateLimitedChecks(t *testing.T) {
	t.Parallel()
	srv := twiliotest.New(t, nil)
	for _, mps := range []float64{0, -1, 1001} {
		if _, err := messages.NewRateLimited(newTwilio(t, srv, nil), mps, nil, nil); err == nil {
			t.Errorf("mps %v accepted", mps)
		}
	}
	if _, err := messages.NewRateLimited(nil, 1, nil, nil); err == nil {
		t.Error("nil sender accepted")
	}
}

func TestRouter(t *testing.T) {
	t.Parallel()
	srv := twiliotest.New(t, nil)
	r := messages.Router{steady.ChannelSMS: newTwilio(t, srv, nil)}
	if _, err := r.Send(context.Background(), smsMessage("hi")); err != nil {
		t.Fatal(err)
	}
	_, err := r.Send(context.Background(), steady.Message{Channel: steady.ChannelEmail, To: "a@example.org", Text: "hi"})
	if !errors.Is(err, steady.ErrRejected) {
		t.Fatalf("email without a sender: %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests", n)
	}
}
