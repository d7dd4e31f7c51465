package store

import (
	"context"
	"fmt"

	"github.com/steadyapp/steady"
)

type consentRow struct {
	ID           int64   `db:"id"`
	SubscriberID int64   `db:"subscriber_id"`
	Action       string  `db:"action"`
	At           utcTime `db:"at"`
	Method       string  `db:"method"`
	IP           string  `db:"ip"`
	Wording      string  `db:"wording"`
}

// Consents returns the subscriber's consent records, oldest first.
func (db *DB) Consents(ctx context.Context, subscriberID int64) ([]steady.Consent, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: consents of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var rows []consentRow
	if err := tx.sel(ctx, &rows, `SELECT id, subscriber_id, action, at, method, ip, wording
		FROM consents WHERE subscriber_id = ? ORDER BY id`, subscriberID); err != nil {
		return nil, fmt.Errorf("store: consents of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: consents of %d: %w", subscriberID, err)
	}
	cs := make([]steady.Consent, len(rows))
	for i, r := range rows {
		wording, err := tx.open(consentWording, r.ID, r.Wording, r.SubscriberID)
		if err != nil {
			return nil, fmt.Errorf("store: consents of %d: %w", subscriberID, err)
		}
		cs[i] = steady.Consent{
			ID:           r.ID,
			SubscriberID: r.SubscriberID,
			Action:       steady.ConsentAction(r.Action),
			At:           r.At.time(),
			Method:       r.Method,
			IP:           r.IP,
			Wording:      wording,
		}
	}
	return cs, nil
}

// insertConsent records c (its Action and At already set) for subscriberID.
func insertConsent(ctx context.Context, tx *tx, subscriberID int64, c steady.Consent) error {
	_, err := tx.exec(ctx, `INSERT INTO consents (subscriber_id, action, at, method, ip, wording)
		VALUES (?, ?, ?, ?, ?, ?)`,
		subscriberID, string(c.Action), tx.ts(c.At), c.Method, c.IP, tx.seal(consentWording, c.Wording, subscriberID))
	if err != nil {
		return fmt.Errorf("recording consent: %w", err)
	}
	return nil
}
