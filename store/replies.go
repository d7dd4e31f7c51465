package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/steadyapp/steady"
)

const replyColumns = `id, subscriber_id, delivery_id, channel, body, received_at, source_id`

type replyRow struct {
	ID           int64         `db:"id"`
	SubscriberID int64         `db:"subscriber_id"`
	DeliveryID   sql.NullInt64 `db:"delivery_id"`
	Channel      string        `db:"channel"`
	Body         string        `db:"body"`
	ReceivedAt   utcTime       `db:"received_at"`
	SourceID     string        `db:"source_id"`
}

// reply is the row as a Reply, its body opened.
func (r replyRow) reply(t *tx) (steady.Reply, error) {
	body, err := t.open(replyBody, r.ID, r.Body, r.SourceID)
	if err != nil {
		return steady.Reply{}, err
	}
	return steady.Reply{
		ID:           r.ID,
		SubscriberID: r.SubscriberID,
		DeliveryID:   r.DeliveryID.Int64,
		Channel:      steady.Channel(r.Channel),
		Body:         body,
		ReceivedAt:   r.ReceivedAt.time(),
		SourceID:     r.SourceID,
	}, nil
}

// replies turns rows into Replies, their bodies opened.
func replies(t *tx, rows []replyRow) ([]steady.Reply, error) {
	out := make([]steady.Reply, len(rows))
	for i, row := range rows {
		r, err := row.reply(t)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// RecordReply stores a reply; every channel calls it. Body and SourceID are
// first cleaned (steady.CleanText: NUL bytes removed, invalid UTF-8
// replaced), so validation judges what is stored: a body with nothing
// left is empty, one that grows past the limit is too long. The reply is
// validated (r.Validate, a known channel, a receive time); a non-zero
// DeliveryID must be one of the subscriber's deliveries. A reply whose
// SourceID was already recorded stores nothing and returns the stored reply
// with created false, even under concurrent duplicates; if that stored reply
// belongs to another subscriber the error wraps steady.ErrConflict.
func (db *DB) RecordReply(ctx context.Context, r steady.Reply) (stored steady.Reply, created bool, err error) {
	r.Body, r.SourceID = steady.CleanText(r.Body), steady.CleanText(r.SourceID)
	if err := checkReply(r); err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	defer tx.rollback()
	stored, created, err = recordReply(ctx, tx, r)
	if err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	if err := tx.commit(); err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	return stored, created, nil
}

func checkReply(r steady.Reply) error {
	if err := r.Validate(); err != nil {
		return err
	}
	switch r.Channel {
	case steady.ChannelEmail, steady.ChannelSMS, steady.ChannelWeb:
	default:
		return steady.Invalid("channel", "%q is not a channel", r.Channel)
	}
	if r.ReceivedAt.IsZero() {
		return steady.Invalid("received", "a reply needs the time it was received")
	}
	return nil
}

func recordReply(ctx context.Context, tx *tx, r steady.Reply) (steady.Reply, bool, error) {
	// Check before inserting: on PostgreSQL a failed foreign key would abort
	// the transaction.
	if _, err := getSubscriber(ctx, tx, r.SubscriberID); err != nil {
		return steady.Reply{}, false, fmt.Errorf("subscriber %d: %w", r.SubscriberID, err)
	}
	var deliveryID sql.NullInt64
	theme := ""
	if r.DeliveryID != 0 {
		d, err := getDelivery(ctx, tx, r.DeliveryID)
		if err != nil && !errors.Is(err, steady.ErrNotFound) {
			return steady.Reply{}, false, err
		}
		if err != nil || d.SubscriberID != r.SubscriberID {
			return steady.Reply{}, false, steady.Invalid("delivery", "the reply does not answer one of this subscriber's messages")
		}
		deliveryID = sql.NullInt64{Int64: r.DeliveryID, Valid: true}
		theme = d.Theme
	}
	// The flags are worked out once, now, from the body as stored.
	flags, version, harm := analyseReply(steady.CleanText(r.Body), theme)
	_, created, err := tx.insertID(ctx, `INSERT INTO replies (subscriber_id, delivery_id, channel, body, received_at, source_id,
			flags, analysis_version, harm)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source_id) DO NOTHING
		RETURNING id`,
		r.SubscriberID, deliveryID, string(r.Channel), tx.seal(replyBody, r.Body, r.SourceID), tx.ts(r.ReceivedAt), r.SourceID,
		flags, version, harm)
	if err != nil {
		return steady.Reply{}, false, err
	}
	var row replyRow
	if err := tx.get(ctx, &row, `SELECT `+replyColumns+` FROM replies WHERE source_id = ?`, r.SourceID); err != nil {
		return steady.Reply{}, false, err
	}
	if row.SubscriberID != r.SubscriberID {
		return steady.Reply{}, false, fmt.Errorf("%w: source id already recorded for another subscriber", steady.ErrConflict)
	}
	stored, err := row.reply(tx)
	return stored, created, err
}

// Replies returns the subscriber's replies, oldest first.
func (db *DB) Replies(ctx context.Context, subscriberID int64) ([]steady.Reply, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: replies of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var rows []replyRow
	if err := tx.sel(ctx, &rows, `SELECT `+replyColumns+` FROM replies
		WHERE subscriber_id = ? ORDER BY received_at, id`, subscriberID); err != nil {
		return nil, fmt.Errorf("store: replies of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: replies of %d: %w", subscriberID, err)
	}
	rs, err := replies(tx, rows)
	if err != nil {
		return nil, fmt.Errorf("store: replies of %d: %w", subscriberID, err)
	}
	return rs, nil
}
