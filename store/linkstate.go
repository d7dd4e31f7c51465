package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// Errors from ConfirmLink: the link must not be acted on.
var (
	// ErrLinkSuperseded: a newer sign-up request was made since the link's,
	// so only the newer confirmation's link counts.
	ErrLinkSuperseded = errors.New("a newer confirmation link was sent")
	// ErrLinkUsed: the link's request was confirmed already.
	ErrLinkUsed = errors.New("this confirmation link was used already")
)

// LinksRevokedAt is when the subscriber last unsubscribed (their latest
// "unsubscribed" consent record), or the zero time if they never did.
// Reply and summary links issued at or before it open nothing any more,
// even after a new sign-up; unsubscribe links are not affected.
func (db *DB) LinksRevokedAt(ctx context.Context, subscriberID int64) (time.Time, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: links revoked for %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	at, err := linksRevokedAt(ctx, tx, subscriberID)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: links revoked for %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return time.Time{}, fmt.Errorf("store: links revoked for %d: %w", subscriberID, err)
	}
	return at, nil
}

func linksRevokedAt(ctx context.Context, tx *tx, subscriberID int64) (time.Time, error) {
	var at utcTime
	if err := tx.get(ctx, &at, `SELECT MAX(at) FROM consents WHERE subscriber_id = ? AND action = 'unsubscribed'`,
		subscriberID); err != nil {
		return time.Time{}, err
	}
	return at.time(), nil
}

// ConfirmLinkState says whether a confirm link made for the sign-up
// request of requested (the subscriber's confirm_sent_at then) may still
// be used: nil, or an error wrapping ErrLinkSuperseded or ErrLinkUsed
// (steady.ErrNotFound for no such subscriber). It changes nothing; the
// confirm page uses it to show the right words before the button.
func (db *DB) ConfirmLinkState(ctx context.Context, id int64, requested time.Time) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: confirm link of %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := getSubscriber(ctx, tx, id)
	if err == nil {
		err = confirmLinkUsable(ctx, tx, sub, requested)
	}
	if err != nil {
		return fmt.Errorf("store: confirm link of %d: %w", id, err)
	}
	return tx.commit()
}

// ConfirmLink is ConfirmSubscription for the link of one sign-up request
// (requested, the subscriber's confirm_sent_at when it was queued). Under
// the subscriber's row lock (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on
// SQLite) it refuses a link whose request is no longer the latest
// (ErrLinkSuperseded) or was confirmed already (ErrLinkUsed: a
// "confirmed" consent at or after the request), then confirms; the
// confirmation's own consent record is what uses the link up, in the same
// transaction, so two clicks at once confirm once.
func (db *DB) ConfirmLink(ctx context.Context, id int64, requested time.Time, consent steady.Consent, now time.Time,
	next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm link of %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := lockSubscriber(ctx, tx, id)
	if err == nil {
		err = confirmLinkUsable(ctx, tx, sub, requested)
	}
	if err == nil {
		sub, err = confirmSubscription(ctx, tx, id, consent, now, next)
	}
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm link of %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm link of %d: %w", id, err)
	}
	return sub, nil
}

func confirmLinkUsable(ctx context.Context, tx *tx, sub steady.Subscriber, requested time.Time) error {
	if requested.IsZero() || sub.ConfirmSentAt.IsZero() || !sub.ConfirmSentAt.Equal(requested) {
		return ErrLinkSuperseded
	}
	var used int
	if err := tx.get(ctx, &used, `SELECT COUNT(*) FROM consents
		WHERE subscriber_id = ? AND action = 'confirmed' AND at >= ?`, sub.ID, tx.ts(requested)); err != nil {
		return err
	}
	if used > 0 {
		return ErrLinkUsed
	}
	// Unsubscribing after the request ends it: an old link must not bring
	// back an address that asked to stop (nor confirm what a stranger
	// asked for it since).
	var stopped int
	if err := tx.get(ctx, &stopped, `SELECT COUNT(*) FROM consents
		WHERE subscriber_id = ? AND action = 'unsubscribed' AND at >= ?`, sub.ID, tx.ts(requested)); err != nil {
		return err
	}
	if stopped > 0 {
		return ErrLinkSuperseded
	}
	return nil
}
