package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// MarkAddressInvalid records that the provider says the subscriber's
// address cannot receive messages (Twilio 21211, 21614): address_invalid_at
// is set, next_slot cleared and queued deliveries cancelled with last_error
// "address invalid". The status is kept, so the record still says what the
// person agreed to; a new sign-up clears the mark. Idempotent.
func (db *DB) MarkAddressInvalid(ctx context.Context, id int64, now time.Time) (steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: mark address invalid %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: mark address invalid %d: %w", id, err)
	}
	if sub.AddressInvalidAt.IsZero() {
		if _, err := tx.exec(ctx, `UPDATE subscribers SET address_invalid_at = ?, next_slot = NULL WHERE id = ?`,
			tx.ts(now), id); err != nil {
			return steady.Subscriber{}, fmt.Errorf("store: mark address invalid %d: %w", id, err)
		}
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'cancelled', last_error = 'address invalid', updated_at = ?
		WHERE subscriber_id = ? AND status = 'queued'`, tx.ts(now), id); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: mark address invalid %d: cancelling deliveries: %w", id, err)
	}
	sub, err = getSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: mark address invalid %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: mark address invalid %d: %w", id, err)
	}
	return sub, nil
}

// clearAddressInvalid removes the mark when the person signs up again.
func clearAddressInvalid(ctx context.Context, tx *tx, id int64) error {
	_, err := tx.exec(ctx, `UPDATE subscribers SET address_invalid_at = NULL WHERE id = ?`, id)
	return err
}

// Pause stops prompts until until: paused_until is set and next_slot moves
// to next(subscriber) computed from until, so prompts resume by themselves
// and the scheduler needs no extra state. The status stays active (a
// paused subscriber is an active one with paused_until in the future).
// Prompts already queued are cancelled (last_error "paused"). Only an
// active subscriber can pause; others get an error wrapping
// steady.ErrConflict.
func (db *DB) Pause(ctx context.Context, id int64, until, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error) {
	return db.setPause(ctx, id, until, now, next)
}

// Resume ends a pause: paused_until is cleared and next_slot becomes
// next(subscriber) from now. Only an active subscriber can resume.
func (db *DB) Resume(ctx context.Context, id int64, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error) {
	return db.setPause(ctx, id, time.Time{}, now, next)
}

func (db *DB) setPause(ctx context.Context, id int64, until, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error) {
	if next == nil {
		return steady.Subscriber{}, errors.New("store: pause: no next-slot function given")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: pause %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: pause %d: %w", id, err)
	}
	if sub.Status != steady.StatusActive {
		return steady.Subscriber{}, fmt.Errorf("store: pause %d: %w: the subscriber is %s", id, steady.ErrConflict, sub.Status)
	}
	from := now
	if !until.IsZero() && until.After(now) {
		from = until
	}
	sub.PausedUntil = until
	if sub.NextSlot, err = next(sub, from); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: pause %d: next slot: %w", id, err)
	}
	if err := updateSubscriber(ctx, tx, sub); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: pause %d: %w", id, err)
	}
	if !until.IsZero() {
		// A prompt queued before the pause stays unsent.
		if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'cancelled', last_error = 'paused', updated_at = ?
			WHERE subscriber_id = ? AND kind = 'prompt' AND status = 'queued'`, tx.ts(now), id); err != nil {
			return steady.Subscriber{}, fmt.Errorf("store: pause %d: cancelling prompts: %w", id, err)
		}
	}
	sub, err = getSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: pause %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: pause %d: %w", id, err)
	}
	return sub, nil
}

// deliveryByProviderID finds the delivery a provider's id names. Its
// second condition, that the id is not empty, is what lets both databases
// use the partial index deliveries_provider_id (migration 0016), which
// leaves out the empty id of every prompt not yet sent; RecordProviderStatus
// never asks for an empty id.
const deliveryByProviderID = `SELECT ` + deliveryColumns + ` FROM deliveries
	WHERE provider_id = ? AND provider_id <> ''`

// ProviderStatuses are the delivery statuses a provider's status callback
// may report (Twilio's names), in the order a message moves through them.
var ProviderStatuses = map[string]int{
	"accepted": 1, "scheduled": 1, "queued": 2, "sending": 3, "sent": 4,
	"delivered": 5, "undelivered": 5, "failed": 5, "read": 6,
}

