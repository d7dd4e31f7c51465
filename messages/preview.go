package messages

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// PreviewStore keeps previewed messages. store.DB satisfies it.
type PreviewStore interface {
	SavePreview(ctx context.Context, m steady.Message, now time.Time) (int64, error)
}

// PreviewSender "sends" a message by saving it for /outbox, so a fresh
// install shows the whole loop without an SMTP server.
type PreviewSender struct {
	store PreviewStore
	clock steady.Clock
}

var _ Sender = (*PreviewSender)(nil)

// NewPreviewSender returns a sender that saves into st. A nil clock means
// the system clock.
func NewPreviewSender(st PreviewStore, clock steady.Clock) *PreviewSender {
	if st == nil {
		panic("messages: NewPreviewSender needs a PreviewStore")
	}
	if clock == nil {
		clock = steady.SystemClock{}
	}
	return &PreviewSender{store: st, clock: clock}
}

// Send saves m and returns "preview-<id>".
func (p *PreviewSender) Send(ctx context.Context, m steady.Message) (string, error) {
	id, err := p.store.SavePreview(ctx, m, p.clock.Now().UTC())
	if err != nil {
		return "", fmt.Errorf("messages: save preview: %w", err)
	}
	return fmt.Sprintf("preview-%d", id), nil
}
