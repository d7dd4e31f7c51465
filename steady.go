// Package steady holds Steady's domain types: subscribers, their schedules,
// deliveries (the outbox), replies, prompts and the errors every layer shares.
//
// It imports nothing that touches the network or the disk, so every other
// package (store, scheduler, messages, templates, web) can depend on it.
package steady

// Channel is how a subscriber is reached and how they reply.
type Channel string

// The channels Steady speaks.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
	// ChannelWeb is used for replies written on the reply page.
	ChannelWeb Channel = "web"
)

// ResendSafe reports whether a message on the channel may be sent again
// when it is not known whether the first copy arrived. Email may: every
// retry carries the same Message-ID, which receivers use to drop a copy
// they already have, so email is at-least-once. SMS may not: Twilio has no
// idempotency key, so a text whose send was started and whose outcome is
// unknown is never resent by itself (at-most-once for what was in flight).
func (c Channel) ResendSafe() bool { return c == ChannelEmail }

// Status is where a subscriber stands.
type Status string

// Subscriber statuses. Only StatusActive subscribers are sent prompts.
const (
	StatusPending      Status = "pending"      // asked to subscribe, not yet confirmed
	StatusActive       Status = "active"       // confirmed; receives prompts
	StatusPaused       Status = "paused"       // confirmed, temporarily receives nothing
	StatusUnsubscribed Status = "unsubscribed" // opted out; receives nothing
)
