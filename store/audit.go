package store

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/steadyapp/steady"
)

// AuditEntry is one line of the operator console's audit log: who did
// what to what, and when. Target names a row ("subscriber 42", "delivery
// 7"), never an address; nothing in an entry is message text.
type AuditEntry struct {
	ID       int64
	Operator string
	// Action is a fixed phrase: "login", "login failed", "pause", …
	Action string
	// Target is what the action was on, or "".
	Target string
	At     time.Time
}

type auditRow struct {
	ID       int64   `db:"id"`
	Operator string  `db:"operator"`
	Action   string  `db:"action"`
	Target   string  `db:"target"`
	At       utcTime `db:"at"`
}

// maxAuditField bounds each text of an entry: they are short fixed
// phrases and names, and a login form's user name is typed by anyone.
const maxAuditField = 200

// RecordAudit appends e (its ID is ignored). An entry needs an operator,
// an action and a time; texts longer than 200 bytes are cut, so a long
// name typed into the login form cannot fill the table.
func (db *DB) RecordAudit(ctx context.Context, e AuditEntry) error {
	if e.Operator == "" || e.Action == "" || e.At.IsZero() {
		return fmt.Errorf("store: record audit: %w", steady.Invalid("audit", "an audit entry needs an operator, an action and a time"))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: record audit: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.exec(ctx, `INSERT INTO audit_log (operator, action, target, at) VALUES (?, ?, ?, ?)`,
		cut(e.Operator, maxAuditField), cut(e.Action, maxAuditField), cut(e.Target, maxAuditField), tx.ts(e.At)); err != nil {
		return fmt.Errorf("store: record audit: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: record audit: %w", err)
	}
	return nil
}

// AuditLog lists entries newest first: those with an id below beforeID
// (0: from the newest), at most limit (default 100, at most 500).
func (db *DB) AuditLog(ctx context.Context, beforeID int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 500)
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer tx.rollback()
	var rows []auditRow
	q := `SELECT id, operator, action, target, at FROM audit_log`
	args := []any{}
	if beforeID > 0 {
		q += ` WHERE id < ?`
		args = append(args, beforeID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	if err := tx.sel(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{ID: r.ID, Operator: r.Operator, Action: r.Action, Target: r.Target, At: r.At.time()}
	}
	return out, nil
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
