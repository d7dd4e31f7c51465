// Package importer brings an existing list of subscribers in from a CSV
// file: Parse checks every row with sign-up's rules and reports every
// problem (line, column, reason) before anything is written; Import
// writes the good rows in batches, idempotently, honouring every opt-out.
//
// By default each new subscriber is pending and gets a confirmation, as
// a sign-up does (double opt-in). With Options.Consented the rows carry
// their consent evidence (consent_text, consented_at), which is recorded,
// and they become active at once.
//
// The command line (steady subscribers import) and the operator console's
// upload both use it:
//
//	plan, err := importer.Parse(file, opts)
//	// show plan.Problems; if there are none (or opts.SkipBad):
//	tally, err := importer.Import(ctx, db, plan, opts, progress)
package importer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// Addresses are sign-up's rules for addresses (web.AddressRules): which
// channels are offered here, and how a typed address is normalized
// (steady.NormalizeEmail; phones with the SMS region and countries).
type Addresses interface {
	Offers(ch steady.Channel) bool
	Normalize(ch steady.Channel, typed string) (string, error)
}

// Store is what Import writes with (*store.DB).
type Store interface {
	ImportSubscribers(ctx context.Context, b store.ImportBatch) (store.ImportResult, error)
}

var _ Store = (*store.DB)(nil)

// DefaultBatch is how many rows Import writes per transaction unless told
// otherwise.
const DefaultBatch = 2000

// Options say how a file is read and imported. Parse uses Addresses,
// Consented and Clock; Import uses the rest too.
type Options struct {
	// Addresses are sign-up's address rules (required).
	Addresses Addresses
	// Hasher gives the keyed hash under which an erased subscriber's
	// opt-out is kept (required by Import: without it an erased address
	// that asked to stop would be added back).
	Hasher store.AddressHasher
	// Consented: rows are imported active, with their consent evidence,
	// which every row must carry; otherwise each gets a confirmation.
	Consented bool
	// SkipBad: Import writes the good rows of a plan with problems
	// instead of nothing.
	SkipBad bool
	// Source names the file in the consent records ("imported from
	// Source by Operator on DATE").
	Source string
	// Operator is who imported it.
	Operator string
	// Clock gives the import's time (steady.SystemClock if nil).
	Clock steady.Clock
	// Batch is how many rows go in one transaction (DefaultBatch if 0).
	Batch int
}

func (o Options) now() time.Time {
	if o.Clock == nil {
		return time.Now()
	}
	return o.Clock.Now()
}

// Tally is what an import did.
type Tally struct {
	Imported       int // new subscribers
	AlreadyThere   int // already subscribed: left as they were
	OptedOut       int // had asked to stop (unsubscribed, or erased with their opt-out kept): not added
	BadSkipped     int // rows with problems, not imported (SkipBad)
	ConfirmsQueued int // confirmations queued (not Consented)
}

// String is the final line of an import.
func (t Tally) String() string {
	return fmt.Sprintf("%d imported, %d already there, %d opted out (skipped), %d bad rows skipped, %d confirmations queued",
		t.Imported, t.AlreadyThere, t.OptedOut, t.BadSkipped, t.ConfirmsQueued)
}

// ErrProblems is Import's refusal of a plan with problems without SkipBad:
// nothing was written.
var ErrProblems = errors.New("importer: the file has bad rows; nothing was imported (fix them, or skip them with --skip-bad)")

// Import writes plan's good rows to st in batches of opts.Batch rows,
// one transaction each, calling progress (if not nil) after each with the
// rows done so far and the total. A plan with problems is refused with
// ErrProblems and nothing written, unless opts.SkipBad.
//
// Importing the same file again imports nobody new: addresses already
// there are left as they are. An address that asked to stop is not
// added. On error the batches before it stay imported, and a rerun goes
// on where it stopped.
func Import(ctx context.Context, st Store, plan Plan, opts Options, progress func(done, total int)) (Tally, error) {
	t := Tally{BadSkipped: plan.Bad()}
	if len(plan.Problems) > 0 && !opts.SkipBad {
		return t, ErrProblems
	}
	if opts.Hasher == nil {
		return t, errors.New("importer: import: no address hasher given: the opt-outs kept for erased addresses could not be honoured")
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	now := opts.now()
	total := len(plan.Rows)
	for start := 0; start < total; start += batch {
		if err := ctx.Err(); err != nil {
			return t, fmt.Errorf("importer: import: %w", err)
		}
		rows := plan.Rows[start:min(start+batch, total)]
		b, err := opts.batch(rows, now)
		if err != nil {
			return t, err
		}
		res, err := st.ImportSubscribers(ctx, b)
		if err != nil {
			return t, fmt.Errorf("importer: import of lines %d to %d: %w", rows[0].Line, rows[len(rows)-1].Line, err)
		}
		t.Imported += res.Imported
		t.AlreadyThere += res.AlreadyThere
		t.OptedOut += res.OptedOut
		t.ConfirmsQueued += res.ConfirmsQueued
		if progress != nil {
			progress(start+len(rows), total)
		}
	}
	return t, nil
}

// Method is the consent records' method for an import.
const Method = "import"

// Provenance is the sentence every imported consent record carries.
func (o Options) Provenance(now time.Time) string {
	source, operator := o.Source, o.Operator
	if source == "" {
		source = "a CSV file"
	}
	if operator == "" {
		operator = "the operator"
	}
	return fmt.Sprintf("Imported from %s by %s on %s.", source, operator, now.UTC().Format(time.DateOnly))
}

// batch turns rows into the store's batch: hashed addresses, consents
// worded, and (Consented) the first slot computed as a confirmation
// computes it.
func (o Options) batch(rows []Row, now time.Time) (store.ImportBatch, error) {
	b := store.ImportBatch{Active: o.Consented, Now: now, Rows: make([]store.ImportRow, len(rows))}
	provenance := o.Provenance(now)
	var zones steady.Locations // a list has few zones and many rows
	for i, r := range rows {
		hash, err := o.Hasher.HashAddress(r.Channel, r.Address)
		if err != nil {
			return store.ImportBatch{}, fmt.Errorf("importer: line %d: %w", r.Line, err)
		}
		ir := store.ImportRow{
			Channel: r.Channel, Address: r.Address, TimeZone: r.TimeZone, Schedule: r.Schedule,
			AddressHash: hash,
			// As a sign-up: texts are discreet unless the person says
			// otherwise (a lock screen shows them to whoever holds it).
			Discreet: r.Channel == steady.ChannelSMS,
			Consent:  steady.Consent{Method: Method, At: now, Wording: provenance},
		}
		if r.ConsentText != "" {
			ir.Consent.Wording = "Agreed to, as the list's owner recorded it: " + r.ConsentText + "\n" + provenance
		}
		if o.Consented {
			if r.ConsentedAt.IsZero() || r.ConsentText == "" {
				return store.ImportBatch{}, fmt.Errorf("importer: line %d: no consent evidence for a consented import", r.Line)
			}
			ir.Consent.At = r.ConsentedAt
			loc, err := zones.Load(r.TimeZone)
			if err != nil {
				return store.ImportBatch{}, fmt.Errorf("importer: line %d: %w", r.Line, err)
			}
			ir.NextSlot = r.Schedule.Next(now, loc)
		}
		b.Rows[i] = ir
	}
	return b, nil
}
