package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/steadyapp/steady"
)

// postgresFinishAndClaim is FinishAndClaim on PostgreSQL outside
// Atomically: one statement (postgresFinishAndClaimSQL), which
// PostgreSQL runs as one transaction, where the transaction of
// finishAndClaim takes five round trips (BEGIN, the outcomes, the
// candidates, the claims, COMMIT). The dispatcher runs one for every few
// messages, and on a machine whose cores PostgreSQL shares, each round
// trip costs CPU at both ends. It records and claims what
// finishAndClaim does: the outcomes, each where its claim still holds,
// then up to want of the soonest queued deliveries whose subscriber has
// nothing else being sent (those just finished do not count), one a
// subscriber. An outcome it did not record is looked up after, to say
// why.
func (db *DB) postgresFinishAndClaim(ctx context.Context, done []Finished, want int, now, leaseUntil time.Time) (claims []Claim, errs []error, err error) {
	valid, at, errs := checkOutcomes(done)
	tokens := make([]string, max(want, 0))
	for i := range tokens {
		if tokens[i], err = newLeaseToken(); err != nil {
			return nil, nil, err
		}
	}
	candidates := 0
	if want > 0 {
		candidates = want + claimSpare
	}
	args := append(postgresFinishArgs(valid), pgTime(now), candidates, want, pgTime(leaseUntil), tokens, pgTime(now))
	rows, err := db.db.QueryxContext(ctx, db.db.Rebind(postgresFinishAndClaimSQL), args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	recorded := make(map[int64]bool, len(valid))
	for rows.Next() {
		var r finishClaimRow
		if err := rows.StructScan(&r); err != nil {
			return nil, nil, err
		}
		if r.Part == "finished" {
			recorded[r.ID] = true
			continue
		}
		claims = append(claims, Claim{Delivery: r.delivery(), Token: r.LeaseToken})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// Soonest first, as the candidates came.
	slices.SortFunc(claims, func(a, b Claim) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	for k, f := range valid {
		if recorded[f.Claim.ID] {
			continue
		}
		errs[at[k]] = fmt.Errorf("store: finish delivery %d: %w", f.Claim.ID, db.whyNotHeld(ctx, f.Claim.ID))
	}
	return claims, errs, nil
}

// whyNotHeld is notHeld for delivery id in a read of its own, or the
// error of that read.
func (db *DB) whyNotHeld(ctx context.Context, id int64) error {
	t, err := db.beginRead(ctx)
	if err != nil {
		return fmt.Errorf("not recorded; looking up why: %w", err)
	}
	defer t.rollback()
	err = notHeld(ctx, t, id)
	if !errors.Is(err, steady.ErrConflict) && !errors.Is(err, steady.ErrNotFound) {
		return fmt.Errorf("not recorded; looking up why: %w", err)
	}
	return err
}

// finishClaimRow is a row of postgresFinishAndClaimSQL: a claimed
// delivery as claimed, or (Part "finished") the id of one whose outcome
// was recorded, its other columns empty.
type finishClaimRow struct {
	Part       string `db:"part"`
	LeaseToken string `db:"lease_token"`
	deliveryRow
}

// postgresFinishAndClaimSQL records outcomes and claims in one statement:
// the arguments of postgresFinishDeliveriesUpdate, then now, how many
// candidates to look at, how many to claim, the lease end, that many
// lease tokens and now again. Its parts see one snapshot: pick excludes
// the deliveries fin records from those being sent, as the claim after
// the outcomes in one transaction would not see them sending. The rows
// fin and claimed change are apart (one sending, one queued).
const postgresFinishAndClaimSQL = `WITH fin AS (` + postgresFinishUpdate + `
	RETURNING d.id),
cand AS (SELECT id, subscriber_id, next_attempt_at FROM deliveries
	WHERE status = 'queued' AND next_attempt_at <= ?
	ORDER BY next_attempt_at, id
	LIMIT ?
	FOR UPDATE SKIP LOCKED),
pick AS (SELECT c.id, row_number() OVER (ORDER BY c.next_attempt_at, c.id) AS n
	FROM (SELECT DISTINCT ON (subscriber_id) id, subscriber_id, next_attempt_at FROM cand
		ORDER BY subscriber_id, next_attempt_at, id) AS c
	WHERE NOT EXISTS (SELECT 1 FROM deliveries AS other
		WHERE other.subscriber_id = c.subscriber_id AND other.status = 'sending'
			AND other.id NOT IN (SELECT id FROM fin))
	ORDER BY c.next_attempt_at, c.id
	LIMIT ?),
claimed AS (UPDATE deliveries SET status = 'sending', lease_until = ?, lease_token = (?::text[])[pick.n],
		attempted_at = NULL, updated_at = ?
	FROM pick
	WHERE deliveries.id = pick.id
	RETURNING deliveries.*)
SELECT 'claimed' AS part, lease_token, ` + deliveryColumns + ` FROM claimed
UNION ALL
SELECT 'finished', '', id, 0, '', '', NULL, '', '', '', '', 0, NULL, '', '', NULL, NULL, NULL, '', '', NULL, NULL FROM fin`
