package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// AddressHasher gives the keyed hash of an address under which compliance
// records are kept (compliance.Hasher).
type AddressHasher interface {
	HashAddress(ch steady.Channel, address string) (string, error)
}

// Compliance record actions.
const (
	ComplianceConsented = "consented" // the owner confirmed a sign-up
	ComplianceOptedOut  = "opted_out" // the owner asked to stop
)

// ComplianceRecord is what erasing a subscriber keeps of one of their
// consent records: when they confirmed or asked to stop, how, and (for a
// confirmation) the programme's wording they were shown. It holds no
// address, IP or words of theirs, only the address's keyed hash.
type ComplianceRecord struct {
	Channel     steady.Channel
	AddressHash string
	Action      string // ComplianceConsented or ComplianceOptedOut
	At          time.Time
	Method      string
	Wording     string
}

type complianceRow struct {
	ID          int64   `db:"id"`
	Channel     string  `db:"channel"`
	AddressHash string  `db:"address_hash"`
	Action      string  `db:"action"`
	At          utcTime `db:"at"`
	Method      string  `db:"method"`
	Wording     string  `db:"wording"`
}

// ComplianceRecords returns the records kept for the address with this
// hash on this channel, oldest first (none is not an error).
func (db *DB) ComplianceRecords(ctx context.Context, ch steady.Channel, hash string) ([]ComplianceRecord, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: compliance records: %w", err)
	}
	defer tx.rollback()
	var rows []complianceRow
	if err := tx.sel(ctx, &rows, `SELECT id, channel, address_hash, action, at, method, wording
		FROM compliance_records WHERE channel = ? AND address_hash = ? ORDER BY at, id`, string(ch), hash); err != nil {
		return nil, fmt.Errorf("store: compliance records: %w", err)
	}
	out := make([]ComplianceRecord, len(rows))
	for i, r := range rows {
		wording, err := tx.open(complianceWording, r.ID, r.Wording, r.Channel, r.AddressHash)
		if err != nil {
			return nil, fmt.Errorf("store: compliance records: %w", err)
		}
		out[i] = ComplianceRecord{Channel: steady.Channel(r.Channel), AddressHash: r.AddressHash, Action: r.Action,
			At: r.At.time(), Method: r.Method, Wording: wording}
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: compliance records: %w", err)
	}
	return out, nil
}

// keepComplianceRecords files, under hash, what compliance needs of sub's
// consent records before they are erased with sub:
//
//   - each confirmation becomes "consented": its time; its method, after
//     the method of the sign-up it confirmed ("api:partner; confirmed by
//     web"); the programme's wording shown at that sign-up and at the
//     confirmation. A sign-up never confirmed is not a consent and is not
//     kept, nor is any IP.
//   - each unsubscription becomes "opted_out": its time and method. Its
//     wording is not kept: for a text it quotes what the person texted.
//
// The unique key makes keeping the same record twice a no-op.
func keepComplianceRecords(ctx context.Context, tx *tx, sub steady.Subscriber, hash string) error {
	var rows []consentRow
	if err := tx.sel(ctx, &rows, `SELECT id, subscriber_id, action, at, method, ip, wording
		FROM consents WHERE subscriber_id = ? ORDER BY id`, sub.ID); err != nil {
		return fmt.Errorf("reading consents: %w", err)
	}
	for i := range rows {
		// Each wording is sealed under its consent row; opened here to be
		// sealed again under the kept record.
		w, err := tx.open(consentWording, rows[i].ID, rows[i].Wording, rows[i].SubscriberID)
		if err != nil {
			return fmt.Errorf("reading consents: %w", err)
		}
		rows[i].Wording = w
	}
	var request *consentRow
	for i := range rows {
		c := rows[i]
		var method, wording, action string
		switch steady.ConsentAction(c.Action) {
		case steady.ConsentRequested:
			request = &rows[i]
			continue
		case steady.ConsentConfirmed:
			action, method, wording = ComplianceConsented, c.Method, "Confirmed with: "+c.Wording
			if request != nil {
				method = request.Method + "; confirmed by " + c.Method
				wording = "Signed up with: " + request.Wording + "\n" + wording
			}
		case steady.ConsentUnsubscribed:
			action, method = ComplianceOptedOut, c.Method
		default:
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO compliance_records (channel, address_hash, action, at, method, wording)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			string(sub.Channel), hash, action, tx.ts(c.At.time()), method,
			tx.seal(complianceWording, strings.TrimSpace(wording), string(sub.Channel), hash)); err != nil {
			return fmt.Errorf("keeping compliance record: %w", err)
		}
	}
	return nil
}

// keptOptOut is when an erased subscriber with this address hash last
// asked to stop, unless a later kept consent (they came back and were
// erased again) superseded it; zero if none holds.
func keptOptOut(ctx context.Context, tx *tx, ch steady.Channel, hash string) (time.Time, error) {
	if hash == "" {
		return time.Time{}, nil
	}
	var rows []complianceRow
	if err := tx.sel(ctx, &rows, `SELECT id, channel, address_hash, action, at, method, wording
		FROM compliance_records WHERE channel = ? AND address_hash = ? ORDER BY at DESC, id DESC`, string(ch), hash); err != nil {
		return time.Time{}, fmt.Errorf("reading compliance records: %w", err)
	}
	if len(rows) == 0 || rows[0].Action != ComplianceOptedOut {
		return time.Time{}, nil
	}
	return rows[0].At.time(), nil
}

// errNoHasher: erasure without a hasher would lose the opt-outs.
var errNoHasher = errors.New("no address hasher given: erasing without keeping the compliance records would let an erased opt-out be signed up again")
