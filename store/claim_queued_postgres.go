package store

import (
	"context"
	"slices"
	"time"
)

// postgresClaimQueued is claimQueued with oneEach on PostgreSQL, in two
// statements however many it claims, where claiming one after another
// takes one statement each: the candidates (locked, skipping rows other
// claimers hold), then one UPDATE of the first limit of them whose
// subscriber has nothing being sent. Of one subscriber's candidates only
// the soonest is offered, since claimed one after another the next would
// find it sending. The claims come back in the candidates' order
// (soonest first), each with its own lease token, as claimQueued's.
func postgresClaimQueued(ctx context.Context, tx *tx, now, leaseUntil time.Time, limit int) ([]Claim, error) {
	var cands []struct {
		ID           int64 `db:"id"`
		SubscriberID int64 `db:"subscriber_id"`
	}
	if err := tx.sel(ctx, &cands, postgresClaimCandidates, tx.ts(now), limit+claimSpare); err != nil {
		return nil, err
	}
	seen := make(map[int64]bool, len(cands))
	ids := make([]int64, 0, len(cands))
	subs := make([]int64, 0, len(cands))
	tokens := make([]string, 0, len(cands))
	order := make(map[int64]int, len(cands))
	for _, c := range cands {
		if seen[c.SubscriberID] {
			continue
		}
		seen[c.SubscriberID] = true
		token, err := newLeaseToken()
		if err != nil {
			return nil, err
		}
		order[c.ID] = len(ids)
		ids, subs, tokens = append(ids, c.ID), append(subs, c.SubscriberID), append(tokens, token)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []deliveryRow
	if err := tx.sel(ctx, &rows, postgresClaimUpdate, ids, subs, tokens, limit, tx.ts(leaseUntil), tx.ts(now), ids); err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b deliveryRow) int { return order[a.ID] - order[b.ID] })
	claims := make([]Claim, len(rows))
	for i, r := range rows {
		claims[i] = Claim{Delivery: r.delivery(), Token: tokens[order[r.ID]]}
	}
	return claims, nil
}

// postgresClaimCandidates is the dialect's claimQueued with each
// candidate's subscriber: now, limit.
const postgresClaimCandidates = `SELECT id, subscriber_id FROM deliveries
	WHERE status = 'queued' AND next_attempt_at <= ?
	ORDER BY next_attempt_at, id
	LIMIT ?
	FOR UPDATE SKIP LOCKED`

// postgresClaimUpdate claims the first limit of the candidates (the
// arrays of ids, their subscribers and lease tokens, in order) whose
// subscriber has no delivery being sent, the condition claimQueued's
// UPDATE has: then limit, the lease end, now, and the ids again, so the
// primary key is an index condition whatever the estimate of the unnested
// rows. It sets what claimQueued's UPDATE sets.
const postgresClaimUpdate = `WITH v AS (
		SELECT v.cid, v.ctoken FROM unnest(?::bigint[], ?::bigint[], ?::text[]) WITH ORDINALITY AS v (cid, csub, ctoken, cord)
		WHERE NOT EXISTS (SELECT 1 FROM deliveries AS other
			WHERE other.subscriber_id = v.csub AND other.status = 'sending')
		ORDER BY v.cord
		LIMIT ?)
	UPDATE deliveries SET status = 'sending', lease_until = ?, lease_token = v.ctoken, attempted_at = NULL, updated_at = ?
	FROM v
	WHERE deliveries.id = v.cid AND deliveries.id = ANY(?::bigint[])
	RETURNING ` + deliveryColumns
