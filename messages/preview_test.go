package messages_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

var _ messages.PreviewStore = (*store.DB)(nil)

func TestPreviewSenderSavesIntoTheStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.SQLite(t)
	clock := steady.NewManualClock(testNow)
	sender := messages.NewPreviewSender(db, clock)

	m := testMessage()
	m.DeliveryID = 0 // no delivery row in this database
	m.ReplyURL = "https://steady.example.org/r/tok42"
	id, err := sender.Send(ctx, m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	clock.Advance(time.Minute)
	id2, err := sender.Send(ctx, m)
	if err != nil {
		t.Fatalf("second Send: %v", err)
	}
	if id == id2 {
		t.Errorf("two sends gave the same provider id %q", id)
	}

	previews, err := db.Previews(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(previews) != 2 {
		t.Fatalf("%d previews stored, want 2", len(previews))
	}
	// Newest first: the second send.
	p := previews[1]
	if want := fmt.Sprintf("preview-%d", p.ID); want != id {
		t.Errorf("provider id = %q, want %q", id, want)
	}
	if !p.CreatedAt.Equal(testNow) {
		t.Errorf("CreatedAt = %v, want the clock's %v", p.CreatedAt, testNow)
	}
	if p.To != m.To || p.Subject != m.Subject || p.Text != m.Text || p.HTML != m.HTML ||
		p.MessageID != m.MessageID || p.ReplyTo != m.ReplyTo || p.ReplyURL != m.ReplyURL ||
		p.Headers["List-Unsubscribe"] != testUnsub {
		t.Errorf("stored preview = %+v\nwant the message %+v", p.Message, m)
	}
}

// failingStore is a fault: the store refuses every save.
type failingStore struct{ err error }

func (f failingStore) SavePreview(context.Context, steady.Message, time.Time) (int64, error) {
	return 0, f.err
}

func TestPreviewSenderWrapsStoreErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	sender := messages.NewPreviewSender(failingStore{err: boom}, nil)
	_, err := sender.Send(context.Background(), testMessage())
	if !errors.Is(err, boom) {
		t.Fatalf("Send error = %v, want it to wrap %v", err, boom)
	}
}
