package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// Errors from RequestMove and ConfirmMove.
var (
	// ErrAddressTaken: the new address belongs to another subscriber. The
	// message names nobody.
	ErrAddressTaken = errors.New("this address is already signed up")
	// ErrAddressStopped: the new address asked to stop (or a kept opt-out
	// of an erased subscriber holds), so only its owner may bring messages
	// back (by signing up from it, or START from the number).
	ErrAddressStopped = errors.New("this address asked to stop receiving messages")
	// ErrNoMove: no pending move matches (it was confirmed already, a newer
	// one replaced it, or none was asked for).
	ErrNoMove = errors.New("no such move waiting to be confirmed")
)

// ChannelMove is a subscriber's request to move to a new address.
type ChannelMove struct {
	ID           int64
	SubscriberID int64
	Channel      steady.Channel
	Address      string
	RequestedAt  time.Time
	ConfirmedAt  time.Time
}

type moveRow struct {
	ID           int64   `db:"id"`
	SubscriberID int64   `db:"subscriber_id"`
	Channel      string  `db:"channel"`
	Address      string  `db:"address"`
	RequestedAt  utcTime `db:"requested_at"`
	ConfirmedAt  utcTime `db:"confirmed_at"`
}

func (r moveRow) move() ChannelMove {
	return ChannelMove{ID: r.ID, SubscriberID: r.SubscriberID, Channel: steady.Channel(r.Channel), Address: r.Address,
		RequestedAt: r.RequestedAt.time(), ConfirmedAt: r.ConfirmedAt.time()}
}

const moveColumns = `id, subscriber_id, channel, address, requested_at, confirmed_at`

// MoveRequest is a subscriber asking, on their settings page, to move to
// a new email address or phone number.
type MoveRequest struct {
	SubscriberID int64
	Channel      steady.Channel
	Address      string // normalized
	// AddressHash is the keyed hash of Address, under which an erased
	// subscriber's opt-out is kept; empty, none is looked for.
	AddressHash string
	// Consent is what the subscriber agreed to for the new address
	// (Method, IP, Wording); Action and At are set here.
	Consent steady.Consent
	// Limits are the abuse limits of a sign-up to Address (all are taken:
	// a move always queues a confirmation).
	Limits []RateLimit
	Now    time.Time
}

// RequestMove records a move request in one transaction: it replaces any
// pending move of the subscriber, records the requested consent and queues
// the confirmation to the new address (a KindConfirm delivery marked
// steady.MovePromptID, on the new channel). The subscriber keeps their
// channel and address until ConfirmMove. It refuses, storing nothing: a
// subscriber who is not active or paused (steady.ErrConflict); the
// subscriber's own current address, or a malformed one (steady.Invalid); an
// address of another subscriber (ErrAddressTaken); one that asked to stop
// (ErrAddressStopped); and a request over one of Limits (*LimitError).
func (db *DB) RequestMove(ctx context.Context, req MoveRequest) (ChannelMove, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return ChannelMove{}, fmt.Errorf("store: request move: %w", err)
	}
	defer tx.rollback()
	mv, err := requestMove(ctx, tx, req)
	if err != nil {
		return ChannelMove{}, fmt.Errorf("store: request move: %w", err)
	}
	if err := tx.commit(); err != nil {
		return ChannelMove{}, fmt.Errorf("store: request move: %w", err)
	}
	return mv, nil
}

