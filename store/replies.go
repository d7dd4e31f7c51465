package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/analysis"
)

const replyColumns = `id, subscriber_id, delivery_id, channel, body, received_at, source_id`

type replyRow struct {
	ID           int64         `db:"id"`
	SubscriberID int64         `db:"subscriber_id"`
	DeliveryID   sql.NullInt64 `db:"delivery_id"`
	Channel      string        `db:"channel"`
	Body         string        `db:"body"`
	ReceivedAt   utcTime       `db:"received_at"`
	SourceID     string        `db:"source_id"`
}

// reply is the row as a Reply, its body opened.
func (r replyRow) reply(t *tx) (steady.Reply, error) {
	body, err := t.open(replyBody, r.ID, r.Body, r.SourceID)
	if err != nil {
		return steady.Reply{}, err
	}
	return steady.Reply{
		ID:           r.ID,
		SubscriberID: r.SubscriberID,
		DeliveryID:   r.DeliveryID.Int64,
		Channel:      steady.Channel(r.Channel),
		Body:         body,
		ReceivedAt:   r.ReceivedAt.time(),
		SourceID:     r.SourceID,
	}, nil
}

// replies turns rows into Replies, their bodies opened.
func replies(t *tx, rows []replyRow) ([]steady.Reply, error) {
	out := make([]steady.Reply, len(rows))
	for i, row := range rows {
		r, err := row.reply(t)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// RecordReply stores a reply; every channel calls it. Body and SourceID are
// first cleaned (steady.CleanText: NUL bytes removed, invalid UTF-8
// replaced), so validation judges what is stored: a body with nothing
// left is empty, one that grows past the limit is too long. The reply is
// validated (r.Validate, a known channel, a receive time); a non-zero
// DeliveryID must be one of the subscriber's deliveries. A reply whose
// SourceID was already recorded stores nothing and returns the stored reply
// with created false, even under concurrent duplicates; if that stored reply
// belongs to another subscriber the error wraps steady.ErrConflict.
//
// A new reply costs one statement (two when it answers a delivery, whose
// theme the analysis needs): the insert itself checks that the subscriber
// exists and the source id is new, and nothing is read back. The analysis
// without a prompt theme is done before the transaction begins.
func (db *DB) RecordReply(ctx context.Context, r steady.Reply) (stored steady.Reply, created bool, err error) {
	r.Body, r.SourceID = steady.CleanText(r.Body), steady.CleanText(r.SourceID)
	if err := checkReply(r); err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	plain := analysis.Analyze(r.Body, "")
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	defer tx.rollback()
	stored, created, err = recordReply(ctx, tx, r, plain)
	if err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	if err := tx.commit(); err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	return stored, created, nil
}

// RecordReplyTo is RecordReply for a reply to r.DeliveryID that the caller
// has read, with its theme, in the same transaction
// (SubscriberAndLatestPrompt): the insert itself checks that the delivery
// is the subscriber's and has that theme, so a new reply costs one
// statement, and the whole analysis is done before the transaction
// begins. When the check fails, nothing is written and the reply is
// handled as RecordReply handles it.
//
// On PostgreSQL a call outside Atomically shares its transaction and
// commit with the calls arriving at the same time (see replyBatcher); it
// returns, as alone, only once its reply is committed. GroupsReplies
// reports whether it does.
func (db *DB) RecordReplyTo(ctx context.Context, r steady.Reply, theme string) (stored steady.Reply, created bool, err error) {
	j, err := newReplyJob(ctx, r, theme)
	if err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	if _, nested := ctx.Value(txKey{db}).(*tx); !nested && db.replies != nil {
		return db.replies.do(j)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	defer tx.rollback()
	stored, created, err = recordReplyTo(ctx, tx, j, false)
	if err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	if err := tx.commit(); err != nil {
		return steady.Reply{}, false, fmt.Errorf("store: record reply: %w", err)
	}
	return stored, created, nil
}

// newReplyJob is RecordReplyTo's work before any transaction: r cleaned
// and checked, and its analyses (without a theme, and with theme when r
// answers a delivery).
func newReplyJob(ctx context.Context, r steady.Reply, theme string) (*replyJob, error) {
	r.Body, r.SourceID = steady.CleanText(r.Body), steady.CleanText(r.SourceID)
	if err := checkReply(r); err != nil {
		return nil, err
	}
	if r.DeliveryID == 0 {
		theme = ""
	}
	j := &replyJob{ctx: ctx, r: r, theme: theme, plain: analysis.Analyze(r.Body, "")}
	j.a.flags, j.a.version, j.a.harm = analyseReplyWith(r.Body, theme, j.plain)
	return j, nil
}

// recordReplyTo is RecordReplyTo's work inside tx. tried says the first
// insert, on the delivery's check, was already made (by the batch's
// multi-row insert) and inserted nothing.
func recordReplyTo(ctx context.Context, tx *tx, j *replyJob, tried bool) (steady.Reply, bool, error) {
	if !tried && j.r.DeliveryID != 0 {
		stored, created, err := insertReply(ctx, tx, j.r, j.a,
			`EXISTS (SELECT 1 FROM deliveries WHERE id = ? AND subscriber_id = ? AND theme = ?)`, j.r.DeliveryID, j.r.SubscriberID, j.theme)
		if err != nil || created {
			return stored, created, err
		}
	}
	return recordReply(ctx, tx, j.r, j.plain)
}

// GroupsReplies reports whether RecordReplyTo, called outside Atomically,
// shares its commit with the calls arriving at the same time: true on
// PostgreSQL. On SQLite it is Atomically's calls that share commits, and
// RecordReplyTo alone commits on its own.
func (db *DB) GroupsReplies() bool { return db.replies != nil }

func checkReply(r steady.Reply) error {
	if err := r.Validate(); err != nil {
		return err
	}
	switch r.Channel {
	case steady.ChannelEmail, steady.ChannelSMS, steady.ChannelWeb:
	default:
		return steady.Invalid("channel", "%q is not a channel", r.Channel)
	}
	if r.ReceivedAt.IsZero() {
		return steady.Invalid("received", "a reply needs the time it was received")
	}
	return nil
}

// recordReply stores r (cleaned and checked by RecordReply); plain is
// analysis.Analyze(r.Body, "").
func recordReply(ctx context.Context, tx *tx, r steady.Reply, plain []analysis.Flag) (steady.Reply, bool, error) {
	theme := ""
	if r.DeliveryID != 0 {
		var d struct {
			SubscriberID int64  `db:"subscriber_id"`
			Theme        string `db:"theme"`
		}
		err := tx.get(ctx, &d, `SELECT subscriber_id, theme FROM deliveries WHERE id = ?`, r.DeliveryID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return steady.Reply{}, false, err
		}
		if err != nil || d.SubscriberID != r.SubscriberID {
			if err := subscriberExists(ctx, tx, r.SubscriberID); err != nil {
				return steady.Reply{}, false, err
			}
			return steady.Reply{}, false, steady.Invalid("delivery", "the reply does not answer one of this subscriber's messages")
		}
		theme = d.Theme
	}
	// The flags are worked out once, now, from the body as stored.
	flags, version, harm := analyseReplyWith(r.Body, theme, plain)
	// The subscriber is checked in the statement, not by a failed foreign
	// key, which on PostgreSQL would abort the transaction.
	stored, created, err := insertReply(ctx, tx, r, analysed{flags, version, harm},
		`EXISTS (SELECT 1 FROM subscribers WHERE id = ?)`, r.SubscriberID)
	if err != nil || created {
		return stored, created, err
	}
	// Nothing inserted: no such subscriber, or the source id was recorded
	// already.
	if err := subscriberExists(ctx, tx, r.SubscriberID); err != nil {
		return steady.Reply{}, false, err
	}
	var row replyRow
	if err := tx.get(ctx, &row, `SELECT `+replyColumns+` FROM replies WHERE source_id = ?`, r.SourceID); err != nil {
		return steady.Reply{}, false, err
	}
	if row.SubscriberID != r.SubscriberID {
		return steady.Reply{}, false, fmt.Errorf("%w: source id already recorded for another subscriber", steady.ErrConflict)
	}
	stored, err = row.reply(tx)
	return stored, false, err
}

// analysed is what analyseReply worked out for a reply.
type analysed struct {
	flags   string
	version int
	harm    bool
}

// insertReply inserts r (cleaned and checked) with its analysis a if the
// SQL condition guard holds and its source id is new. created is false
// when nothing was inserted. Nothing is read back: the stored reply is
// what a read would give, the body as stored, opened, and the time as
// stored.
func insertReply(ctx context.Context, tx *tx, r steady.Reply, a analysed, guard string, guardArgs ...any) (steady.Reply, bool, error) {
	deliveryID := sql.NullInt64{Int64: r.DeliveryID, Valid: r.DeliveryID != 0}
	args := append([]any{r.SubscriberID, deliveryID, string(r.Channel), tx.seal(replyBody, r.Body, r.SourceID),
		tx.ts(r.ReceivedAt), r.SourceID, a.flags, a.version, a.harm}, guardArgs...)
	id, created, err := tx.insertID(ctx, `INSERT INTO replies (subscriber_id, delivery_id, channel, body, received_at, source_id,
			flags, analysis_version, harm)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE `+guard+`
		ON CONFLICT (source_id) DO NOTHING
		RETURNING id`, args...)
	if err != nil || !created {
		return steady.Reply{}, false, err
	}
	return steady.Reply{
		ID: id, SubscriberID: r.SubscriberID, DeliveryID: r.DeliveryID, Channel: r.Channel,
		Body: r.Body, ReceivedAt: r.ReceivedAt.UTC().Truncate(time.Microsecond), SourceID: r.SourceID,
	}, true, nil
}

// subscriberExists returns an error wrapping steady.ErrNotFound when there
// is no subscriber id.
func subscriberExists(ctx context.Context, tx *tx, id int64) error {
	var one int
	if err := tx.get(ctx, &one, `SELECT 1 FROM subscribers WHERE id = ?`, id); err != nil {
		return fmt.Errorf("subscriber %d: %w", id, notFound(err))
	}
	return nil
}

// Replies returns the subscriber's replies, oldest first.
func (db *DB) Replies(ctx context.Context, subscriberID int64) ([]steady.Reply, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: replies of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var rows []replyRow
	if err := tx.sel(ctx, &rows, `SELECT `+replyColumns+` FROM replies
		WHERE subscriber_id = ? ORDER BY received_at, id`, subscriberID); err != nil {
		return nil, fmt.Errorf("store: replies of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: replies of %d: %w", subscriberID, err)
	}
	rs, err := replies(tx, rows)
	if err != nil {
		return nil, fmt.Errorf("store: replies of %d: %w", subscriberID, err)
	}
	return rs, nil
}
