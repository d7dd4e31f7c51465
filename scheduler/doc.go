// Package scheduler turns subscribers' schedules into deliveries and sends
// them.
//
// The Scheduler ticks once a minute and claims every due prompt slot into the
// outbox (store.ClaimDue), a batch of subscribers per transaction: one
// delivery per (subscriber, kind, slot), written before anything is sent,
// with the subscriber's next slot advanced in the same transaction. A batch
// is a few set-based statements whatever its size, and holds one batch of
// subscribers in memory, never the whole list. The Dispatcher then renders and sends queued deliveries,
// recording each outcome; a delivery whose send may or may not have reached
// the provider is marked unknown and never sent again by itself.
//
// Both are services with Start(ctx)/Stop(ctx), and do their work in an
// unexported runOnce(ctx, now) that tests call with a chosen time.
package scheduler
