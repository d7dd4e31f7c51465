package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

const subscriberColumns = `id, channel, address, timezone, schedule, status, next_slot,
	requested_timezone, requested_schedule, paused_until, confirm_sent_at,
	created_at, confirmed_at, unsubscribed_at, address_invalid_at, bouncing_at,
	discreet, summaries_off, resurface`

type subscriberRow struct {
	ID                int64          `db:"id"`
	Channel           string         `db:"channel"`
	Address           string         `db:"address"`
	TimeZone          string         `db:"timezone"`
	Schedule          string         `db:"schedule"`
	Status            string         `db:"status"`
	NextSlot          utcTime        `db:"next_slot"`
	RequestedTimeZone sql.NullString `db:"requested_timezone"`
	RequestedSchedule sql.NullString `db:"requested_schedule"`
	PausedUntil       utcTime        `db:"paused_until"`
	ConfirmSentAt     utcTime        `db:"confirm_sent_at"`
	CreatedAt         utcTime        `db:"created_at"`
	ConfirmedAt       utcTime        `db:"confirmed_at"`
	UnsubscribedAt    utcTime        `db:"unsubscribed_at"`
	AddressInvalidAt  utcTime        `db:"address_invalid_at"`
	BouncingAt        utcTime        `db:"bouncing_at"`
	Discreet          bool           `db:"discreet"`
	SummariesOff      bool           `db:"summaries_off"`
	Resurface         bool           `db:"resurface"`
}

func (r subscriberRow) subscriber() (steady.Subscriber, error) {
	sched, err := steady.ParseSchedule(r.Schedule)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("subscriber %d: schedule: %w", r.ID, err)
	}
	s := steady.Subscriber{
		ID:                r.ID,
		Channel:           steady.Channel(r.Channel),
		Address:           r.Address,
		TimeZone:          r.TimeZone,
		Schedule:          sched,
		Status:            steady.Status(r.Status),
		NextSlot:          r.NextSlot.time(),
		RequestedTimeZone: r.RequestedTimeZone.String,
		PausedUntil:       r.PausedUntil.time(),
		ConfirmSentAt:     r.ConfirmSentAt.time(),
		CreatedAt:         r.CreatedAt.time(),
		ConfirmedAt:       r.ConfirmedAt.time(),
		UnsubscribedAt:    r.UnsubscribedAt.time(),
		AddressInvalidAt:  r.AddressInvalidAt.time(),
		BouncingAt:        r.BouncingAt.time(),
		Preferences:       steady.Preferences{Discreet: r.Discreet, SummariesOff: r.SummariesOff, Resurface: r.Resurface},
	}
	if r.RequestedSchedule.Valid {
		req, err := steady.ParseSchedule(r.RequestedSchedule.String)
		if err != nil {
			return steady.Subscriber{}, fmt.Errorf("subscriber %d: requested schedule: %w", r.ID, err)
		}
		s.RequestedSchedule = &req
	}
	return s, nil
}

// Subscriber returns one subscriber, or an error wrapping steady.ErrNotFound.
func (db *DB) Subscriber(ctx context.Context, id int64) (steady.Subscriber, error) {
	// One statement, without a transaction: the dispatcher asks before
	// every send.
	var r subscriberRow
	if err := db.readOne(ctx, &r, `SELECT `+subscriberColumns+` FROM subscribers WHERE id = ?`, id); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: subscriber %d: %w", id, notFound(err))
	}
	s, err := r.subscriber()
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: subscriber %d: %w", id, err)
	}
	return s, nil
}

// SubscribersBatch is how many subscribers one statement of Subscribers
// reads: the statement always has this many ids (repeated to fill it),
// so it is prepared once.
const SubscribersBatch = 8

// Subscribers returns the subscribers with these ids, in no particular
// order; an id no subscriber has is left out. Each SubscribersBatch ids
// are one statement without a transaction, like Subscriber: the
// dispatcher checks the subscribers of the deliveries it claimed together
// with one read.
func (db *DB) Subscribers(ctx context.Context, ids []int64) ([]steady.Subscriber, error) {
	query := `SELECT ` + subscriberColumns + ` FROM subscribers WHERE id IN (?` + strings.Repeat(", ?", SubscribersBatch-1) + `)`
	var out []steady.Subscriber
	for len(ids) > 0 {
		n := min(len(ids), SubscribersBatch)
		args := make([]any, SubscribersBatch)
		for i := range args {
			args[i] = ids[min(i, n-1)]
		}
		ids = ids[n:]
		var rows []subscriberRow
		if err := db.readAll(ctx, &rows, query, args...); err != nil {
			return nil, fmt.Errorf("store: subscribers: %w", err)
		}
		for _, r := range rows {
			s, err := r.subscriber()
			if err != nil {
				return nil, fmt.Errorf("store: subscriber %d: %w", r.ID, err)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// SubscriberByAddress finds the subscriber with this address on this
// channel, or returns an error wrapping steady.ErrNotFound. The address must
// be in its stored (normalized) form.
func (db *DB) SubscriberByAddress(ctx context.Context, ch steady.Channel, address string) (steady.Subscriber, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: subscriber by address: %w", err)
	}
	defer tx.rollback()
	// One statement, not the id and then the row: the webhook asks for
	// every text.
	var r subscriberRow
	if err := tx.get(ctx, &r, `SELECT `+subscriberColumns+` FROM subscribers WHERE channel = ? AND address = ?`, string(ch), address); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: subscriber by address: %w", notFound(err))
	}
	s, err := r.subscriber()
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: subscriber by address: %w", err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: subscriber by address: %w", err)
	}
	return s, nil
}

