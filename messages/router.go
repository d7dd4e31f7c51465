package messages

import (
	"context"
	"fmt"

	"github.com/steadyapp/steady"
)

// Router sends each message through the sender for its channel.
type Router map[steady.Channel]Sender

var _ Sender = Router(nil)

// Send hands m to the sender for m.Channel; a channel with no sender is
// rejected for good.
func (r Router) Send(ctx context.Context, m steady.Message) (string, error) {
	s, ok := r[m.Channel]
	if !ok || s == nil {
		return "", fmt.Errorf("messages: %w: no sender for channel %q", steady.ErrRejected, m.Channel)
	}
	return s.Send(ctx, m)
}