// RecordProviderStatus applies a provider's status callback to the
// delivery it sent as providerID. The provider status and error code are
// kept; a status never moves backwards (callbacks can arrive out of order).
// "undelivered" and "failed" mark a sent delivery failed, with the error
// code in last_error. An unknown status is a validation error; an unknown
// providerID wraps steady.ErrNotFound.
func (db *DB) RecordProviderStatus(ctx context.Context, providerID, status, errorCode string, now time.Time) (steady.Delivery, error) {
	// Cleaned first, as the stored text is (a stray NUL does not make
	// "delivered" unknown).
	status = steady.CleanText(status)
	rank, ok := ProviderStatuses[status]
	if !ok {
		return steady.Delivery{}, fmt.Errorf("store: provider status: %w", steady.Invalid("MessageStatus", "%q is not a message status", status))
	}
	if providerID == "" {
		return steady.Delivery{}, fmt.Errorf("store: provider status: %w", steady.Invalid("MessageSid", "a message id is required"))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: provider status: %w", err)
	}
	defer tx.rollback()
	var r deliveryRow
	if err := tx.get(ctx, &r, deliveryByProviderID, providerID); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: provider status: %w", notFound(err))
	}
	if rank >= ProviderStatuses[r.ProviderStatus] {
		perr := r.ProviderError
		if errorCode != "" {
			perr = errorCode
		}
		if _, err := tx.exec(ctx, `UPDATE deliveries SET provider_status = ?, provider_error = ?, updated_at = ? WHERE id = ?`,
			status, perr, tx.ts(now), r.ID); err != nil {
			return steady.Delivery{}, fmt.Errorf("store: provider status: %w", err)
		}
		if (status == "undelivered" || status == "failed") && r.Status == string(steady.DeliverySent) {
			msg := "provider reports " + status
			if perr != "" {
				msg += ", error " + perr
			}
			if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'failed', last_error = ? WHERE id = ?`, msg, r.ID); err != nil {
				return steady.Delivery{}, fmt.Errorf("store: provider status: %w", err)
			}
		}
	}
	d, err := getDelivery(ctx, tx, r.ID)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: provider status: %w", err)
	}
	if err := tx.commit(); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: provider status: %w", err)
	}
	return d, nil
}

// RecordInboundEvent notes that the webhook event sourceID (e.g. "twilio:"
// + MessageSid) was handled at now. created is false if it already was: the
// caller then does nothing, so a replayed webhook changes nothing.
func (db *DB) RecordInboundEvent(ctx context.Context, sourceID string, now time.Time) (created bool, err error) {
	if sourceID == "" {
		return false, fmt.Errorf("store: inbound event: %w", steady.Invalid("source", "an event needs a source id"))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return false, fmt.Errorf("store: inbound event: %w", err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, `INSERT INTO inbound_events (source_id, received_at) VALUES (?, ?)
		ON CONFLICT (source_id) DO NOTHING`, sourceID, tx.ts(now))
	if err != nil {
		return false, fmt.Errorf("store: inbound event: %w", err)
	}
	if err := tx.commit(); err != nil {
		return false, fmt.Errorf("store: inbound event: %w", err)
	}
	return n == 1, nil
}

// SentPrompt is what an inbound text needs of the latest prompt sent to
// its subscriber: which one it was, its theme and when it went.
type SentPrompt struct {
	ID     int64
	Theme  string
	SentAt time.Time
}

// SubscriberAndLatestPrompt is SubscriberByAddress and LatestPrompt in one
// statement, for the SMS webhook, which asks both for every text: the
// subscriber with this address on this channel (an error wrapping
// steady.ErrNotFound if none) and their latest sent prompt by slot (a zero
// SentPrompt if none was sent).
func (db *DB) SubscriberAndLatestPrompt(ctx context.Context, ch steady.Channel, address string) (steady.Subscriber, SentPrompt, error) {
	// On PostgreSQL, outside Atomically, the calls made at the same time
	// share one statement (lookupBatcher).
	if _, nested := ctx.Value(txKey{db}).(*tx); !nested && db.lookups != nil {
		return db.lookups.do(ctx, ch, address)
	}
	// One statement, outside a transaction unless ctx carries one
	// (readOne). The prompt is looked up by the subscriber's id as a
	// value (an InitPlan on PostgreSQL): joined on a correlated subquery
	// instead, PostgreSQL hashed the whole deliveries table for every
	// text.
	var r subscriberAndPromptRow
	if err := db.readOne(ctx, &r, `WITH s AS (SELECT `+subscriberColumns+` FROM subscribers WHERE channel = ? AND address = ?),
		p AS (SELECT id, theme, sent_at FROM deliveries
			WHERE subscriber_id = (SELECT id FROM s) AND kind = 'prompt' AND status = 'sent'
			ORDER BY slot DESC, id DESC LIMIT 1)
		SELECT s.*, p.id AS prompt_id, p.theme AS prompt_theme, p.sent_at AS prompt_sent_at
		FROM s LEFT JOIN p ON true`, string(ch), address); err != nil {
		return steady.Subscriber{}, SentPrompt{}, fmt.Errorf("store: subscriber and latest prompt: %w", notFound(err))
	}
	s, err := r.subscriber()
	if err != nil {
		return steady.Subscriber{}, SentPrompt{}, fmt.Errorf("store: subscriber and latest prompt: %w", err)
	}
	return s, r.prompt(), nil
}
