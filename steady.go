// Package steady holds Steady's domain types: subscribers, their schedules,
// deliveries (the outbox), replies, prompts and the errors every layer shares.
//
// It imports nothing that touches the network or the disk, so every other
// package (store, scheduler, messages, templates, web) can depend on it.
package steady

// Channel is how a subscriber is reached and how they reply.
type Channel string

// The channels Steady speaks. SMS arrives with the SMS channel issue; the
// constant exists now so the schema and the outbox need no rework.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
	// ChannelWeb is used for replies written on the reply page.
	ChannelWeb Channel = "web"
)

// Status is where a subscriber stands.
type Status string

// Subscriber statuses. Only StatusActive subscribers are sent prompts.
const (
	StatusPending      Status = "pending"      // asked to subscribe, not yet confirmed
	StatusActive       Status = "active"       // confirmed; receives prompts
	StatusPaused       Status = "paused"       // confirmed, temporarily receives nothing
	StatusUnsubscribed Status = "unsubscribed" // opted out; receives nothing
)
