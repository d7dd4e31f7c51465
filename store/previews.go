package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

const previewColumns = `id, delivery_id, channel, to_address, subject, text_body, html_body,
	headers, message_id, reply_to, reply_url, created_at`

type previewRow struct {
	ID         int64         `db:"id"`
	DeliveryID sql.NullInt64 `db:"delivery_id"`
	Channel    string        `db:"channel"`
	To         string        `db:"to_address"`
	Subject    string        `db:"subject"`
	Text       string        `db:"text_body"`
	HTML       string        `db:"html_body"`
	Headers    string        `db:"headers"`
	MessageID  string        `db:"message_id"`
	ReplyTo    string        `db:"reply_to"`
	ReplyURL   string        `db:"reply_url"`
	CreatedAt  utcTime       `db:"created_at"`
}

// preview is the row as a PreviewMessage, its subject and bodies opened.
func (r previewRow) preview(t *tx) (steady.PreviewMessage, error) {
	for _, f := range []struct {
		c sealedColumn
		v *string
	}{{previewSubject, &r.Subject}, {previewText, &r.Text}, {previewHTML, &r.HTML}} {
		plain, err := t.open(f.c, r.ID, *f.v)
		if err != nil {
			return steady.PreviewMessage{}, err
		}
		*f.v = plain
	}
	var headers map[string]string
	if err := json.Unmarshal([]byte(r.Headers), &headers); err != nil {
		return steady.PreviewMessage{}, fmt.Errorf("preview %d: headers: %w", r.ID, err)
	}
	return steady.PreviewMessage{
		ID: r.ID,
		Message: steady.Message{
			DeliveryID: r.DeliveryID.Int64,
			Channel:    steady.Channel(r.Channel),
			To:         r.To,
			Subject:    r.Subject,
			Text:       r.Text,
			HTML:       r.HTML,
			MessageID:  r.MessageID,
			ReplyTo:    r.ReplyTo,
			Headers:    headers,
			ReplyURL:   r.ReplyURL,
		},
		CreatedAt: r.CreatedAt.time(),
	}, nil
}

// SavePreview keeps a message the preview sender did not send and returns
// its id. m.DeliveryID, if not 0, must be an existing delivery: erasing its
// subscriber erases the preview too.
func (db *DB) SavePreview(ctx context.Context, m steady.Message, now time.Time) (int64, error) {
	headers, err := json.Marshal(m.Headers)
	if err != nil {
		return 0, fmt.Errorf("store: save preview: %w", err)
	}
	if m.Headers == nil {
		headers = []byte("{}")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: save preview: %w", err)
	}
	defer tx.rollback()
	deliveryID := sql.NullInt64{Int64: m.DeliveryID, Valid: m.DeliveryID != 0}
	id, _, err := tx.insertID(ctx, `INSERT INTO preview_messages (delivery_id, channel, to_address, subject,
			text_body, html_body, headers, message_id, reply_to, reply_url, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		deliveryID, string(m.Channel), m.To, tx.seal(previewSubject, m.Subject), tx.seal(previewText, m.Text), tx.seal(previewHTML, m.HTML), string(headers),
		m.MessageID, m.ReplyTo, m.ReplyURL, tx.ts(now))
	if err != nil {
		return 0, fmt.Errorf("store: save preview: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("store: save preview: %w", err)
	}
	return id, nil
}

// Previews returns up to limit preview messages, newest first. A limit of
// 0 or less means 100.
func (db *DB) Previews(ctx context.Context, limit int) ([]steady.PreviewMessage, error) {
	if limit <= 0 {
		limit = 100
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: previews: %w", err)
	}
	defer tx.rollback()
	var rows []previewRow
	if err := tx.sel(ctx, &rows, `SELECT `+previewColumns+` FROM preview_messages
		ORDER BY created_at DESC, id DESC LIMIT ?`, limit); err != nil {
		return nil, fmt.Errorf("store: previews: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: previews: %w", err)
	}
	ps := make([]steady.PreviewMessage, 0, len(rows))
	for _, r := range rows {
		p, err := r.preview(tx)
		if err != nil {
			return nil, fmt.Errorf("store: previews: %w", err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// Preview returns one preview message, or an error wrapping
// steady.ErrNotFound.
func (db *DB) Preview(ctx context.Context, id int64) (steady.PreviewMessage, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.PreviewMessage{}, fmt.Errorf("store: preview %d: %w", id, err)
	}
	defer tx.rollback()
	var r previewRow
	if err := tx.get(ctx, &r, `SELECT `+previewColumns+` FROM preview_messages WHERE id = ?`, id); err != nil {
		return steady.PreviewMessage{}, fmt.Errorf("store: preview %d: %w", id, notFound(err))
	}
	if err := tx.commit(); err != nil {
		return steady.PreviewMessage{}, fmt.Errorf("store: preview %d: %w", id, err)
	}
	p, err := r.preview(tx)
	if err != nil {
		return steady.PreviewMessage{}, fmt.Errorf("store: preview %d: %w", id, err)
	}
	return p, nil
}
