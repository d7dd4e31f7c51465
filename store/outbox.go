package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// Claim is one queued delivery taken for sending by one worker. Token is
// known only to that claim: every later change of the delivery must show it,
// so a worker whose lease ran out (and whose delivery was given to another)
// can change nothing.
type Claim struct {
	steady.Delivery
	Token string
}

// ClaimNext takes the queued delivery due soonest (next_attempt_at not after
// now, oldest first), marks it sending with a lease until leaseUntil, and
// returns it; attempts and attempted_at are left untouched, since claiming
// is not trying. With nothing due it returns an error wrapping
// steady.ErrNotFound. On PostgreSQL concurrent callers skip each other's
// rows; on SQLite the transaction holds the write lock.
func (db *DB) ClaimNext(ctx context.Context, now, leaseUntil time.Time) (Claim, error) {
	if !leaseUntil.After(now) {
		return Claim{}, fmt.Errorf("store: claim next: %w", steady.Invalid("lease", "the lease must end after now"))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return Claim{}, fmt.Errorf("store: claim next: %w", err)
	}
	defer tx.rollback()
	c, err := claimNext(ctx, tx, now, leaseUntil)
	if err != nil {
		return Claim{}, fmt.Errorf("store: claim next: %w", err)
	}
	if err := tx.commit(); err != nil {
		return Claim{}, fmt.Errorf("store: claim next: %w", err)
	}
	return c, nil
}

func claimNext(ctx context.Context, tx *tx, now, leaseUntil time.Time) (Claim, error) {
	cs, err := claimQueued(ctx, tx, now, leaseUntil, 1, false)
	if err != nil {
		return Claim{}, err
	}
	if len(cs) == 0 {
		return Claim{}, steady.ErrNotFound
	}
	return cs[0], nil
}

// claimQueued claims up to limit queued deliveries due by now, soonest
// first, each with its own lease token. With oneEach, a delivery whose
// subscriber has another one being sent is left queued for now, so that
// one subscriber's messages go out one after another, in order (a
// confirmation before the first prompt), however many workers send side
// by side.
func claimQueued(ctx context.Context, tx *tx, now, leaseUntil time.Time, limit int, oneEach bool) ([]Claim, error) {
	if oneEach && tx.dialect.name == postgresDialect.name {
		return postgresClaimQueued(ctx, tx, now, leaseUntil, limit)
	}
	cond, candidates := "", limit
	if oneEach {
		cond = ` AND NOT EXISTS (SELECT 1 FROM deliveries AS other
				WHERE other.subscriber_id = deliveries.subscriber_id AND other.status = 'sending')`
		candidates += claimSpare // a few more, for those left queued
	}
	var ids []int64
	if err := tx.sel(ctx, &ids, tx.dialect.claimQueued, tx.ts(now), candidates); err != nil {
		return nil, err
	}
	claims := make([]Claim, 0, limit)
	for _, id := range ids {
		if len(claims) == limit {
			break
		}
		token, err := newLeaseToken()
		if err != nil {
			return nil, err
		}
		// One statement both claims the row and reads it back.
		var r deliveryRow
		err = tx.get(ctx, &r, `UPDATE deliveries
			SET status = 'sending', lease_until = ?, lease_token = ?, attempted_at = NULL, updated_at = ?
			WHERE id = ?`+cond+`
			RETURNING `+deliveryColumns, tx.ts(leaseUntil), token, tx.ts(now), id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue // the subscriber has a message in flight
		case err != nil:
			return nil, err
		}
		claims = append(claims, Claim{Delivery: r.delivery(), Token: token})
	}
	return claims, nil
}

// claimSpare is how many more queued deliveries claimQueued looks at than
// it wants.
const claimSpare = 8

