package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/analysis"
)

// SummariesDue returns up to limit subscribers whose next_summary_at has
// come (a new subscriber's is 1970: not yet worked out), earliest first,
// whatever their status: the summary service decides what each is owed and
// moves next_summary_at on with SetNextSummaries. With nothing due it is
// one indexed query, an index range scan whatever the table's statistics
// (the ORDER BY ... LIMIT makes the index the plan). The subscribers in
// except are left out: the summary service reads the next batch while it
// sends the one before.
func (db *DB) SummariesDue(ctx context.Context, now time.Time, limit int, except ...int64) ([]steady.Subscriber, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: summaries due: %w", err)
	}
	defer tx.rollback()
	var rows []subscriberRow
	q, args := `SELECT `+subscriberColumns+` FROM subscribers WHERE next_summary_at <= ?`, []any{tx.ts(now)}
	if len(except) > 0 {
		q += ` AND id NOT IN ` + placeholders(1, len(except))
		args = append(args, anys(except)...)
	}
	args = append(args, limit)
	if err := tx.sel(ctx, &rows, q+` ORDER BY next_summary_at LIMIT ?`, args...); err != nil {
		return nil, fmt.Errorf("store: summaries due: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: summaries due: %w", err)
	}
	return subscribersOf(rows, "summaries due")
}

// SubscribersByID returns the subscribers with the given ids that exist,
// ordered by id.
func (db *DB) SubscribersByID(ctx context.Context, ids []int64) ([]steady.Subscriber, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: subscribers by id: %w", err)
	}
	defer tx.rollback()
	var rows []subscriberRow
	if err := tx.sel(ctx, &rows, `SELECT `+subscriberColumns+` FROM subscribers WHERE id IN `+placeholders(1, len(ids))+` ORDER BY id`,
		anys(ids)...); err != nil {
		return nil, fmt.Errorf("store: subscribers by id: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: subscribers by id: %w", err)
	}
	return subscribersOf(rows, "subscribers by id")
}

func subscribersOf(rows []subscriberRow, what string) ([]steady.Subscriber, error) {
	out := make([]steady.Subscriber, len(rows))
	for i, r := range rows {
		s, err := r.subscriber()
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out[i] = s
	}
	return out, nil
}

