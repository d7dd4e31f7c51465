package templates

import (
	"time"

	steady "github.com/steadyapp/steady"
)

// Links builds the URLs and addresses a message carries. The links
// package satisfies it with signed tokens.
type Links interface {
	ConfirmURL(sub steady.Subscriber) string
	UnsubscribeURL(sub steady.Subscriber) string
	SettingsURL(sub steady.Subscriber) string                  // the subscriber's settings page
	MoveURL(sub steady.Subscriber, requested time.Time) string // confirms a move to a new address
	UnsubscribeMailto(sub steady.Subscriber) string            // "mailto:...?subject=unsubscribe"
	ReplyURL(d steady.Delivery) string
	ReplyAddress(d steady.Delivery) string  // plus-address carrying the delivery token
	MessageID(d steady.Delivery) string     // without angle brackets
	BounceAddress(d steady.Delivery) string // VERP envelope sender carrying the delivery's bounce token
}
