package store

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// PastWords is what a prompt may resurface for a subscriber: their
// replies received before a cut-off, bodies opened, each with the theme of
// the prompt it answered ("" when unknown), oldest first; and how many
// prompts were sent to them before the one being composed.
type PastWords struct {
	Replies []PastReply
	// PromptsBefore counts the subscriber's prompt deliveries with an id
	// below the one being composed that were sent (or may have been).
	PromptsBefore int
}

// PastReply is one reply and the theme of the prompt it answered.
type PastReply struct {
	steady.Reply
	Theme string
}

// maxPastReplies bounds how many replies PastWords reads.
const maxPastReplies = 200

// PastWords returns what a prompt (delivery deliveryID) may resurface for
// subscriber id: at most 200 of their replies received before `before`,
// oldest first, and how many of their prompts came before deliveryID. It
// does not judge the replies: the caller reads them (package analysis)
// and keeps only those with no red flag and no safety concern.
func (db *DB) PastWords(ctx context.Context, id, deliveryID int64, before time.Time) (PastWords, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return PastWords{}, fmt.Errorf("store: past words of %d: %w", id, err)
	}
	defer tx.rollback()
	var rows []struct {
		replyRow
		Theme string `db:"theme"`
	}
	if err := tx.sel(ctx, &rows, `SELECT `+replyColumns+`,
			COALESCE((SELECT d.theme FROM deliveries d WHERE d.id = replies.delivery_id), '') AS theme
		FROM replies WHERE subscriber_id = ? AND received_at < ?
		ORDER BY received_at, id LIMIT ?`, id, tx.ts(before), maxPastReplies); err != nil {
		return PastWords{}, fmt.Errorf("store: past words of %d: %w", id, err)
	}
	var out PastWords
	for _, row := range rows {
		r, err := row.reply(tx)
		if err != nil {
			return PastWords{}, fmt.Errorf("store: past words of %d: %w", id, err)
		}
		out.Replies = append(out.Replies, PastReply{Reply: r, Theme: row.Theme})
	}
	if err := tx.get(ctx, &out.PromptsBefore, `SELECT COUNT(*) FROM deliveries
		WHERE subscriber_id = ? AND kind = 'prompt' AND id < ? AND status IN ('sent', 'sending', 'unknown')`,
		id, deliveryID); err != nil {
		return PastWords{}, fmt.Errorf("store: past words of %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return PastWords{}, fmt.Errorf("store: past words of %d: %w", id, err)
	}
	return out, nil
}

// StopResurfacing turns resurfacing off for subscriber id (the one-click
// "stop showing me past words" link), leaving their other preferences
// alone. It is idempotent; an unknown id is an error wrapping
// steady.ErrNotFound.
func (db *DB) StopResurfacing(ctx context.Context, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: stop resurfacing %d: %w", id, err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, `UPDATE subscribers SET resurface = 0 WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: stop resurfacing %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("store: stop resurfacing %d: %w", id, steady.ErrNotFound)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: stop resurfacing %d: %w", id, err)
	}
	return nil
}
