// Package messages sends rendered messages, one sender per channel: email
// over SMTP (go-mail), and a preview sender that keeps messages in the
// database instead of sending them, shown at /outbox.
//
// Every sender satisfies Sender. Its error says whether to try again:
//
//   - nil: the provider accepted the message; providerID identifies it.
//   - wraps steady.ErrRejected: the provider (or this package) refused the
//     message for good; retrying will not help.
//   - wraps steady.ErrOutcomeUnknown: the message may already have been
//     accepted; the caller must not send it again by itself. Only the SMS
//     sender says this: email is resent with the same Message-ID instead.
//   - anything else: try again later. Nothing was delivered, or (email
//     only) the server may have it and a copy with the same Message-ID is
//     harmless.
//
// A sender calls steady.BeginAttempt just before its first network write,
// after any wait, so the caller can record that the message is in flight.
package messages

import (
	"context"

	"github.com/steadyapp/steady"
)

// Sender sends one message to one recipient.
type Sender interface {
	Send(ctx context.Context, m steady.Message) (providerID string, err error)
}
