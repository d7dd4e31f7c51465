package store

import (
	"context"
	"time"

	"github.com/steadyapp/steady"
)

// postgresFinishDeliveries records the outcomes of done (already checked)
// in one statement, where each delivery is still sending under its claim's
// token, and returns the ids it recorded; a delivery it did not record is
// looked up by the caller, as finishDelivery does. Several workers'
// outcomes share a transaction (scheduler/commit.go), and one statement
// for them all is one round trip and one plan instead of one each.
func postgresFinishDeliveries(ctx context.Context, tx *tx, done []Finished) (map[int64]bool, error) {
	var got []int64
	if err := tx.sel(ctx, &got, postgresFinishDeliveriesUpdate, postgresFinishArgs(done)...); err != nil {
		return nil, err
	}
	recorded := make(map[int64]bool, len(got))
	for _, id := range got {
		recorded[id] = true
	}
	return recorded, nil
}

// postgresFinishArgs are the arguments of postgresFinishDeliveriesUpdate
// for done.
func postgresFinishArgs(done []Finished) []any {
	n := len(done)
	ids := make([]int64, n)
	tokens := make([]string, n)
	statuses := make([]string, n)
	providers := make([]string, n)
	lastErrors := make([]string, n)
	attempts := make([]int64, n)
	hasNext := make([]bool, n)
	next := make([]time.Time, n)
	hasSent := make([]bool, n)
	sent := make([]time.Time, n)
	updated := make([]time.Time, n)
	for i, f := range done {
		c, out := f.Claim, f.Outcome
		// Array elements are not cleaned by tx.sel as arguments are.
		ids[i], tokens[i], statuses[i] = c.ID, steady.CleanText(c.Token), string(out.Status)
		providers[i], lastErrors[i], attempts[i] = steady.CleanText(out.ProviderID), steady.CleanText(out.Error), int64(out.Attempts)
		next[i], sent[i], updated[i] = outcomeTimes(out)
		hasNext[i], hasSent[i] = !next[i].IsZero(), !sent[i].IsZero()
		next[i], sent[i], updated[i] = pgTime(next[i]), pgTime(sent[i]), pgTime(updated[i])
	}
	return []any{ids, tokens, statuses, providers, lastErrors, attempts, hasNext, next, hasSent, sent, updated, ids}
}

// postgresFinishDeliveriesUpdate is finishDelivery's UPDATE for many rows:
// the arrays of ids, lease tokens, statuses, provider ids, last errors,
// attempts, whether there is a next attempt time, the times, whether there
// is a sent time, the times, the update times; then the ids again, so the
// primary key is an index condition whatever the estimate of the unnested
// rows.
const postgresFinishDeliveriesUpdate = postgresFinishUpdate + `
	RETURNING d.id`

// postgresFinishUpdate is postgresFinishDeliveriesUpdate without its
// RETURNING.
const postgresFinishUpdate = `UPDATE deliveries AS d SET status = v.status,
		provider_id = CASE WHEN v.provider_id = '' THEN d.provider_id ELSE v.provider_id END,
		last_error = v.last_error, attempts = v.attempts,
		next_attempt_at = CASE WHEN v.has_next THEN v.next_attempt_at ELSE d.next_attempt_at END,
		sent_at = CASE WHEN v.has_sent THEN v.sent_at ELSE d.sent_at END,
		lease_until = NULL, lease_token = '', updated_at = v.updated_at
	FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::boolean[], ?::timestamptz[], ?::boolean[], ?::timestamptz[], ?::timestamptz[])
		AS v (id, token, status, provider_id, last_error, attempts, has_next, next_attempt_at, has_sent, sent_at, updated_at)
	WHERE d.id = ANY(?::bigint[]) AND d.id = v.id AND d.status = 'sending' AND d.lease_token = v.token`
