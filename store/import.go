package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// ImportRow is one checked row of an imported list (package importer).
type ImportRow struct {
	Channel  steady.Channel
	Address  string // normalized as sign-up normalizes it
	TimeZone string
	Schedule steady.Schedule
	// AddressHash is the keyed hash of Address (AddressHasher), under
	// which an erased subscriber's opt-out is kept.
	AddressHash string
	Discreet    bool
	// Consent is recorded for the new subscriber: with ImportBatch.Active
	// a confirmed consent (At: when the person consented), else a
	// requested one (At: the import's Now).
	Consent steady.Consent
	// NextSlot is the first prompt of an Active import.
	NextSlot time.Time
}

// ImportBatch is a batch of rows imported in one transaction.
type ImportBatch struct {
	Rows []ImportRow
	// Active: the rows carry their consent evidence and become active at
	// once; otherwise each new subscriber is pending and gets a
	// confirmation, as a sign-up does.
	Active bool
	Now    time.Time
}

// ImportResult counts what ImportSubscribers did with a batch.
type ImportResult struct {
	Imported       int // new subscribers
	AlreadyThere   int // the address was subscribed (in any state but unsubscribed): left alone
	OptedOut       int // the address had asked to stop: not added
	ConfirmsQueued int // confirmation deliveries queued
}

// importChunk is how many rows go in one multi-row statement: well under
// SQLite's and PostgreSQL's limits on parameters.
const importChunk = 400

// ImportSubscribers adds the batch's new addresses in one transaction,
// a few statements per chunk of rows rather than one per row, and is
// idempotent: an address already stored is counted AlreadyThere and left
// exactly as it was (its status, schedule and consents), so importing the
// same list again adds nobody.
//
// An address whose latest word was to stop (its subscriber is
// unsubscribed, or pending again after unsubscribing, or an erased
// subscriber's opt-out is kept under its AddressHash) is counted OptedOut
// and not added: an operator's list does not overrule the person.
//
// Each new subscriber gets its row's consent. Without Active it is pending
// and a confirmation delivery (slot Now truncated to the second) is queued
// and confirm_sent_at set, as RequestSubscription does, so the confirmation
// link it carries works as a sign-up's; with Active it is active with
// confirmed_at Now and next_slot the row's NextSlot.
//
// The (channel, address) unique key is the last guard: a row that a
// concurrent sign-up inserted first is counted AlreadyThere.
func (db *DB) ImportSubscribers(ctx context.Context, b ImportBatch) (ImportResult, error) {
	if b.Now.IsZero() {
		return ImportResult{}, errors.New("store: import subscribers: no time given")
	}
	for i, r := range b.Rows {
		check := steady.Subscriber{Channel: r.Channel, Address: r.Address, TimeZone: r.TimeZone,
			Schedule: r.Schedule, Status: steady.StatusPending}
		if err := check.Validate(); err != nil {
			return ImportResult{}, fmt.Errorf("store: import subscribers: row %d: %w", i, err)
		}
		if b.Active && r.NextSlot.IsZero() {
			return ImportResult{}, fmt.Errorf("store: import subscribers: row %d: an active import needs its next slot", i)
		}
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return ImportResult{}, fmt.Errorf("store: import subscribers: %w", err)
	}
	defer tx.rollback()
	if q := db.dialect.customPlans; q != "" {
		// A chunk's lookups are IN lists of parameters.
		if _, err := tx.exec(ctx, q); err != nil {
			return ImportResult{}, fmt.Errorf("store: import subscribers: %w", err)
		}
	}
	var res ImportResult
	for start := 0; start < len(b.Rows); start += importChunk {
		chunk := b.Rows[start:min(start+importChunk, len(b.Rows))]
		if err := importChunkRows(ctx, tx, b, chunk, &res); err != nil {
			return ImportResult{}, fmt.Errorf("store: import subscribers: %w", err)
		}
	}
	if err := tx.commit(); err != nil {
		return ImportResult{}, fmt.Errorf("store: import subscribers: %w", err)
	}
	return res, nil
}