func requestMove(ctx context.Context, tx *tx, req MoveRequest) (ChannelMove, error) {
	if req.Now.IsZero() {
		return ChannelMove{}, errors.New("no time given")
	}
	sub, err := lockSubscriber(ctx, tx, req.SubscriberID)
	if err != nil {
		return ChannelMove{}, err
	}
	if sub.Status != steady.StatusActive && sub.Status != steady.StatusPaused {
		return ChannelMove{}, fmt.Errorf("the subscriber is %s: %w", sub.Status, steady.ErrConflict)
	}
	check := sub
	check.Channel, check.Address = req.Channel, req.Address
	if err := check.Validate(); err != nil {
		return ChannelMove{}, err
	}
	if sub.Channel == req.Channel && sub.Address == req.Address {
		return ChannelMove{}, steady.Invalid("address", "this is the address you already use")
	}
	if err := moveTarget(ctx, tx, req.SubscriberID, req.Channel, req.Address, req.AddressHash); err != nil {
		return ChannelMove{}, err
	}
	if err := takeLimits(ctx, tx, req.Limits, false, req.Now); err != nil {
		return ChannelMove{}, err
	}
	if err := takeLimits(ctx, tx, req.Limits, true, req.Now); err != nil {
		return ChannelMove{}, err
	}
	// A newer request replaces the pending one (its link then opens
	// nothing) and its confirmation, if still queued.
	if _, err := tx.exec(ctx, `DELETE FROM channel_moves WHERE subscriber_id = ? AND confirmed_at IS NULL`, sub.ID); err != nil {
		return ChannelMove{}, err
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'cancelled', last_error = 'replaced by a newer move', updated_at = ?
		WHERE subscriber_id = ? AND kind = 'confirm' AND prompt_id = ? AND status = 'queued'`,
		tx.ts(req.Now), sub.ID, steady.MovePromptID); err != nil {
		return ChannelMove{}, err
	}
	// The confirmation's slot is the request's time, which binds its link;
	// another confirmation or notice of the same instant (slots are
	// unique per subscriber and kind) moves it on by a microsecond. It is
	// never on a whole second, where the notice of the move's confirmation
	// (QueueNotice's slot) may fall.
	now := req.Now.UTC().Truncate(time.Microsecond)
	if now.Equal(now.Truncate(time.Second)) {
		now = now.Add(time.Microsecond)
	}
	queued := false
	for try := 0; !queued; try++ {
		if try > 0 {
			now = now.Add(time.Microsecond)
		}
		if try == 10 {
			return ChannelMove{}, fmt.Errorf("a message for this moment is already queued; try again: %w", steady.ErrConflict)
		}
		if queued, err = insertDelivery(ctx, tx, steady.Delivery{SubscriberID: sub.ID, Kind: steady.KindConfirm,
			Channel: req.Channel, Slot: now, PromptID: steady.MovePromptID}, req.Now); err != nil {
			return ChannelMove{}, err
		}
	}
	id, _, err := tx.insertID(ctx, `INSERT INTO channel_moves (subscriber_id, channel, address, requested_at)
		VALUES (?, ?, ?, ?) RETURNING id`, sub.ID, string(req.Channel), req.Address, tx.ts(now))
	if err != nil {
		return ChannelMove{}, err
	}
	consent := req.Consent
	consent.Action, consent.At = steady.ConsentRequested, req.Now
	consent.Wording = moveWording(req.Channel, consent.Wording)
	if err := insertConsent(ctx, tx, sub.ID, consent); err != nil {
		return ChannelMove{}, err
	}
	return ChannelMove{ID: id, SubscriberID: sub.ID, Channel: req.Channel, Address: req.Address, RequestedAt: now}, nil
}

// moveWording is the consent wording recorded for a move: which channel
// it is for, then what the subscriber agreed to.
func moveWording(ch steady.Channel, wording string) string {
	what := "email address"
	if ch == steady.ChannelSMS {
		what = "phone number"
	}
	return "Move to a new " + what + ". " + wording
}

// moveTarget refuses an address another subscriber has (ErrAddressTaken)
// or that asked to stop (ErrAddressStopped).
func moveTarget(ctx context.Context, tx *tx, self int64, ch steady.Channel, address, hash string) error {
	id, err := subscriberID(ctx, tx, ch, address)
	switch {
	case errors.Is(err, steady.ErrNotFound):
	case err != nil:
		return err
	case id == self:
	default:
		other, err := getSubscriber(ctx, tx, id)
		if err != nil {
			return err
		}
		if !other.UnsubscribedAt.IsZero() {
			return ErrAddressStopped
		}
		return ErrAddressTaken
	}
	optOut, err := keptOptOut(ctx, tx, ch, hash)
	if err != nil {
		return err
	}
	if !optOut.IsZero() {
		return ErrAddressStopped
	}
	return nil
}

// PendingMove is the subscriber's move waiting to be confirmed, or an
// error wrapping ErrNoMove.
func (db *DB) PendingMove(ctx context.Context, subscriberID int64) (ChannelMove, error) {
	var r moveRow
	err := db.readTx(ctx, func(tx *tx) error {
		return tx.get(ctx, &r, `SELECT `+moveColumns+` FROM channel_moves WHERE subscriber_id = ? AND confirmed_at IS NULL`, subscriberID)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return ChannelMove{}, fmt.Errorf("store: pending move of %d: %w", subscriberID, ErrNoMove)
	}
	if err != nil {
		return ChannelMove{}, fmt.Errorf("store: pending move of %d: %w", subscriberID, err)
	}
	return r.move(), nil
}

// ConfirmMove switches the subscriber to their pending move's channel and
// address, in one transaction, when the move asked for at requested is
// still the pending one and was asked for after the subscriber last
// unsubscribed: the move is marked confirmed (once: a second call finds
// none, ErrNoMove), the confirmed consent recorded, prompts still queued
// move to the new channel, and a settings notice (steady.NoticePromptID)
// is queued, which goes to the new address. The subscriber keeps their id,
// so their replies, summaries and settings stay. An address taken or
// stopped since the request is refused (ErrAddressTaken, ErrAddressStopped)
// and the move stays pending.
func (db *DB) ConfirmMove(ctx context.Context, subscriberID int64, requested time.Time, consent steady.Consent, hash string, now time.Time) (steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm move of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	sub, err := confirmMove(ctx, tx, subscriberID, requested, consent, hash, now)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm move of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm move of %d: %w", subscriberID, err)
	}
	return sub, nil
}

func confirmMove(ctx context.Context, tx *tx, id int64, requested time.Time, consent steady.Consent, hash string, now time.Time) (steady.Subscriber, error) {
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, err
	}
	var r moveRow
	err = tx.get(ctx, &r, `SELECT `+moveColumns+` FROM channel_moves WHERE subscriber_id = ? AND confirmed_at IS NULL`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return steady.Subscriber{}, ErrNoMove
	}
	if err != nil {
		return steady.Subscriber{}, err
	}
	mv := r.move()
	if !mv.RequestedAt.Equal(requested.UTC().Truncate(time.Microsecond)) {
		return steady.Subscriber{}, ErrNoMove
	}
	revoked, err := linksRevokedAt(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, err
	}
	if sub.Status != steady.StatusActive && sub.Status != steady.StatusPaused || !revoked.Before(mv.RequestedAt) {
		return steady.Subscriber{}, ErrNoMove
	}
	if err := moveTarget(ctx, tx, id, mv.Channel, mv.Address, hash); err != nil {
		return steady.Subscriber{}, err
	}
	if _, err := tx.exec(ctx, `UPDATE channel_moves SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL`, tx.ts(now), mv.ID); err != nil {
		return steady.Subscriber{}, err
	}
	// A bounce or invalid mark was about the old address.
	if _, err := tx.exec(ctx, `UPDATE subscribers SET channel = ?, address = ?, bouncing_at = NULL, address_invalid_at = NULL WHERE id = ?`,
		string(mv.Channel), mv.Address, id); err != nil {
		return steady.Subscriber{}, err
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET channel = ?, updated_at = ?
		WHERE subscriber_id = ? AND status = 'queued' AND NOT (kind = 'confirm' AND prompt_id = ?)`,
		string(mv.Channel), tx.ts(now), id, steady.MovePromptID); err != nil {
		return steady.Subscriber{}, err
	}
	consent.Action, consent.At = steady.ConsentConfirmed, now
	consent.Wording = moveWording(mv.Channel, consent.Wording)
	if err := insertConsent(ctx, tx, id, consent); err != nil {
		return steady.Subscriber{}, err
	}
	if _, err := queueNotice(ctx, tx, id, now, 0); err != nil {
		return steady.Subscriber{}, err
	}
	return getSubscriber(ctx, tx, id)
}

// PendingMoveTo is the pending move to phone or email address, for a YES
// texted from it: the subscriber it is for, or an error wrapping ErrNoMove.
func (db *DB) PendingMoveTo(ctx context.Context, ch steady.Channel, address string) (ChannelMove, error) {
	var rows []moveRow
	err := db.readTx(ctx, func(tx *tx) error {
		return tx.sel(ctx, &rows, `SELECT `+moveColumns+` FROM channel_moves
			WHERE channel = ? AND address = ? AND confirmed_at IS NULL ORDER BY requested_at DESC, id DESC`, string(ch), address)
	})
	if err != nil {
		return ChannelMove{}, fmt.Errorf("store: pending move: %w", err)
	}
	if len(rows) == 0 {
		return ChannelMove{}, fmt.Errorf("store: pending move: %w", ErrNoMove)
	}
	return rows[0].move(), nil
}

// readTx runs fn in a transaction of its own and commits.
func (db *DB) readTx(ctx context.Context, fn func(tx *tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.commit()
}
