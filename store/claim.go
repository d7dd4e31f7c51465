package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// PlanFunc decides what a due subscriber is sent. sub holds what planning
// needs, ID, Channel, TimeZone, Schedule, NextSlot and Status (active);
// its other fields are zero. lastPromptID is the prompt id of their latest
// prompt delivery, or "". It returns the delivery to queue (SubscriberID,
// Kind, Channel, Slot, PromptID, Theme, PromptText) and the subscriber's
// next slot.
type PlanFunc func(sub steady.Subscriber, lastPromptID string) (d steady.Delivery, next time.Time, err error)

// ClaimDue queues the prompts that are due, in one transaction: up to limit
// active subscribers whose next_slot is not after now, earliest first (on
// PostgreSQL, rows another worker holds are skipped). For each, plan says
// what to queue and when the next slot is; the delivery is inserted unless
// that (subscriber, kind, slot) exists already, and next_slot moves only if
// it still holds the claimed value. It returns how many deliveries were
// inserted.
//
// A batch is a few statements whatever its size: one select, a multi-row
// insert of the deliveries and a multi-row update of the subscribers' next
// slots and latest prompts (on SQLite a chunk of sqliteClaimChunk rows per
// statement). Migration 0014 keeps the latest prompt on the subscriber's
// row, so there is no lookup per subscriber.
//
// A subscriber whose plan fails gets next_slot NULL, so it is not claimed
// again every minute, and the others carry on; the transaction commits and
// the failures are returned joined, each naming its subscriber.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, limit int, plan PlanFunc) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: claim due: %w", err)
	}
	defer tx.rollback()
	if err := claimSettings(ctx, tx); err != nil {
		return 0, fmt.Errorf("store: claim due: %w", err)
	}
	n, planErrs, err := claimDue(ctx, tx, now, limit, plan)
	if err != nil {
		return 0, fmt.Errorf("store: claim due: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("store: claim due: %w", err)
	}
	// The writer is free again: prepare the batch's statements seen for
	// the first time (SQLite; a few fixed shapes), for the next batch.
	db.stmts.prepareWanted(ctx)
	if len(planErrs) > 0 {
		return n, fmt.Errorf("store: claim due: %w", errors.Join(planErrs...))
	}
	return n, nil
}

