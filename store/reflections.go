package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/steadyapp/steady"
)

// Reflection is one of the subscriber's replies with the prompt it
// answered, for their "My reflections" page. PromptText and Theme are ""
// for a reply that answers no known prompt (a text sent on its own, or
// one whose delivery is gone).
type Reflection struct {
	Reply      steady.Reply
	PromptText string
	Theme      string
}

type reflectionRow struct {
	replyRow
	PromptText string `db:"prompt_text"`
	Theme      string `db:"theme"`
}

// MaxReflectionsPage bounds the limit Reflections takes.
const MaxReflectionsPage = 200

// Reflections returns the subscriber's replies, newest first, each with
// the prompt it answered: those whose text or prompt contains query
// (case-insensitive; "" matches all), limit of them from offset, and how
// many match in all. Reply bodies are sealed, so the search runs here on
// the opened text, not in SQL; one subscriber's replies are few.
func (db *DB) Reflections(ctx context.Context, subscriberID int64, query string, limit, offset int) ([]Reflection, int, error) {
	if limit <= 0 || limit > MaxReflectionsPage || offset < 0 {
		return nil, 0, fmt.Errorf("store: reflections of %d: %w", subscriberID,
			steady.Invalid("page", "limit must be 1 to %d and offset not negative", MaxReflectionsPage))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("store: reflections of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var rows []reflectionRow
	if err := tx.sel(ctx, &rows, `SELECT r.id, r.subscriber_id, r.delivery_id, r.channel, r.body, r.received_at, r.source_id,
		COALESCE(d.prompt_text, '') AS prompt_text, COALESCE(d.theme, '') AS theme
		FROM replies r LEFT JOIN deliveries d ON d.id = r.delivery_id
		WHERE r.subscriber_id = ? ORDER BY r.received_at DESC, r.id DESC`, subscriberID); err != nil {
		return nil, 0, fmt.Errorf("store: reflections of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return nil, 0, fmt.Errorf("store: reflections of %d: %w", subscriberID, err)
	}
	needle := foldCase(strings.TrimSpace(query))
	var page []Reflection
	total := 0
	for _, row := range rows {
		r, err := row.reply(tx)
		if err != nil {
			return nil, 0, fmt.Errorf("store: reflections of %d: %w", subscriberID, err)
		}
		if needle != "" && !strings.Contains(foldCase(r.Body), needle) && !strings.Contains(foldCase(row.PromptText), needle) {
			continue
		}
		if total >= offset && len(page) < limit {
			page = append(page, Reflection{Reply: r, PromptText: row.PromptText, Theme: row.Theme})
		}
		total++
	}
	return page, total, nil
}

// foldCase lower-cases s for a case-insensitive match in any script
// ("É" finds "é").
func foldCase(s string) string { return strings.ToLower(s) }

// DeleteReply erases one reply of the subscriber and returns it as it was
// (with its prompt), so the caller can take its words out of summaries
// (RedactSummary) in the same Atomically. A reply id that is not the
// subscriber's, or not there, deletes nothing and wraps steady.ErrNotFound.
// A safety note that named the reply keeps its record with no reply. On
// SQLite the row is zeroed in the file (secure_delete); call Checkpoint
// afterwards, outside any transaction, to clear it from the -wal too.
func (db *DB) DeleteReply(ctx context.Context, subscriberID, replyID int64) (Reflection, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return Reflection{}, fmt.Errorf("store: delete reply %d: %w", replyID, err)
	}
	defer tx.rollback()
	var row reflectionRow
	err = tx.get(ctx, &row, `SELECT r.id, r.subscriber_id, r.delivery_id, r.channel, r.body, r.received_at, r.source_id,
		COALESCE(d.prompt_text, '') AS prompt_text, COALESCE(d.theme, '') AS theme
		FROM replies r LEFT JOIN deliveries d ON d.id = r.delivery_id
		WHERE r.id = ? AND r.subscriber_id = ?`, replyID, subscriberID)
	if err != nil {
		return Reflection{}, fmt.Errorf("store: delete reply %d: %w", replyID, notFound(err))
	}
	r, err := row.reply(tx)
	if err != nil {
		return Reflection{}, fmt.Errorf("store: delete reply %d: %w", replyID, err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM replies WHERE id = ? AND subscriber_id = ?`, replyID, subscriberID); err != nil {
		return Reflection{}, fmt.Errorf("store: delete reply %d: %w", replyID, err)
	}
	if err := tx.commit(); err != nil {
		return Reflection{}, fmt.Errorf("store: delete reply %d: %w", replyID, err)
	}
	return Reflection{Reply: r, PromptText: row.PromptText, Theme: row.Theme}, nil
}

// RedactSummary replaces the stored content of one of the subscriber's
// summaries (sealed again), for taking a deleted reply's words out of it.
// A summary that is not the subscriber's wraps steady.ErrNotFound.
func (db *DB) RedactSummary(ctx context.Context, subscriberID, summaryID int64, data []byte) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: redact summary %d: %w", summaryID, err)
	}
	defer tx.rollback()
	var month string
	if err := tx.get(ctx, &month, `SELECT month FROM summaries WHERE id = ? AND subscriber_id = ?`, summaryID, subscriberID); err != nil {
		return fmt.Errorf("store: redact summary %d: %w", summaryID, notFound(err))
	}
	if _, err := tx.exec(ctx, `UPDATE summaries SET data = ? WHERE id = ? AND subscriber_id = ?`,
		tx.seal(summaryData, string(data), subscriberID, month), summaryID, subscriberID); err != nil {
		return fmt.Errorf("store: redact summary %d: %w", summaryID, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: redact summary %d: %w", summaryID, err)
	}
	return nil
}
