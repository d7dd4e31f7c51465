package store

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

const deliveryColumns = `id, subscriber_id, kind, channel, slot, prompt_id, theme, prompt_text,
	status, attempts, next_attempt_at, provider_id, last_error, created_at, updated_at, sent_at,
	provider_status, provider_error, attempted_at, lease_until`

type deliveryRow struct {
	ID             int64   `db:"id"`
	SubscriberID   int64   `db:"subscriber_id"`
	Kind           string  `db:"kind"`
	Channel        string  `db:"channel"`
	Slot           utcTime `db:"slot"`
	PromptID       string  `db:"prompt_id"`
	Theme          string  `db:"theme"`
	PromptText     string  `db:"prompt_text"`
	Status         string  `db:"status"`
	Attempts       int     `db:"attempts"`
	NextAttemptAt  utcTime `db:"next_attempt_at"`
	ProviderID     string  `db:"provider_id"`
	LastError      string  `db:"last_error"`
	CreatedAt      utcTime `db:"created_at"`
	UpdatedAt      utcTime `db:"updated_at"`
	SentAt         utcTime `db:"sent_at"`
	ProviderStatus string  `db:"provider_status"`
	ProviderError  string  `db:"provider_error"`
	AttemptedAt    utcTime `db:"attempted_at"`
	LeaseUntil     utcTime `db:"lease_until"`
}

func (r deliveryRow) delivery() steady.Delivery {
	return steady.Delivery{
		ID:             r.ID,
		SubscriberID:   r.SubscriberID,
		Kind:           steady.Kind(r.Kind),
		Channel:        steady.Channel(r.Channel),
		Slot:           r.Slot.time(),
		PromptID:       r.PromptID,
		Theme:          r.Theme,
		PromptText:     r.PromptText,
		Status:         steady.DeliveryStatus(r.Status),
		Attempts:       r.Attempts,
		NextAttemptAt:  r.NextAttemptAt.time(),
		ProviderID:     r.ProviderID,
		LastError:      r.LastError,
		CreatedAt:      r.CreatedAt.time(),
		UpdatedAt:      r.UpdatedAt.time(),
		SentAt:         r.SentAt.time(),
		ProviderStatus: r.ProviderStatus,
		ProviderError:  r.ProviderError,
		AttemptedAt:    r.AttemptedAt.time(),
		LeaseUntil:     r.LeaseUntil.time(),
	}
}

func deliveries(rows []deliveryRow) []steady.Delivery {
	ds := make([]steady.Delivery, len(rows))
	for i, r := range rows {
		ds[i] = r.delivery()
	}
	return ds
}

// checkNewDelivery rejects, before any SQL runs, a delivery the schema's
// constraints would refuse: on PostgreSQL a failed statement would abort
// the whole transaction.
func checkNewDelivery(d steady.Delivery) error {
	switch d.Kind {
	case steady.KindPrompt, steady.KindConfirm, steady.KindGoodbye:
	default:
		return steady.Invalid("kind", "%q is not a delivery kind", d.Kind)
	}
	switch d.Channel {
	case steady.ChannelEmail, steady.ChannelSMS:
	default:
		return steady.Invalid("channel", "%q is not a delivery channel", d.Channel)
	}
	if d.Slot.IsZero() {
		return steady.Invalid("slot", "a delivery needs a slot")
	}
	return nil
}

// insertDelivery queues d (status queued, no attempts, due now) unless the
// subscriber already has a delivery of that kind for that slot. inserted
// says whether a row was written.
func insertDelivery(ctx context.Context, tx *tx, d steady.Delivery, now time.Time) (inserted bool, err error) {
	if err := checkNewDelivery(d); err != nil {
		return false, err
	}
	n, err := tx.exec(ctx, `INSERT INTO deliveries (subscriber_id, kind, channel, slot, prompt_id, theme, prompt_text,
			status, attempts, next_attempt_at, provider_id, last_error, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, '', '', ?, ?)
		ON CONFLICT (subscriber_id, kind, slot) DO NOTHING`,
		d.SubscriberID, string(d.Kind), string(d.Channel), tx.ts(d.Slot), d.PromptID, d.Theme, d.PromptText,
		tx.ts(now), tx.ts(now), tx.ts(now))
	if err != nil {
		return false, fmt.Errorf("queueing %s delivery: %w", d.Kind, err)
	}
	return n == 1, nil
}

func getDelivery(ctx context.Context, tx *tx, id int64) (steady.Delivery, error) {
	var r deliveryRow
	if err := tx.get(ctx, &r, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = ?`, id); err != nil {
		return steady.Delivery{}, notFound(err)
	}
	return r.delivery(), nil
}

// Delivery returns one delivery, or an error wrapping steady.ErrNotFound.
func (db *DB) Delivery(ctx context.Context, id int64) (steady.Delivery, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: delivery %d: %w", id, err)
	}
	defer tx.rollback()
	d, err := getDelivery(ctx, tx, id)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: delivery %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: delivery %d: %w", id, err)
	}
	return d, nil
}

// Deliveries returns the subscriber's deliveries ordered by slot, then id.
func (db *DB) Deliveries(ctx context.Context, subscriberID int64) ([]steady.Delivery, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var rows []deliveryRow
	if err := tx.sel(ctx, &rows, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE subscriber_id = ? ORDER BY slot, id`, subscriberID); err != nil {
		return nil, fmt.Errorf("store: deliveries of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: deliveries of %d: %w", subscriberID, err)
	}
	return deliveries(rows), nil
}

// LatestPrompt returns the subscriber's latest sent prompt (by slot), or an
// error wrapping steady.ErrNotFound if none was sent.
func (db *DB) LatestPrompt(ctx context.Context, subscriberID int64) (steady.Delivery, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: latest prompt of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var r deliveryRow
	if err := tx.get(ctx, &r, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE subscriber_id = ? AND kind = 'prompt' AND status = 'sent'
		ORDER BY slot DESC, id DESC LIMIT 1`, subscriberID); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: latest prompt of %d: %w", subscriberID, notFound(err))
	}
	if err := tx.commit(); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: latest prompt of %d: %w", subscriberID, err)
	}
	return r.delivery(), nil
}
