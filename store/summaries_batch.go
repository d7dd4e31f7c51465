package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// SummaryClaim is one summary for ClaimSummaries to write as sending.
type SummaryClaim struct {
	SubscriberID int64
	Month        string
	Channel      steady.Channel
	Data         []byte
}

// ClaimedSummary is what ClaimSummaries did with one claim: as
// ClaimSummary returns it, Err set only for that claim (the subscriber no
// longer exists).
type ClaimedSummary struct {
	Record  steady.SummaryRecord
	Created bool
	Err     error
}

// ClaimSummaries is ClaimSummary for a batch of summaries: each is
// claimed under its own unique key (subscriber, month) exactly as
// ClaimSummary claims it, and out[i] says what happened to claims[i]. On
// SQLite the batch is one transaction (one commit for all of them); on
// PostgreSQL one INSERT of them all, on its own (one round trip), and
// each it did not write is then looked up as ClaimSummary would. A claim
// whose subscriber is gone fails alone (out[i].Err), and so does one whose
// look-up fails after the batch was written; any other error fails the
// batch, and nothing is claimed.
func (db *DB) ClaimSummaries(ctx context.Context, claims []SummaryClaim, now time.Time) (out []ClaimedSummary, err error) {
	if len(claims) == 0 {
		return nil, nil
	}
	out = make([]ClaimedSummary, len(claims))
	at := now.UTC().Truncate(time.Microsecond)
	if db.alone(ctx) {
		// PostgreSQL: the INSERT alone commits the batch; what it did not
		// write is looked up one by one, each in a transaction of its own.
		t := &tx{dialect: db.dialect, keys: db.keys}
		written, err := postgresClaimSummaries(t, claims, now, func(dest any, query string, args ...any) error {
			return db.db.SelectContext(ctx, dest, db.db.Rebind(query), cleanArgs(args)...)
		})
		if err != nil {
			return nil, fmt.Errorf("store: claim summaries: %w", err)
		}
		for i, c := range claims {
			if id, ok := written[i]; ok {
				out[i] = claimed(c, id, at)
				continue
			}
			rec, created, err := db.ClaimSummary(ctx, c.SubscriberID, c.Month, c.Channel, c.Data, now)
			out[i] = ClaimedSummary{Record: rec, Created: created, Err: err}
		}
		return out, nil
	}
	err = db.Atomically(ctx, func(ctx context.Context) error { return db.claimEach(ctx, claims, now, out) })
	if err != nil {
		return nil, fmt.Errorf("store: claim summaries: %w", err)
	}
	return out, nil
}

// claimed is the record of c, just written as row id at at.
func claimed(c SummaryClaim, id int64, at time.Time) ClaimedSummary {
	return ClaimedSummary{Created: true, Record: steady.SummaryRecord{ID: id, SubscriberID: c.SubscriberID, Month: c.Month,
		Channel: c.Channel, Status: steady.SummarySending, Data: c.Data, CreatedAt: at, UpdatedAt: at}}
}

// SummaryFinish is how sending one summary ended, for FinishSummaries.
type SummaryFinish struct {
	ID         int64
	Status     steady.SummaryStatus
	ProviderID string
	LastError  string
}

// FinishSummaries is FinishSummary for a batch of summaries: on SQLite in
// one transaction, on PostgreSQL one UPDATE on its own (one round trip). A
// summary that is no longer sending is left as it is and named in the
// error (steady.ErrConflict); the others are recorded all the same.
func (db *DB) FinishSummaries(ctx context.Context, done []SummaryFinish, now time.Time) error {
	if err := validFinishes(done); err != nil {
		return err
	}
	conflicts, err := db.finishSummaries(ctx, done, now)
	if err != nil {
		return err
	}
	return conflicts
}

// validFinishes checks that every outcome of done is one a send ends with.
func validFinishes(done []SummaryFinish) error {
	for _, f := range done {
		switch f.Status {
		case steady.SummarySent, steady.SummaryFailed, steady.SummaryUnknown:
		default:
			return fmt.Errorf("store: finish summary %d: %w", f.ID, steady.Invalid("status", "%q is not an outcome", f.Status))
		}
	}
	return nil
}

// finishSummaries is FinishSummaries once done is checked: conflicts names
// the summaries no longer sending, err a failure of the whole batch.
func (db *DB) finishSummaries(ctx context.Context, done []SummaryFinish, now time.Time) (conflicts, err error) {
	if len(done) == 0 {
		return nil, nil
	}
	var notSending []error
	if db.alone(ctx) {
		t := &tx{dialect: db.dialect, keys: db.keys}
		recorded, err := postgresFinishSummaries(t, done, now, func(dest any, query string, args ...any) error {
			return db.db.SelectContext(ctx, dest, db.db.Rebind(query), cleanArgs(args)...)
		})
		if err != nil {
			return nil, fmt.Errorf("store: finish summaries: %w", err)
		}
		for _, f := range done {
			if !recorded[f.ID] {
				notSending = append(notSending, fmt.Errorf("store: finish summary %d: %w: not sending", f.ID, steady.ErrConflict))
			}
		}
		return errors.Join(notSending...), nil
	}
	err = db.Atomically(ctx, func(ctx context.Context) (err error) {
		notSending, err = db.finishEach(ctx, done, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: finish summaries: %w", err)
	}
	return errors.Join(notSending...), nil
}

// claimEach claims each of claims in the transaction of ctx, out[i] saying
// what happened to claims[i]; a claim whose subscriber is gone fails
// alone, any other error fails them all.
func (db *DB) claimEach(ctx context.Context, claims []SummaryClaim, now time.Time, out []ClaimedSummary) error {
	for i, c := range claims {
		rec, created, err := db.claimSummary(ctx, c.SubscriberID, c.Month, c.Channel, c.Data, now)
		if errors.Is(err, steady.ErrNotFound) {
			out[i] = ClaimedSummary{Err: err}
			continue
		}
		if err != nil {
			return err
		}
		out[i] = ClaimedSummary{Record: rec, Created: created}
	}
	return nil
}

// finishEach records each outcome of done in the transaction of ctx: the
// summaries no longer sending are left as they are and returned as
// errors, any other error fails them all.
func (db *DB) finishEach(ctx context.Context, done []SummaryFinish, now time.Time) (notSending []error, err error) {
	for _, f := range done {
		err := db.finishSummary(ctx, f.ID, f.Status, f.ProviderID, f.LastError, now)
		if errors.Is(err, steady.ErrConflict) {
			notSending = append(notSending, err)
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	return notSending, nil
}