// claimSettings prepares the claim's transaction: on PostgreSQL each
// statement is planned for its own parameters and the tables as they are
// now. A generic plan cached on a new database, while the tables were
// empty, scans them whole and would be kept as they grow (the first-day
// trap of issue 14: a sequential scan per subscriber).
func claimSettings(ctx context.Context, tx *tx) error {
	if q := tx.dialect.customPlans; q != "" {
		if _, err := tx.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// dueColumns are what the claim reads of a due subscriber: what a plan
// needs (see PlanFunc), and the latest prompt they were sent. Reading the
// whole row, a dozen columns more (eight of them times to parse on
// SQLite), was a good part of the select's cost for nothing.
const dueColumns = `id, channel, timezone, schedule, next_slot, last_prompt_id`

type dueRow struct {
	ID           int64   `db:"id"`
	Channel      string  `db:"channel"`
	TimeZone     string  `db:"timezone"`
	Schedule     string  `db:"schedule"`
	NextSlot     utcTime `db:"next_slot"`
	LastPromptID string  `db:"last_prompt_id"`
}

// subscriber is the part of the subscriber a plan is given.
func (r dueRow) subscriber() (steady.Subscriber, error) {
	sched, err := steady.ParseSchedule(r.Schedule)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("subscriber %d: schedule: %w", r.ID, err)
	}
	return steady.Subscriber{
		ID:       r.ID,
		Channel:  steady.Channel(r.Channel),
		TimeZone: r.TimeZone,
		Schedule: sched,
		Status:   steady.StatusActive,
		NextSlot: r.NextSlot.time(),
	}, nil
}

// maxPreallocatedDue bounds the rows claimDue makes room for before the
// select, whatever the limit asked.
const maxPreallocatedDue = 10000

// plannedPrompt is one due subscriber's delivery, with the slot it was
// claimed at and the one after it.
type plannedPrompt struct {
	d        steady.Delivery
	claimed  time.Time // the subscriber's next_slot when claimed
	next     time.Time
	inserted bool
}

// claimDue returns the number inserted, the per-subscriber plan failures,
// and an error only for a database failure (which aborts the transaction).
func claimDue(ctx context.Context, tx *tx, now time.Time, limit int, plan PlanFunc) (int, []error, error) {
	// Room for a whole batch: sqlx appends row by row, and growing a slice
	// of these rows was a tenth of the select's cost.
	rows := make([]dueRow, 0, min(limit, maxPreallocatedDue))
	if err := tx.sel(ctx, &rows, tx.dialect.claimDue, tx.ts(now), limit); err != nil {
		return 0, nil, err
	}
	planned := make([]plannedPrompt, 0, len(rows))
	var planErrs []error
	for _, r := range rows {
		p, err := planOne(r, plan)
		if err != nil {
			planErrs = append(planErrs, fmt.Errorf("subscriber %d: %w", r.ID, err))
			if _, err := tx.exec(ctx, `UPDATE subscribers SET next_slot = NULL WHERE id = ? AND next_slot = ?`,
				r.ID, tx.ts(r.NextSlot.time())); err != nil {
				return 0, nil, fmt.Errorf("subscriber %d: %w", r.ID, err)
			}
			continue
		}
		planned = append(planned, p)
	}
	if len(planned) == 0 {
		return 0, planErrs, nil
	}
	sql := claimSQLFor(tx.dialect)
	inserted, err := sql.insertPrompts(ctx, tx, planned, now)
	if err != nil {
		return 0, nil, fmt.Errorf("queueing prompts: %w", err)
	}
	for i := range planned {
		planned[i].inserted = inserted[planned[i].d.SubscriberID]
	}
	if err := sql.advance(ctx, tx, planned); err != nil {
		return 0, nil, fmt.Errorf("moving next slots: %w", err)
	}
	return len(inserted), planErrs, nil
}

// planOne plans one due subscriber's delivery. Its errors are the plan's,
// or the stored row's, never the database's.
func planOne(r dueRow, plan PlanFunc) (plannedPrompt, error) {
	sub, err := r.subscriber()
	if err != nil {
		return plannedPrompt{}, err
	}
	d, next, err := plan(sub, r.LastPromptID)
	if err != nil {
		return plannedPrompt{}, err
	}
	if d.SubscriberID != sub.ID {
		return plannedPrompt{}, fmt.Errorf("plan returned a delivery for subscriber %d", d.SubscriberID)
	}
	if err := checkNewDelivery(d); err != nil {
		return plannedPrompt{}, err
	}
	if d.Kind != steady.KindPrompt {
		return plannedPrompt{}, steady.Invalid("kind", "the plan of a due slot returned a %q delivery", d.Kind)
	}
	return plannedPrompt{d: d, claimed: sub.NextSlot, next: next}, nil
}

// claimSQL is the part of a claim whose SQL differs between dialects: the
// batch's statements.
type claimSQL interface {
	// insertPrompts queues the planned deliveries (status queued, no
	// attempts, due now), skipping any whose (subscriber, kind, slot)
	// exists, and returns the subscribers whose delivery was written.
	insertPrompts(ctx context.Context, tx *tx, ps []plannedPrompt, now time.Time) (map[int64]bool, error)
	// advance moves each subscriber's next_slot from claimed to next,
	// only where it still holds claimed, and, where the delivery was
	// inserted and is later than their latest, records it as the latest
	// prompt.
	advance(ctx context.Context, tx *tx, ps []plannedPrompt) error
}

func claimSQLFor(d *dialect) claimSQL {
	if d.name == postgresDialect.name {
		return postgresClaim{}
	}
	return sqliteClaim{}
}