// ListSubscribers returns every subscriber, ordered by id, all in memory at
// once (about 600 bytes each in flight): for small lists and tests. Code
// that walks a list of any size uses EachSubscriber.
func (db *DB) ListSubscribers(ctx context.Context) ([]steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: list subscribers: %w", err)
	}
	defer tx.rollback()
	var rows []subscriberRow
	if err := tx.sel(ctx, &rows, `SELECT `+subscriberColumns+` FROM subscribers ORDER BY id`); err != nil {
		return nil, fmt.Errorf("store: list subscribers: %w", err)
	}
	subs := make([]steady.Subscriber, 0, len(rows))
	for _, r := range rows {
		s, err := r.subscriber()
		if err != nil {
			return nil, fmt.Errorf("store: list subscribers: %w", err)
		}
		subs = append(subs, s)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: list subscribers: %w", err)
	}
	return subs, nil
}

func getSubscriber(ctx context.Context, tx *tx, id int64) (steady.Subscriber, error) {
	var r subscriberRow
	if err := tx.get(ctx, &r, `SELECT `+subscriberColumns+` FROM subscribers WHERE id = ?`, id); err != nil {
		return steady.Subscriber{}, notFound(err)
	}
	return r.subscriber()
}

func subscriberID(ctx context.Context, tx *tx, ch steady.Channel, address string) (int64, error) {
	var id int64
	err := tx.get(ctx, &id, `SELECT id FROM subscribers WHERE channel = ? AND address = ?`, string(ch), address)
	return id, notFound(err)
}

// lockSubscriber locks the subscriber's row until the transaction ends and
// returns it, for a read-modify-write.
func lockSubscriber(ctx context.Context, tx *tx, id int64) (steady.Subscriber, error) {
	var locked int64
	if err := tx.get(ctx, &locked, tx.dialect.lockSubscriber, id); err != nil {
		return steady.Subscriber{}, notFound(err)
	}
	return getSubscriber(ctx, tx, id)
}

// updateSubscriber writes every field a subscriber's life changes.
func updateSubscriber(ctx context.Context, tx *tx, s steady.Subscriber) error {
	var requested sql.NullString
	if s.RequestedSchedule != nil {
		requested = nullString(s.RequestedSchedule.String())
	}
	// A new zone or prompt time moves the next summary: 1970 has the
	// summary service work it out again.
	_, err := tx.exec(ctx, `UPDATE subscribers SET
			next_summary_at = CASE WHEN timezone = ? AND schedule = ? THEN next_summary_at ELSE ? END,
			timezone = ?, schedule = ?, status = ?, next_slot = ?,
			requested_timezone = ?, requested_schedule = ?, paused_until = ?,
			confirm_sent_at = ?, confirmed_at = ?, unsubscribed_at = ?
		WHERE id = ?`,
		s.TimeZone, s.Schedule.String(), tx.ts(time.Unix(0, 0)),
		s.TimeZone, s.Schedule.String(), string(s.Status), tx.ts(s.NextSlot),
		nullString(s.RequestedTimeZone), requested, tx.ts(s.PausedUntil),
		tx.ts(s.ConfirmSentAt), tx.ts(s.ConfirmedAt), tx.ts(s.UnsubscribedAt),
		s.ID)
	return err
}

// DeleteSubscriber erases the subscriber and everything about them: their
// consents, deliveries, replies and preview messages (by cascade). What
// compliance needs of their consent records is kept first, in the same
// transaction, under hasher's keyed hash of their address (see
// keepComplianceRecords): their confirmations and opt-outs, never the
// address. It returns an error wrapping steady.ErrNotFound if there is no
// such subscriber; a nil hasher is refused.
func (db *DB) DeleteSubscriber(ctx context.Context, id int64, hasher AddressHasher) error {
	if hasher == nil {
		return fmt.Errorf("store: delete subscriber %d: %w", id, errNoHasher)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: delete subscriber %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := getSubscriber(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("store: delete subscriber %d: %w", id, err)
	}
	hash, err := hasher.HashAddress(sub.Channel, sub.Address)
	if err != nil {
		return fmt.Errorf("store: delete subscriber %d: hashing the address: %w", id, err)
	}
	if err := keepComplianceRecords(ctx, tx, sub, hash); err != nil {
		return fmt.Errorf("store: delete subscriber %d: %w", id, err)
	}
	// Preview copies of deliveries go with them by cascade; copies of
	// summaries and safety notes name no delivery, only the address.
	if _, err := tx.exec(ctx, `DELETE FROM preview_messages WHERE channel = ? AND to_address = ?`,
		string(sub.Channel), sub.Address); err != nil {
		return fmt.Errorf("store: delete subscriber %d: previews: %w", id, err)
	}
	// Mail from their address that was held aside (not filed) is theirs too.
	if sub.Channel == steady.ChannelEmail {
		if _, err := tx.exec(ctx, `DELETE FROM inbound_held WHERE sender_hash = ?`, hash); err != nil {
			return fmt.Errorf("store: delete subscriber %d: held mail: %w", id, err)
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM subscribers WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete subscriber %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: delete subscriber %d: %w", id, err)
	}
	return nil
}
