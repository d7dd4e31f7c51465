package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// RotateBatch is how many rows RotateKeys rewrites per transaction unless
// told otherwise.
const RotateBatch = 500

// RotateProgress is where a rotation stands, after each batch.
type RotateProgress struct {
	Column  string // "replies.body", the column of the last batch
	Done    int64  // values sealed again with the current key so far
	Total   int64  // values not sealed with the current key when the run began
	Changed int64  // values changed by someone else while being rotated, left for the next run
}

// RotateKeys seals every value of every sealed column that is not sealed
// with the current key (older keys' values and plaintext rows) again with
// the current key, batch rows (RotateBatch if 0 or less) per transaction.
// progress, if not nil, is called after each batch.
//
// Each row is rewritten with a compare-and-swap on its old value, so a
// concurrent write or erasure (serve may keep running) wins and is never
// lost; such rows are counted in Changed and a second run picks them up if
// they still need it. Only rows still needing rotation are read, so a run
// that was interrupted (ctx cancelled, the process killed) is resumed by
// running it again; every batch before the interruption is committed.
//
// A value that does not open (a key not loaded, a wrong key) stops the
// run with an error naming its row: every old key must be loaded.
func (db *DB) RotateKeys(ctx context.Context, batch int, progress func(RotateProgress)) (RotateProgress, error) {
	if db.keys == nil {
		return RotateProgress{}, errors.New("store: rotate keys: no encryption key is loaded")
	}
	if batch <= 0 {
		batch = RotateBatch
	}
	var p RotateProgress
	for _, c := range sealedColumns {
		n, err := db.countToRotate(ctx, c)
		if err != nil {
			return p, fmt.Errorf("store: rotate keys: %w", err)
		}
		p.Total += n
	}
	for _, c := range sealedColumns {
		name := c.table + "." + c.column
		var after int64
		for {
			if err := ctx.Err(); err != nil {
				return p, fmt.Errorf("store: rotate keys: %w", err)
			}
			last, done, changed, err := db.rotateBatch(ctx, c, after, batch)
			if err != nil {
				return p, fmt.Errorf("store: rotate keys: %s: %w", name, err)
			}
			if last == 0 {
				break
			}
			after = last
			p.Column = name
			p.Done += done
			p.Changed += changed
			if progress != nil {
				progress(p)
			}
		}
	}
	return p, nil
}

// needsRotation is the SQL condition "column c is not sealed with the
// current key", with the prefix as its one argument. substr, not LIKE:
// SQLite's LIKE ignores case, and key ids do not.
func (db *DB) needsRotation(c sealedColumn) string {
	return fmt.Sprintf("substr(%s, 1, %d) <> ?", c.column, len(db.keys.CurrentPrefix()))
}

func (db *DB) countToRotate(ctx context.Context, c sealedColumn) (int64, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.rollback()
	var n int64
	if err := tx.get(ctx, &n, `SELECT count(*) FROM `+c.table+` WHERE `+db.needsRotation(c), db.keys.CurrentPrefix()); err != nil {
		return 0, fmt.Errorf("counting %s.%s: %w", c.table, c.column, err)
	}
	return n, tx.commit()
}

// rotateBatch rotates up to batch rows of column c with a key above
// after, in one transaction. last is the highest key read (0: none left).
func (db *DB) rotateBatch(ctx context.Context, c sealedColumn, after int64, batch int) (last, done, changed int64, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	defer tx.rollback()
	cols := []string{c.key, c.column}
	for _, a := range c.aadColumns {
		cols = append(cols, "CAST("+a+" AS TEXT)")
	}
	rows, err := tx.tx.QueryContext(ctx, tx.tx.Rebind(`SELECT `+strings.Join(cols, ", ")+` FROM `+c.table+
		` WHERE `+c.key+` > ? AND `+db.needsRotation(c)+` ORDER BY `+c.key+` LIMIT ?`), after, db.keys.CurrentPrefix(), batch)
	if err != nil {
		return 0, 0, 0, err
	}
	type item struct {
		id    int64
		value string
		row   []any
	}
	var items []item
	for rows.Next() {
		var it item
		row := make([]string, len(c.aadColumns))
		dest := []any{&it.id, &it.value}
		for i := range row {
			dest = append(dest, &row[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return 0, 0, 0, err
		}
		for _, v := range row {
			it.row = append(it.row, v)
		}
		items = append(items, it)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, 0, 0, err
	}
	for _, it := range items {
		plain, err := tx.open(c, it.id, it.value, it.row...)
		if err != nil {
			return 0, 0, 0, err
		}
		// The old value is compared byte for byte, not through cleanArgs.
		res, err := tx.tx.ExecContext(ctx, tx.tx.Rebind(`UPDATE `+c.table+` SET `+c.column+` = ? WHERE `+c.key+` = ? AND `+c.column+` = ?`),
			tx.seal(c, plain, it.row...), it.id, it.value)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("row %d: %w", it.id, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, 0, 0, err
		}
		if n == 1 {
			done++
		} else {
			changed++
		}
		last = it.id
	}
	if err := tx.commit(); err != nil {
		return 0, 0, 0, err
	}
	return last, done, changed, nil
}