// importKey names an address on a channel.
type importKey struct {
	channel steady.Channel
	address string
}

func importChunkRows(ctx context.Context, tx *tx, b ImportBatch, rows []ImportRow, res *ImportResult) error {
	present, err := presentAddresses(ctx, tx, rows)
	if err != nil {
		return err
	}
	optedOut, err := keptOptOuts(ctx, tx, rows)
	if err != nil {
		return err
	}
	var fresh []ImportRow
	for _, r := range rows {
		stopped, there := present[importKey{r.Channel, r.Address}]
		switch {
		case there && stopped:
			res.OptedOut++
		case there:
			res.AlreadyThere++
		case optedOut[importKey{r.Channel, r.AddressHash}]:
			res.OptedOut++
		default:
			fresh = append(fresh, r)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	ids, err := insertImported(ctx, tx, b, fresh)
	if err != nil {
		return err
	}
	var added []ImportRow
	var addedIDs []int64
	for _, r := range fresh {
		if id, ok := ids[importKey{r.Channel, r.Address}]; ok {
			added = append(added, r)
			addedIDs = append(addedIDs, id)
		} else {
			res.AlreadyThere++ // a sign-up got there first
		}
	}
	if len(added) == 0 {
		return nil
	}
	res.Imported += len(added)
	if err := insertImportedConsents(ctx, tx, b, added, addedIDs); err != nil {
		return err
	}
	if !b.Active {
		n, err := queueImportedConfirms(ctx, tx, b, added, addedIDs)
		if err != nil {
			return err
		}
		res.ConfirmsQueued += n
	}
	return nil
}

// confirmValues is the VALUES groups of queueImportedConfirms: a
// confirmation's fixed columns written out, the rest parameters.
func confirmValues(rows int) string {
	group := "(?, 'confirm', ?, ?, '', '', '', 'queued', 0, ?, '', '', ?, ?)"
	return strings.TrimSuffix(strings.Repeat(group+", ", rows), ", ")
}

// placeholders is "(?, ?, …), (…)": rows groups of width ?s.
func placeholders(rows, width int) string {
	group := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(group+", ", rows), ", ")
}

// presentAddresses is the rows' addresses already stored, each with
// whether its latest word was to stop (as askedToStop decides for a
// stored subscriber: unsubscribed_at is set).
func presentAddresses(ctx context.Context, tx *tx, rows []ImportRow) (map[importKey]bool, error) {
	args := make([]any, len(rows))
	for i, r := range rows {
		args[i] = r.Address
	}
	var found []struct {
		Channel        string  `db:"channel"`
		Address        string  `db:"address"`
		UnsubscribedAt utcTime `db:"unsubscribed_at"`
	}
	if err := tx.sel(ctx, &found, `SELECT channel, address, unsubscribed_at FROM subscribers
		WHERE channel IN ('email', 'sms') AND address IN `+placeholders(1, len(rows)), args...); err != nil {
		return nil, fmt.Errorf("looking addresses up: %w", err)
	}
	out := make(map[importKey]bool, len(found))
	for _, f := range found {
		out[importKey{steady.Channel(f.Channel), f.Address}] = !f.UnsubscribedAt.time().IsZero()
	}
	return out, nil
}

// keptOptOuts is the rows' address hashes (keyed with their channel)
// whose latest kept compliance record is an opt-out, as keptOptOut
// decides for one address.
func keptOptOuts(ctx context.Context, tx *tx, rows []ImportRow) (map[importKey]bool, error) {
	var args []any
	for _, r := range rows {
		if r.AddressHash != "" {
			args = append(args, r.AddressHash)
		}
	}
	if len(args) == 0 {
		return nil, nil
	}
	var recs []struct {
		Channel     string `db:"channel"`
		AddressHash string `db:"address_hash"`
		Action      string `db:"action"`
	}
	if err := tx.sel(ctx, &recs, `SELECT channel, address_hash, action FROM compliance_records
		WHERE channel IN ('email', 'sms') AND address_hash IN `+placeholders(1, len(args))+` ORDER BY at, id`, args...); err != nil {
		return nil, fmt.Errorf("reading compliance records: %w", err)
	}
	out := map[importKey]bool{}
	for _, r := range recs { // oldest first: the last one read wins
		out[importKey{steady.Channel(r.Channel), r.AddressHash}] = r.Action == ComplianceOptedOut
	}
	return out, nil
}

// insertImported inserts the rows as new subscribers and returns the ids
// of those it inserted (a row inserted meanwhile is skipped by the unique
// key and missing from the answer).
func insertImported(ctx context.Context, tx *tx, b ImportBatch, rows []ImportRow) (map[importKey]int64, error) {
	const width = 10
	args := make([]any, 0, width*len(rows))
	status, confirmSent, confirmed := "pending", tx.ts(b.Now), tx.ts(time.Time{})
	if b.Active {
		status, confirmSent, confirmed = "active", tx.ts(time.Time{}), tx.ts(b.Now)
	}
	for _, r := range rows {
		next := tx.ts(time.Time{})
		if b.Active {
			next = tx.ts(r.NextSlot)
		}
		args = append(args, string(r.Channel), r.Address, r.TimeZone, r.Schedule.String(), status,
			next, tx.ts(b.Now), flag(r.Discreet), confirmSent, confirmed)
	}
	var inserted []struct {
		ID      int64  `db:"id"`
		Channel string `db:"channel"`
		Address string `db:"address"`
	}
	if err := tx.sel(ctx, &inserted, `INSERT INTO subscribers (channel, address, timezone, schedule, status, next_slot,
			created_at, discreet, confirm_sent_at, confirmed_at)
		VALUES `+placeholders(len(rows), width)+`
		ON CONFLICT (channel, address) DO NOTHING
		RETURNING id, channel, address`, args...); err != nil {
		return nil, fmt.Errorf("inserting subscribers: %w", err)
	}
	ids := make(map[importKey]int64, len(inserted))
	for _, r := range inserted {
		ids[importKey{steady.Channel(r.Channel), r.Address}] = r.ID
	}
	return ids, nil
}

// insertImportedConsents records each new subscriber's consent, the
// wording sealed under its own row as insertConsent seals it.
func insertImportedConsents(ctx context.Context, tx *tx, b ImportBatch, rows []ImportRow, ids []int64) error {
	const width = 6
	args := make([]any, 0, width*len(rows))
	for i, r := range rows {
		c := r.Consent
		c.Action = steady.ConsentRequested
		if b.Active {
			c.Action = steady.ConsentConfirmed
		}
		if c.At.IsZero() {
			c.At = b.Now
		}
		args = append(args, ids[i], string(c.Action), tx.ts(c.At), c.Method, c.IP, tx.seal(consentWording, c.Wording, ids[i]))
	}
	if _, err := tx.exec(ctx, `INSERT INTO consents (subscriber_id, action, at, method, ip, wording)
		VALUES `+placeholders(len(rows), width), args...); err != nil {
		return fmt.Errorf("recording consents: %w", err)
	}
	return nil
}

// queueImportedConfirms queues one confirmation per new subscriber, as
// insertDelivery queues a sign-up's.
func queueImportedConfirms(ctx context.Context, tx *tx, b ImportBatch, rows []ImportRow, ids []int64) (int, error) {
	const width = 6
	slot := tx.ts(b.Now.Truncate(time.Second))
	now := tx.ts(b.Now)
	args := make([]any, 0, width*len(rows))
	for i, r := range rows {
		args = append(args, ids[i], string(r.Channel), slot, now, now, now)
	}
	n, err := tx.exec(ctx, `INSERT INTO deliveries (subscriber_id, kind, channel, slot, prompt_id, theme, prompt_text,
			status, attempts, next_attempt_at, provider_id, last_error, created_at, updated_at)
		VALUES `+confirmValues(len(rows))+`
		ON CONFLICT (subscriber_id, kind, slot) DO NOTHING`, args...)
	if err != nil {
		return 0, fmt.Errorf("queueing confirmations: %w", err)
	}
	return int(n), nil
}
