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

// ClaimSummaries is ClaimSummary for a batch of summaries in one
// transaction: one commit for all of them. Each is claimed under its own
// unique key (subscriber, month) exactly as ClaimSummary claims it, and
// out[i] says what happened to claims[i]. A claim whose subscriber is gone
// fails alone; any other error fails the batch, and nothing is claimed.
func (db *DB) ClaimSummaries(ctx context.Context, claims []SummaryClaim, now time.Time) (out []ClaimedSummary, err error) {
	if len(claims) == 0 {
		return nil, nil
	}
	err = db.Atomically(ctx, func(ctx context.Context) error {
		out = make([]ClaimedSummary, len(claims))
		var written map[int]int64
		if db.dialect.name == postgresDialect.name {
			tx, err := db.begin(ctx) // Atomically's own
			if err != nil {
				return err
			}
			if written, err = postgresClaimSummaries(ctx, tx, claims, now); err != nil {
				return err
			}
		}
		at := now.UTC().Truncate(time.Microsecond)
		for i, c := range claims {
			if id, ok := written[i]; ok {
				out[i] = ClaimedSummary{Created: true, Record: steady.SummaryRecord{ID: id, SubscriberID: c.SubscriberID, Month: c.Month,
					Channel: c.Channel, Status: steady.SummarySending, Data: c.Data, CreatedAt: at, UpdatedAt: at}}
				continue
			}
			// Not written by the batch statement (PostgreSQL): claimed
			// before, or no such subscriber; the one-summary claim says
			// which.
			rec, created, err := db.claimSummary(ctx, c.SubscriberID, c.Month, c.Channel, c.Data, now)
			if errors.Is(err, steady.ErrNotFound) {
				out[i].Err = err
				continue
			}
			if err != nil {
				return err
			}
			out[i] = ClaimedSummary{Record: rec, Created: created}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim summaries: %w", err)
	}
	return out, nil
}

// SummaryFinish is how sending one summary ended, for FinishSummaries.
type SummaryFinish struct {
	ID         int64
	Status     steady.SummaryStatus
	ProviderID string
	LastError  string
}

// FinishSummaries is FinishSummary for a batch of summaries in one
// transaction. A summary that is no longer sending is left as it is and
// named in the error (steady.ErrConflict); the others are recorded all the
// same.
func (db *DB) FinishSummaries(ctx context.Context, done []SummaryFinish, now time.Time) error {
	for _, f := range done {
		switch f.Status {
		case steady.SummarySent, steady.SummaryFailed, steady.SummaryUnknown:
		default:
			return fmt.Errorf("store: finish summary %d: %w", f.ID, steady.Invalid("status", "%q is not an outcome", f.Status))
		}
	}
	if len(done) == 0 {
		return nil
	}
	var conflicts []error
	err := db.Atomically(ctx, func(ctx context.Context) error {
		conflicts = conflicts[:0]
		var recorded map[int64]bool
		if db.dialect.name == postgresDialect.name {
			tx, err := db.begin(ctx) // Atomically's own
			if err != nil {
				return err
			}
			if recorded, err = postgresFinishSummaries(ctx, tx, done, now); err != nil {
				return err
			}
		}
		for _, f := range done {
			if recorded[f.ID] {
				continue
			}
			// Not recorded by the batch statement (PostgreSQL): no longer
			// sending; the one-summary update says so.
			err := db.finishSummary(ctx, f.ID, f.Status, f.ProviderID, f.LastError, now)
			if errors.Is(err, steady.ErrConflict) {
				conflicts = append(conflicts, err)
				continue
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: finish summaries: %w", err)
	}
	return errors.Join(conflicts...)
}
