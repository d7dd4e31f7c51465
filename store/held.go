package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// HeldMessage is one inbound message that was not filed, kept whole for a
// person to look at: a reply that matched no prompt, mail whose sender is
// not authenticated, a message that could not be read.
type HeldMessage struct {
	ID         int64     `db:"id"`
	ReceivedAt time.Time `db:"-"`
	// Source is where it came from: "smtp", "imap" or a provider's name.
	Source string `db:"source"`
	// Reason is a fixed phrase: "unmatched", "unauthenticated", "rejected".
	Reason string `db:"reason"`
	// Detail is the processor's fixed phrase of why; never message text.
	Detail string `db:"detail"`
	// MessageID is the message's Message-ID header, or "".
	MessageID string `db:"-"`
	Raw       []byte `db:"-"`
	// SenderHash is the keyed hash of the From address (AddressHasher,
	// email), or "": erasing that address's subscriber erases the message.
	SenderHash string `db:"sender_hash"`
}

// HeldRetention is how long held mail is kept: each new held message
// first removes those older than this, so junk sent to the From address
// cannot pile up and nobody's words stay for good.
const HeldRetention = 30 * 24 * time.Hour

// maxHeldBytes bounds one held message; inbound receivers refuse larger
// ones before they get here.
const maxHeldBytes = 64 << 20

func (m HeldMessage) validate() error {
	switch {
	case m.Source == "" || len(m.Source) > 32:
		return steady.Invalid("source", "a held message needs a source of 1 to 32 characters")
	case m.Reason == "" || len(m.Reason) > 32:
		return steady.Invalid("reason", "a held message needs a reason of 1 to 32 characters")
	case len(m.Raw) == 0:
		return steady.Invalid("raw", "a held message needs its raw bytes")
	case len(m.Raw) > maxHeldBytes:
		return steady.Invalid("raw", "a held message is at most %d bytes", maxHeldBytes)
	case m.ReceivedAt.IsZero():
		return steady.Invalid("received_at", "a held message needs the time it was received")
	}
	return nil
}

// HoldInbound keeps m aside. The same bytes from the same source are held
// once (a database constraint): a retried delivery returns the first
// row's id with created false.
func (db *DB) HoldInbound(ctx context.Context, m HeldMessage) (id int64, created bool, err error) {
	if err := m.validate(); err != nil {
		return 0, false, fmt.Errorf("store: hold inbound: %w", err)
	}
	if len(m.MessageID) > 1000 {
		m.MessageID = m.MessageID[:1000]
	}
	sum := sha256.Sum256(m.Raw)
	digest := hex.EncodeToString(sum[:])
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("store: hold inbound: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.exec(ctx, `DELETE FROM inbound_held WHERE received_at < ?`, tx.ts(m.ReceivedAt.Add(-HeldRetention))); err != nil {
		return 0, false, fmt.Errorf("store: hold inbound: removing old held mail: %w", err)
	}
	id, created, err = tx.insertID(ctx, `INSERT INTO inbound_held (received_at, source, reason, detail, message_id, raw_sha256, raw, sender_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, raw_sha256) DO NOTHING RETURNING id`,
		tx.ts(m.ReceivedAt), m.Source, m.Reason, m.Detail, nullString(m.MessageID), digest,
		tx.seal(heldRaw, base64.StdEncoding.EncodeToString(m.Raw), m.Source, digest), m.SenderHash)
	if err != nil {
		return 0, false, fmt.Errorf("store: hold inbound: %w", err)
	}
	if !created {
		if err := tx.get(ctx, &id, `SELECT id FROM inbound_held WHERE source = ? AND raw_sha256 = ?`, m.Source, digest); err != nil {
			return 0, false, fmt.Errorf("store: hold inbound: %w", err)
		}
	}
	if err := tx.commit(); err != nil {
		return 0, false, fmt.Errorf("store: hold inbound: %w", err)
	}
	return id, created, nil
}

type heldRow struct {
	HeldMessage
	At     utcTime        `db:"received_at"`
	MID    sql.NullString `db:"message_id"`
	Digest string         `db:"raw_sha256"`
	Sealed string         `db:"raw"`
}

// message opens the row's sealed raw bytes.
func (r heldRow) message(tx *tx) (HeldMessage, error) {
	m := r.HeldMessage
	m.ReceivedAt, m.MessageID = r.At.time(), r.MID.String
	b64, err := tx.open(heldRaw, r.ID, r.Sealed, r.Source, r.Digest)
	if err != nil {
		return HeldMessage{}, err
	}
	if m.Raw, err = base64.StdEncoding.DecodeString(b64); err != nil {
		return HeldMessage{}, fmt.Errorf("inbound_held.raw of row %d: %w", r.ID, err)
	}
	return m, nil
}

const heldColumns = `id, received_at, source, reason, detail, message_id, raw_sha256, raw, sender_hash`

// HeldMessages returns up to limit held messages, newest first.
func (db *DB) HeldMessages(ctx context.Context, limit int) ([]HeldMessage, error) {
	if limit < 1 {
		return nil, fmt.Errorf("store: held messages: %w", steady.Invalid("limit", "want at least 1"))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: held messages: %w", err)
	}
	defer tx.rollback()
	var rows []heldRow
	if err := tx.sel(ctx, &rows, `SELECT `+heldColumns+` FROM inbound_held ORDER BY received_at DESC, id DESC LIMIT ?`, limit); err != nil {
		return nil, fmt.Errorf("store: held messages: %w", err)
	}
	out := make([]HeldMessage, len(rows))
	for i, r := range rows {
		if out[i], err = r.message(tx); err != nil {
			return nil, fmt.Errorf("store: held messages: %w", err)
		}
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: held messages: %w", err)
	}
	return out, nil
}

// HeldMessage returns one held message, or an error wrapping
// steady.ErrNotFound.
func (db *DB) HeldMessage(ctx context.Context, id int64) (HeldMessage, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return HeldMessage{}, fmt.Errorf("store: held message %d: %w", id, err)
	}
	defer tx.rollback()
	var r heldRow
	if err := tx.get(ctx, &r, `SELECT `+heldColumns+` FROM inbound_held WHERE id = ?`, id); err != nil {
		return HeldMessage{}, fmt.Errorf("store: held message %d: %w", id, notFound(err))
	}
	m, err := r.message(tx)
	if err != nil {
		return HeldMessage{}, fmt.Errorf("store: held message %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return HeldMessage{}, fmt.Errorf("store: held message %d: %w", id, err)
	}
	return m, nil
}

// DeleteHeld removes a held message, or returns an error wrapping
// steady.ErrNotFound.
func (db *DB) DeleteHeld(ctx context.Context, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: delete held %d: %w", id, err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, `DELETE FROM inbound_held WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete held %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("store: delete held %d: %w", id, steady.ErrNotFound)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: delete held %d: %w", id, err)
	}
	return nil
}
