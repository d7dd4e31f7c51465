package store

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// claimOnePerSubscriber is claimQueued with oneEach in two statements
// however many it claims, where claiming one after another takes one
// statement each: the candidates (on PostgreSQL locked, skipping rows
// other claimers hold), then one UPDATE of the first limit of them whose
// subscriber has nothing being sent. Of one subscriber's candidates only
// the soonest is offered, since claimed one after another the next would
// find it sending. The claims come back in the candidates' order (soonest
// first), each with its own lease token, as claimQueued's.
func claimOnePerSubscriber(ctx context.Context, tx *tx, now, leaseUntil time.Time, limit int) ([]Claim, error) {
	pg := tx.dialect.name == postgresDialect.name
	candidates := sqliteClaimCandidates
	if pg {
		candidates = postgresClaimCandidates
	}
	var cands []struct {
		ID           int64 `db:"id"`
		SubscriberID int64 `db:"subscriber_id"`
	}
	if err := tx.sel(ctx, &cands, candidates, tx.ts(now), limit+claimSpare); err != nil {
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
	if pg {
		if err := tx.sel(ctx, &rows, postgresClaimUpdate, ids, subs, tokens, limit, tx.ts(leaseUntil), tx.ts(now), ids); err != nil {
			return nil, err
		}
	} else {
		cs := make([]sqliteCandidate, len(ids))
		for i := range ids {
			cs[i] = sqliteCandidate{ID: ids[i], SubscriberID: subs[i], Token: tokens[i]}
		}
		list, err := json.Marshal(cs)
		if err != nil {
			return nil, err
		}
		if err := tx.sel(ctx, &rows, sqliteClaimUpdate, string(list), limit, tx.ts(leaseUntil), tx.ts(now)); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(rows, func(a, b deliveryRow) int { return order[a.ID] - order[b.ID] })
	claims := make([]Claim, len(rows))
	for i, r := range rows {
		claims[i] = Claim{Delivery: r.delivery(), Token: tokens[order[r.ID]]}
	}
	return claims, nil
}
