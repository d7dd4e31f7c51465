package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// FinishAndClaimSummaries is FinishSummaries(done) and ClaimSummaries(claims)
// at once, for a sender that records the outcomes of one group of
// summaries as it claims the next: on SQLite one transaction (one commit
// instead of two), on PostgreSQL one statement (one round trip instead of
// two). Each summary is claimed under its own unique key and each outcome
// recorded only where the summary is still sending, exactly as the two
// would do on their own.
//
// out[i] says what happened to claims[i], as ClaimSummaries says it.
// conflicts names the summaries of done that were no longer sending
// (steady.ErrConflict), left as they were; the rest of done is recorded
// all the same. An err fails both halves: nothing of done is recorded and
// nothing is claimed.
func (db *DB) FinishAndClaimSummaries(ctx context.Context, done []SummaryFinish, claims []SummaryClaim, now time.Time) (out []ClaimedSummary, conflicts, err error) {
	if err := validFinishes(done); err != nil {
		return nil, nil, err
	}
	if len(done) == 0 {
		out, err = db.ClaimSummaries(ctx, claims, now)
		return out, nil, err
	}
	if len(claims) == 0 {
		conflicts, err = db.finishSummaries(ctx, done, now)
		return nil, conflicts, err
	}
	out = make([]ClaimedSummary, len(claims))
	if db.alone(ctx) {
		return db.postgresSummariesFinishAndClaim(ctx, done, claims, now, out)
	}
	var notSending []error
	err = db.Atomically(ctx, func(ctx context.Context) (err error) {
		if notSending, err = db.finishEach(ctx, done, now); err != nil {
			return err
		}
		return db.claimEach(ctx, claims, now, out)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: finish and claim summaries: %w", err)
	}
	return out, errors.Join(notSending...), nil
}

// postgresSummariesFinishAndClaim is FinishAndClaimSummaries on PostgreSQL: the
// UPDATE and the INSERT as two parts of one statement, on its own; the
// claims it did not write are then looked up one by one, as
// ClaimSummaries does.
func (db *DB) postgresSummariesFinishAndClaim(ctx context.Context, done []SummaryFinish, claims []SummaryClaim, now time.Time, out []ClaimedSummary) ([]ClaimedSummary, error, error) {
	t := &tx{dialect: db.dialect, keys: db.keys}
	var rows []struct {
		Finished     bool   `db:"finished"`
		ID           int64  `db:"id"`
		SubscriberID int64  `db:"subscriber_id"`
		Month        string `db:"month"`
	}
	args := append(postgresSummaryFinishArgs(t, done, now), postgresClaimArgs(t, claims, now)...)
	if err := db.db.SelectContext(ctx, &rows, db.db.Rebind(postgresFinishAndClaimSummaries), cleanArgs(args)...); err != nil {
		return nil, nil, fmt.Errorf("store: finish and claim summaries: %w", err)
	}
	recorded := make(map[int64]bool, len(done))
	written := make(map[claimKey]int64, len(claims))
	for _, r := range rows {
		if r.Finished {
			recorded[r.ID] = true
		} else {
			written[claimKey{r.SubscriberID, r.Month}] = r.ID
		}
	}
	var notSending []error
	for _, f := range done {
		if !recorded[f.ID] {
			notSending = append(notSending, fmt.Errorf("store: finish summary %d: %w: not sending", f.ID, steady.ErrConflict))
		}
	}
	at := now.UTC().Truncate(time.Microsecond)
	for i, c := range claims {
		if id, ok := written[claimKey{c.SubscriberID, steady.CleanText(c.Month)}]; ok {
			out[i] = claimed(c, id, at)
			continue
		}
		rec, created, err := db.ClaimSummary(ctx, c.SubscriberID, c.Month, c.Channel, c.Data, now)
		out[i] = ClaimedSummary{Record: rec, Created: created, Err: err}
	}
	return out, errors.Join(notSending...), nil
}

// postgresFinishAndClaimSummaries: the arguments of
// postgresFinishSummariesUpdate, then those of
// postgresClaimSummariesInsert. Both parts see the same snapshot and touch
// different rows (the outcomes are of summaries claimed earlier).
const postgresFinishAndClaimSummaries = `WITH f AS (` + postgresFinishSummariesUpdate + `),
	c AS (` + postgresClaimSummariesInsert + `)
	SELECT true AS finished, id, 0::bigint AS subscriber_id, ''::text AS month FROM f
	UNION ALL SELECT false, id, subscriber_id, month FROM c`
