package scheduler

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/themes"
)

var (
	_ Store   = (*store.DB)(nil)
	_ Outbox  = (*store.DB)(nil)
	_ Catalog = (*themes.Catalog)(nil)
)

// logBuffer collects log lines; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// bundle is a scheduler and a dispatcher over a real store.
type bundle struct {
	db     *store.DB
	clock  *steady.ManualClock
	sched  *Scheduler
	disp   *Dispatcher
	sender *recordingSender
	logs   *logBuffer
}

// setup builds a bundle on db with the real prompt catalog; the clock
// starts at start.
func setup(t *testing.T, db *store.DB, start time.Time) *bundle {
	t.Helper()
	b := &bundle{db: db, clock: steady.NewManualClock(start), sender: &recordingSender{}, logs: &logBuffer{}}
	logger := slog.New(slog.NewTextHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		// Logs name subscribers by id, never by address.
		if logs := b.logs.String(); strings.Contains(logs, "@example.") {
			t.Errorf("an address was logged:\n%s", logs)
		}
	})
	var err error
	b.disp, err = NewDispatcher(DispatcherConfig{
		Store: db, Sender: b.sender, Composer: testComposer{}, Clock: b.clock, Logger: logger,
	})
	if err != nil {
		t.Fatal(err)
	}
	b.sched, err = New(Config{Store: db, Catalog: themes.Default(), Clock: b.clock, Logger: logger, Wake: b.disp.Wake})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// subscribe signs address up and confirms it at now; the first slot is the
// schedule's first after now.
func (b *bundle) subscribe(t *testing.T, address, zone, schedule string, now time.Time) steady.Subscriber {
	t.Helper()
	ctx := context.Background()
	res, err := b.db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel:  steady.ChannelEmail,
		Address:  address,
		TimeZone: zone,
		Schedule: mustSchedule(t, schedule),
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me reflection prompts."},
		Now:      now,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := b.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link", IP: "192.0.2.1"}, now,
		func(s steady.Subscriber) (time.Time, error) {
			loc, err := s.Location()
			if err != nil {
				return time.Time{}, err
			}
			return s.Schedule.Next(now, loc), nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func (b *bundle) unsubscribe(t *testing.T, id int64, now time.Time) {
	t.Helper()
	if _, err := b.db.Unsubscribe(context.Background(), id, steady.Consent{Method: "one-click", IP: "192.0.2.1"}, now); err != nil {
		t.Fatal(err)
	}
}

// runScheduler runs the scheduler's runOnce at now.
func (b *bundle) runScheduler(t *testing.T, now time.Time) int {
	t.Helper()
	n, err := b.sched.runOnce(context.Background(), now)
	if err != nil {
		t.Fatalf("scheduler runOnce(%s): %v", now, err)
	}
	return n
}

// runDispatcher runs the dispatcher's runOnce at now.
func (b *bundle) runDispatcher(t *testing.T, now time.Time) int {
	t.Helper()
	n, err := b.disp.runOnce(context.Background(), now)
	if err != nil {
		t.Fatalf("dispatcher runOnce(%s): %v", now, err)
	}
	return n
}

// deliveries returns the subscriber's deliveries of kind.
func (b *bundle) deliveries(t *testing.T, subscriberID int64, kind steady.Kind) []steady.Delivery {
	t.Helper()
	all, err := b.db.Deliveries(context.Background(), subscriberID)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(all, func(d steady.Delivery) bool { return d.Kind != kind })
}

func (b *bundle) subscriber(t *testing.T, id int64) steady.Subscriber {
	t.Helper()
	sub, err := b.db.Subscriber(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func (b *bundle) delivery(t *testing.T, id int64) steady.Delivery {
	t.Helper()
	d, err := b.db.Delivery(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// slots returns the deliveries' slots.
func slots(ds []steady.Delivery) []time.Time {
	out := make([]time.Time, len(ds))
	for i, d := range ds {
		out[i] = d.Slot.UTC()
	}
	return out
}

// recordingSender is the boundary to the outside world: it records what it
// is asked to send. fail, if set, injects a provider's error.
type recordingSender struct {
	fail func(m steady.Message) error

	mu   sync.Mutex
	sent []steady.Message
}

func (s *recordingSender) Send(ctx context.Context, m steady.Message) (string, error) {
	if s.fail != nil {
		if err := s.fail(m); err != nil {
			return "", err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return fmt.Sprintf("provider-%d", m.DeliveryID), nil
}

func (s *recordingSender) messages() []steady.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// testComposer renders a minimal message; the real templates are tested in
// package templates.
type testComposer struct {
	fail error
}

func (c testComposer) Compose(d steady.Delivery, sub steady.Subscriber) (steady.Message, error) {
	if c.fail != nil {
		return steady.Message{}, c.fail
	}
	return steady.Message{
		Channel: sub.Channel,
		To:      sub.Address,
		Subject: string(d.Kind),
		Text:    d.PromptText,
	}, nil
}