func newLeaseToken() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("lease token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// StartAttempt records, just before the network write, that claim c is
// being tried now: attempted_at = now, attempts + 1, and the lease extended
// to leaseUntil. A delivery whose worker dies after this is taken for in
// flight (see RecoverLeases). It returns the delivery as updated, or an
// error wrapping steady.ErrConflict if the claim is no longer held.
func (db *DB) StartAttempt(ctx context.Context, c Claim, now, leaseUntil time.Time) (steady.Delivery, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: start attempt %d: %w", c.ID, err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, `UPDATE deliveries SET attempted_at = ?, attempts = attempts + 1, lease_until = ?, updated_at = ?
		WHERE id = ? AND status = 'sending' AND lease_token = ?`,
		tx.ts(now), tx.ts(leaseUntil), tx.ts(now), c.ID, c.Token)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: start attempt %d: %w", c.ID, err)
	}
	if n != 1 {
		return steady.Delivery{}, fmt.Errorf("store: start attempt %d: %w: the claim is no longer held", c.ID, steady.ErrConflict)
	}
	d, err := getDelivery(ctx, tx, c.ID)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: start attempt %d: %w", c.ID, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: start attempt %d: %w", c.ID, err)
	}
	return d, nil
}

// Outcome is how a claim ended.
type Outcome struct {
	// Status is sent, queued (retry at NextAttemptAt), failed, unknown or
	// cancelled.
	Status        steady.DeliveryStatus
	ProviderID    string // kept if empty
	Error         string // becomes last_error
	NextAttemptAt time.Time
	// Attempts is the delivery's attempt count after this claim: one more
	// than at the claim if it was tried, the same if it was not (a
	// delivery put back untried keeps its attempts).
	Attempts int
	Now      time.Time
}

// FinishDelivery records the outcome of claim c and ends its lease. The
// claim must still be held (the delivery sending, with c's token);
// otherwise the error wraps steady.ErrConflict, or steady.ErrNotFound if
// the delivery is gone. A sent delivery gets sent_at = out.Now.
func (db *DB) FinishDelivery(ctx context.Context, c Claim, out Outcome) error {
	if err := checkOutcome(out); err != nil {
		return fmt.Errorf("store: finish delivery %d: %w", c.ID, err)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: finish delivery %d: %w", c.ID, err)
	}
	defer tx.rollback()
	if err := finishDelivery(ctx, tx, c, out); err != nil {
		return fmt.Errorf("store: finish delivery %d: %w", c.ID, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: finish delivery %d: %w", c.ID, err)
	}
	return nil
}

// checkOutcome rejects an outcome FinishDelivery cannot record.
func checkOutcome(out Outcome) error {
	if out.Now.IsZero() {
		return errors.New("no time given")
	}
	switch out.Status {
	case steady.DeliverySent, steady.DeliveryFailed, steady.DeliveryUnknown, steady.DeliveryCancelled:
	case steady.DeliveryQueued:
		if out.NextAttemptAt.IsZero() {
			return steady.Invalid("next_attempt_at", "a retry needs a time")
		}
	default:
		return steady.Invalid("status", "%q is not an outcome", out.Status)
	}
	if out.Attempts < 0 {
		return steady.Invalid("attempts", "%d is negative", out.Attempts)
	}
	return nil
}

func finishDelivery(ctx context.Context, tx *tx, c Claim, out Outcome) error {
	next, sentAt, _ := outcomeTimes(out)
	n, err := tx.exec(ctx, `UPDATE deliveries SET status = ?,
			provider_id = CASE WHEN ? = '' THEN provider_id ELSE ? END,
			last_error = ?, attempts = ?,
			next_attempt_at = COALESCE(?, next_attempt_at),
			sent_at = COALESCE(?, sent_at),
			lease_until = NULL, lease_token = '', updated_at = ?
		WHERE id = ? AND status = 'sending' AND lease_token = ?`,
		string(out.Status), out.ProviderID, out.ProviderID, out.Error, out.Attempts,
		tx.ts(next), tx.ts(sentAt), tx.ts(out.Now), c.ID, c.Token)
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	return notHeld(ctx, tx, c.ID)
}

// outcomeTimes are the next attempt time (a delivery queued again), the
// sent time (one sent), each zero otherwise, and the update time.
func outcomeTimes(out Outcome) (next, sent, updated time.Time) {
	switch out.Status {
	case steady.DeliverySent:
		sent = out.Now
	case steady.DeliveryQueued:
		next = out.NextAttemptAt
	}
	return next, sent, out.Now
}

// notHeld says why an outcome for delivery id was not recorded: it is
// gone, or no longer sending under the claim's token.
func notHeld(ctx context.Context, tx *tx, id int64) error {
	d, err := getDelivery(ctx, tx, id)
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: delivery is %s and no longer held by this claim", steady.ErrConflict, d.Status)
}

// Recovered counts what RecoverLeases did.
type Recovered struct {
	// Requeued were claimed and never tried (or may be resent safely): back
	// in the queue, due at once, attempts untouched.
	Requeued int
	// Unknown were in flight (attempted_at set) when their worker died:
	// the provider may have them, so they are marked unknown, never resent
	// by themselves. UnknownIDs are their delivery ids.
	Unknown    int
	UnknownIDs []int64
}

// RecoverLeases ends the leases that ran out before now: their worker died
// or hung. A delivery whose attempt was recorded (StartAttempt) was in
// flight and becomes unknown; any other goes back to the queue at once with
// its attempts untouched.
func (db *DB) RecoverLeases(ctx context.Context, now time.Time) (Recovered, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return Recovered{}, fmt.Errorf("store: recover leases: %w", err)
	}
	defer tx.rollback()
	var r Recovered
	if err := tx.sel(ctx, &r.UnknownIDs, `UPDATE deliveries
		SET status = 'unknown', lease_until = NULL, lease_token = '', updated_at = ?,
			last_error = 'interrupted while sending: the provider may have it; not resent automatically'
		WHERE status = 'sending' AND lease_until < ? AND attempted_at IS NOT NULL
		RETURNING id`, tx.ts(now), tx.ts(now)); err != nil {
		return Recovered{}, fmt.Errorf("store: recover leases: %w", err)
	}
	r.Unknown = len(r.UnknownIDs)
	n, err := tx.exec(ctx, `UPDATE deliveries
		SET status = 'queued', lease_until = NULL, lease_token = '', next_attempt_at = ?, updated_at = ?,
			last_error = 'its worker stopped before recording an outcome; queued again'
		WHERE status = 'sending' AND lease_until < ? AND attempted_at IS NULL`, tx.ts(now), tx.ts(now), tx.ts(now))
	if err != nil {
		return Recovered{}, fmt.Errorf("store: recover leases: %w", err)
	}
	r.Requeued = int(n)
	if err := tx.commit(); err != nil {
		return Recovered{}, fmt.Errorf("store: recover leases: %w", err)
	}
	return r, nil
}

// FinishAndClaimNext is FinishDelivery of claim c followed by ClaimNext, in
// one transaction: a worker sending one message after another commits once
// per message, and still never holds more than the one it is sending.
// found is false, with the outcome recorded, when nothing else is due. On
// an error nothing was recorded; the caller may FinishDelivery alone.
func (db *DB) FinishAndClaimNext(ctx context.Context, c Claim, out Outcome, now, leaseUntil time.Time) (next Claim, found bool, err error) {
	if err := checkOutcome(out); err != nil {
		return Claim{}, false, fmt.Errorf("store: finish delivery %d: %w", c.ID, err)
	}
	if !leaseUntil.After(now) {
		return Claim{}, false, fmt.Errorf("store: claim next: %w", steady.Invalid("lease", "the lease must end after now"))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return Claim{}, false, fmt.Errorf("store: finish delivery %d: %w", c.ID, err)
	}
	defer tx.rollback()
	if err := finishDelivery(ctx, tx, c, out); err != nil {
		return Claim{}, false, fmt.Errorf("store: finish delivery %d: %w", c.ID, err)
	}
	next, err = claimNext(ctx, tx, now, leaseUntil)
	found = err == nil
	if err != nil && !errors.Is(err, steady.ErrNotFound) {
		return Claim{}, false, fmt.Errorf("store: claim next: %w", err)
	}
	if err := tx.commit(); err != nil {
		return Claim{}, false, fmt.Errorf("store: finish delivery %d: %w", c.ID, err)
	}
	return next, found, nil
}

// Finished is a claim and how it ended, for FinishAndClaim.
type Finished struct {
	Claim   Claim
	Outcome Outcome
}

// FinishAndClaim records the outcome of every claim in done, then claims
// up to want queued deliveries, all in one transaction: workers sending
// side by side share one commit, and each still holds only the claims it
// is given. Unlike ClaimNext it claims no delivery of a subscriber who has
// one being sent, so each subscriber's messages go out in order. On
// PostgreSQL, outside Atomically, it is one statement (see
// postgresFinishAndClaim). errs[i] says why done[i] was not recorded (an invalid outcome,
// or wrapping steady.ErrConflict when the claim is no longer held, or
// steady.ErrNotFound when the delivery is gone); the
// others are recorded all the same. err is a failure of the transaction,
// which then records and claims nothing.
func (db *DB) FinishAndClaim(ctx context.Context, done []Finished, want int, now, leaseUntil time.Time) (claims []Claim, errs []error, err error) {
	if want > 0 && !leaseUntil.After(now) {
		return nil, nil, fmt.Errorf("store: finish and claim: %w", steady.Invalid("lease", "the lease must end after now"))
	}
	if _, nested := ctx.Value(txKey{db}).(*tx); !nested && db.dialect.name == postgresDialect.name {
		claims, errs, err := db.postgresFinishAndClaim(ctx, done, want, now, leaseUntil)
		if err != nil {
			return nil, nil, fmt.Errorf("store: finish and claim: %w", err)
		}
		return claims, errs, nil
	}
	// Through Atomically, so that on SQLite it shares the group commit
	// (one WAL sync) with whatever else is writing, and its statements are
	// kept prepared (see stmtCache).
	err = db.Atomically(ctx, func(ctx context.Context) error {
		tx, err := db.begin(ctx)
		if err != nil {
			return err
		}
		defer tx.rollback()
		if claims, errs, err = finishAndClaim(ctx, tx, done, want, now, leaseUntil); err != nil {
			return err
		}
		return tx.commit()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: finish and claim: %w", err)
	}
	return claims, errs, nil
}

// checkOutcomes splits done into the outcomes that can be recorded
// (valid[k] is done[at[k]]) and errs, errs[i] saying why done[i] cannot.
func checkOutcomes(done []Finished) (valid []Finished, at []int, errs []error) {
	errs = make([]error, len(done))
	valid = make([]Finished, 0, len(done))
	at = make([]int, 0, len(done))
	for i, f := range done {
		if err := checkOutcome(f.Outcome); err != nil {
			errs[i] = fmt.Errorf("store: finish delivery %d: %w", f.Claim.ID, err)
			continue
		}
		valid, at = append(valid, f), append(at, i)
	}
	return valid, at, errs
}

func finishAndClaim(ctx context.Context, tx *tx, done []Finished, want int, now, leaseUntil time.Time) (claims []Claim, errs []error, err error) {
	valid, at, errs := checkOutcomes(done)
	if tx.dialect.name == postgresDialect.name && len(valid) > 1 {
		recorded, err := postgresFinishDeliveries(ctx, tx, valid)
		if err != nil {
			return nil, nil, fmt.Errorf("finish deliveries: %w", err)
		}
		for k, f := range valid {
			if recorded[f.Claim.ID] {
				continue
			}
			switch err := notHeld(ctx, tx, f.Claim.ID); {
			case errors.Is(err, steady.ErrConflict), errors.Is(err, steady.ErrNotFound):
				errs[at[k]] = fmt.Errorf("store: finish delivery %d: %w", f.Claim.ID, err)
			case err != nil:
				return nil, nil, fmt.Errorf("finish delivery %d: %w", f.Claim.ID, err)
			}
		}
	} else {
		for k, f := range valid {
			switch err := finishDelivery(ctx, tx, f.Claim, f.Outcome); {
			case errors.Is(err, steady.ErrConflict), errors.Is(err, steady.ErrNotFound):
				errs[at[k]] = fmt.Errorf("store: finish delivery %d: %w", f.Claim.ID, err)
			case err != nil:
				return nil, nil, fmt.Errorf("finish delivery %d: %w", f.Claim.ID, err)
			}
		}
	}
	if want > 0 {
		if claims, err = claimQueued(ctx, tx, now, leaseUntil, want, true); err != nil {
			return nil, nil, fmt.Errorf("claim next: %w", err)
		}
	}
	return claims, errs, nil
}