// SetNextSummaries stores when the summary service next looks at each
// subscriber, in one transaction: one UPDATE per distinct time (subscribers
// of one zone and prompt time share it).
func (db *DB) SetNextSummaries(ctx context.Context, next map[int64]time.Time) error {
	if len(next) == 0 {
		return nil
	}
	byTime := map[time.Time][]int64{}
	for id, at := range next {
		at = at.UTC().Truncate(time.Microsecond)
		byTime[at] = append(byTime[at], id)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: set next summaries: %w", err)
	}
	defer tx.rollback()
	if tx.dialect.name == postgresDialect.name {
		// Two workers may set times for the same subscribers at once,
		// grouped differently: locking the rows first, in id order, makes
		// them wait for each other instead of deadlocking. (SQLite's one
		// writer has nothing to order.)
		ids := make([]int64, 0, len(next))
		for id := range next {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		var locked []int64
		if err := tx.sel(ctx, &locked, `SELECT id FROM subscribers WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE`, ids); err != nil {
			return fmt.Errorf("store: set next summaries: %w", err)
		}
	}
	for at, ids := range byTime {
		for len(ids) > 0 {
			n := min(len(ids), 500)
			args := append([]any{tx.ts(at)}, anys(ids[:n])...)
			if _, err := tx.exec(ctx, `UPDATE subscribers SET next_summary_at = ? WHERE id IN `+placeholders(1, n), args...); err != nil {
				return fmt.Errorf("store: set next summaries: %w", err)
			}
			ids = ids[n:]
		}
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: set next summaries: %w", err)
	}
	return nil
}

// SummaryMonths returns which of the subscribers have a summary (in any
// state) for one of months, as "id month" keys (SummaryKey).
func (db *DB) SummaryMonths(ctx context.Context, ids []int64, months []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 || len(months) == 0 {
		return out, nil
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: summary months: %w", err)
	}
	defer tx.rollback()
	var rows []struct {
		SubscriberID int64  `db:"subscriber_id"`
		Month        string `db:"month"`
	}
	args := append(anys(ids), anys(months)...)
	if err := tx.sel(ctx, &rows, `SELECT subscriber_id, month FROM summaries WHERE subscriber_id IN `+placeholders(1, len(ids))+
		` AND month IN `+placeholders(1, len(months)), args...); err != nil {
		return nil, fmt.Errorf("store: summary months: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: summary months: %w", err)
	}
	for _, r := range rows {
		out[SummaryKey(r.SubscriberID, r.Month)] = true
	}
	return out, nil
}

// SummaryKey is SummaryMonths' key for a subscriber's month.
func SummaryKey(subscriberID int64, month string) string {
	return fmt.Sprintf("%d %s", subscriberID, month)
}

// MonthReply is a reply as a summary reads it: what was written, when, the
// prompt it answered, and the flags stored when it was recorded (Flags,
// with Analyzed true) unless they came from another analyser version.
type MonthReply struct {
	ID           int64
	SubscriberID int64
	ReceivedAt   time.Time
	Body         string
	Theme        string
	Prompt       string
	Flags        []analysis.Flag
	Analyzed     bool
}

// MonthReplies returns the replies of the subscribers received in
// [from, to), by subscriber (in id order) and each subscriber's oldest
// first, with the theme and text of the prompt each answered: one query
// for a whole batch of subscribers. That order is the index's
// (subscriber_id, received_at), so the rows need no sort.
func (db *DB) MonthReplies(ctx context.Context, ids []int64, from, to time.Time) ([]MonthReply, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: month replies: %w", err)
	}
	defer tx.rollback()
	// Scanned by hand, not by sqlx: a batch is thousands of rows, and
	// scanning them by reflection into a growing slice was a tenth of a
	// summary's CPU.
	args := append(anys(ids), tx.ts(from), tx.ts(to))
	rows, err := tx.query(ctx, `SELECT r.id, r.subscriber_id, r.delivery_id, r.channel, r.body, r.received_at, r.source_id,
			r.flags, r.analysis_version, d.theme, d.prompt_text
		FROM replies r LEFT JOIN deliveries d ON d.id = r.delivery_id
		WHERE r.subscriber_id IN `+placeholders(1, len(ids))+` AND r.received_at >= ? AND r.received_at < ?
		ORDER BY r.subscriber_id, r.received_at, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: month replies: %w", err)
	}
	defer rows.Close()
	type monthRow struct {
		replyRow
		flags         string
		version       int
		theme, prompt sql.NullString
	}
	got := make([]monthRow, 0, 16*len(ids))
	for rows.Next() {
		var r monthRow
		if err := rows.Scan(&r.ID, &r.SubscriberID, &r.DeliveryID, &r.Channel, &r.Body, &r.ReceivedAt, &r.SourceID,
			&r.flags, &r.version, &r.theme, &r.prompt); err != nil {
			return nil, fmt.Errorf("store: month replies: %w", err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: month replies: %w", err)
	}
	rows.Close()
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: month replies: %w", err)
	}
	out := make([]MonthReply, len(got))
	for i, row := range got {
		r, err := row.reply(tx)
		if err != nil {
			return nil, fmt.Errorf("store: month replies: %w", err)
		}
		flags, ok := openFlags(r.Body, row.flags, row.version)
		out[i] = MonthReply{ID: r.ID, SubscriberID: r.SubscriberID, ReceivedAt: r.ReceivedAt, Body: r.Body,
			Theme: row.theme.String, Prompt: row.prompt.String, Flags: flags, Analyzed: ok}
	}
	return out, nil
}

// HarmRepliesSince returns the replies received at or after since that
// spoke of harm when they were recorded, and those recorded by another
// analyser version (the caller reads them again): what the safety note
// looks at each minute, without reading every reply.
func (db *DB) HarmRepliesSince(ctx context.Context, since time.Time) ([]steady.Reply, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: harm replies since: %w", err)
	}
	defer tx.rollback()
	var rows []replyRow
	if err := tx.sel(ctx, &rows, `SELECT `+replyColumns+` FROM replies
		WHERE received_at >= ? AND (harm OR analysis_version <> ?) ORDER BY received_at, id`, tx.ts(since), analysis.Version); err != nil {
		return nil, fmt.Errorf("store: harm replies since: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: harm replies since: %w", err)
	}
	out, err := replies(tx, rows)
	if err != nil {
		return nil, fmt.Errorf("store: harm replies since: %w", err)
	}
	return out, nil
}

// anys turns a slice into query arguments.
func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// SubscribersPage returns up to limit subscribers of status with ids after
// afterID, ordered by id: for walking all of them a page at a time.
func (db *DB) SubscribersPage(ctx context.Context, status steady.Status, afterID int64, limit int) ([]steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: subscribers page: %w", err)
	}
	defer tx.rollback()
	var rows []subscriberRow
	if err := tx.sel(ctx, &rows, `SELECT `+subscriberColumns+` FROM subscribers WHERE status = ? AND id > ? ORDER BY id LIMIT ?`,
		string(status), afterID, limit); err != nil {
		return nil, fmt.Errorf("store: subscribers page: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: subscribers page: %w", err)
	}
	return subscribersOf(rows, "subscribers page")
}
