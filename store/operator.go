package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// The operator's queries: what the console (admin/) and the API (api/)
// list and count. None of them reads a subscriber's words: replies,
// consent wording and summaries are counted, never selected.

// Page sizes for SearchSubscribers and ListDeliveries.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// SubscriberFilter selects subscribers for the console and the API.
type SubscriberFilter struct {
	Address string         // case-insensitive substring of the stored address; "" any
	Status  steady.Status  // "" any
	Channel steady.Channel // "" any
	AfterID int64          // keyset paging: only ids greater than this
	Limit   int            // default DefaultPageSize, at most MaxPageSize
}

// SubscriberCount is how many subscribers have one status on one channel.
type SubscriberCount struct {
	Status  steady.Status
	Channel steady.Channel
	N       int
}

// DeliveryFilter selects deliveries, newest (highest id) first.
type DeliveryFilter struct {
	Statuses     []steady.DeliveryStatus // empty: any
	Kind         steady.Kind             // "" any
	Channel      steady.Channel          // "" any
	SubscriberID int64                   // 0 any
	BeforeID     int64                   // keyset paging: only ids below this; 0 from the newest
	Limit        int                     // default DefaultPageSize, at most MaxPageSize
}

// DayCount is how many deliveries of one kind, channel and status have
// their slot on Day (UTC, "2006-01-02").
type DayCount struct {
	Day     string
	Kind    steady.Kind
	Channel steady.Channel
	Status  steady.DeliveryStatus
	N       int
}

// Stats are counts for the operator, never any text of a subscriber's.
type Stats struct {
	Since time.Time
	// Prompts whose slot is at or after Since, by status.
	PromptsSent, PromptsFailed, PromptsUnknown int
	// RepliedPrompts is how many of those sent have at least one reply.
	RepliedPrompts int
	// Replies are the replies received since, by channel.
	Replies map[steady.Channel]int
	// SummariesSent and SafetyNotesSent: monthly summaries and safety
	// notes sent since (by when their row last changed).
	SummariesSent, SafetyNotesSent int
	// Held is how many inbound messages are held aside now.
	Held int
	// Queued is how many deliveries are queued or being sent now;
	// OldestQueued is when the oldest of them was created (zero if none).
	Queued       int
	OldestQueued time.Time
}

// ReplyRate is the share of sent prompts that have a reply, 0 to 1.
func (s Stats) ReplyRate() float64 {
	if s.PromptsSent == 0 {
		return 0
	}
	return float64(s.RepliedPrompts) / float64(s.PromptsSent)
}

func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

func checkStatus(s steady.Status) error {
	switch s {
	case "", steady.StatusPending, steady.StatusActive, steady.StatusPaused, steady.StatusUnsubscribed:
		return nil
	}
	return steady.Invalid("status", "%q is not a subscriber status (pending, active, paused, unsubscribed)", s)
}

func checkChannel(c steady.Channel) error {
	switch c {
	case "", steady.ChannelEmail, steady.ChannelSMS:
		return nil
	}
	return steady.Invalid("channel", "%q is not a channel (email, sms)", c)
}

func checkDeliveryStatus(s steady.DeliveryStatus) error {
	switch s {
	case steady.DeliveryQueued, steady.DeliverySending, steady.DeliverySent, steady.DeliveryFailed,
		steady.DeliveryUnknown, steady.DeliveryCancelled:
		return nil
	}
	return steady.Invalid("status", "%q is not a delivery status (queued, sending, sent, failed, unknown, cancelled)", s)
}

func checkKind(k steady.Kind) error {
	switch k {
	case "", steady.KindPrompt, steady.KindConfirm, steady.KindGoodbye:
		return nil
	}
	return steady.Invalid("kind", "%q is not a delivery kind (prompt, confirm, goodbye)", k)
}

// likeEscaper escapes LIKE's wildcards so a search for "a_b" finds only
// that text.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// SearchSubscribers returns one page of the subscribers f selects, ordered
// by id. A status or channel that does not exist is an invalid-input error.
func (db *DB) SearchSubscribers(ctx context.Context, f SubscriberFilter) ([]steady.Subscriber, error) {
	if err := errors.Join(checkStatus(f.Status), checkChannel(f.Channel)); err != nil {
		return nil, fmt.Errorf("store: search subscribers: %w", err)
	}
	where, args := []string{"id > ?"}, []any{f.AfterID}
	if f.Address != "" {
		where = append(where, `LOWER(address) LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscaper.Replace(strings.ToLower(f.Address))+"%")
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	if f.Channel != "" {
		where = append(where, "channel = ?")
		args = append(args, string(f.Channel))
	}
	args = append(args, pageSize(f.Limit))
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: search subscribers: %w", err)
	}
	defer tx.rollback()
	var rows []subscriberRow
	if err := tx.sel(ctx, &rows, `SELECT `+subscriberColumns+` FROM subscribers WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args...); err != nil {
		return nil, fmt.Errorf("store: search subscribers: %w", err)
	}
	subs := make([]steady.Subscriber, 0, len(rows))
	for _, r := range rows {
		s, err := r.subscriber()
		if err != nil {
			return nil, fmt.Errorf("store: search subscribers: %w", err)
		}
		subs = append(subs, s)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: search subscribers: %w", err)
	}
	return subs, nil
}

// CountSubscribers counts subscribers by status and channel, in that order.
func (db *DB) CountSubscribers(ctx context.Context) ([]SubscriberCount, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: count subscribers: %w", err)
	}
	defer tx.rollback()
	var rows []struct {
		Status  string `db:"status"`
		Channel string `db:"channel"`
		N       int    `db:"n"`
	}
	if err := tx.sel(ctx, &rows, `SELECT status, channel, COUNT(*) AS n FROM subscribers
		GROUP BY status, channel ORDER BY status, channel`); err != nil {
		return nil, fmt.Errorf("store: count subscribers: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: count subscribers: %w", err)
	}
	out := make([]SubscriberCount, len(rows))
	for i, r := range rows {
		out[i] = SubscriberCount{Status: steady.Status(r.Status), Channel: steady.Channel(r.Channel), N: r.N}
	}
	return out, nil
}

// ListDeliveries returns one page of the deliveries f selects, newest
// first. An unknown status, kind or channel is an invalid-input error.
func (db *DB) ListDeliveries(ctx context.Context, f DeliveryFilter) ([]steady.Delivery, error) {
	errs := []error{checkKind(f.Kind), checkChannel(f.Channel)}
	for _, s := range f.Statuses {
		errs = append(errs, checkDeliveryStatus(s))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	var where []string
	var args []any
	if f.BeforeID > 0 {
		where = append(where, "id < ?")
		args = append(args, f.BeforeID)
	}
	if len(f.Statuses) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.Statuses)), ", ")
		where = append(where, "status IN ("+marks+")")
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, string(f.Kind))
	}
	if f.Channel != "" {
		where = append(where, "channel = ?")
		args = append(args, string(f.Channel))
	}
	if f.SubscriberID != 0 {
		where = append(where, "subscriber_id = ?")
		args = append(args, f.SubscriberID)
	}
	q := `SELECT ` + deliveryColumns + ` FROM deliveries`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, pageSize(f.Limit))
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	defer tx.rollback()
	var rows []deliveryRow
	if err := tx.sel(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	return deliveries(rows), nil
}

// DeliveriesPerDay counts the deliveries whose slot is at or after since,
// by UTC day of the slot, kind, channel and status, oldest day first.
func (db *DB) DeliveriesPerDay(ctx context.Context, since time.Time) ([]DayCount, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries per day: %w", err)
	}
	defer tx.rollback()
	day := fmt.Sprintf(tx.dialect.utcDay, "slot")
	var rows []struct {
		Day     string `db:"day"`
		Kind    string `db:"kind"`
		Channel string `db:"channel"`
		Status  string `db:"status"`
		N       int    `db:"n"`
	}
	if err := tx.sel(ctx, &rows, `SELECT `+day+` AS day, kind, channel, status, COUNT(*) AS n
		FROM deliveries WHERE slot >= ?
		GROUP BY `+day+`, kind, channel, status
		ORDER BY day, kind, channel, status`, tx.ts(since)); err != nil {
		return nil, fmt.Errorf("store: deliveries per day: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: deliveries per day: %w", err)
	}
	out := make([]DayCount, len(rows))
	for i, r := range rows {
		out[i] = DayCount{Day: r.Day, Kind: steady.Kind(r.Kind), Channel: steady.Channel(r.Channel),
			Status: steady.DeliveryStatus(r.Status), N: r.N}
	}
	return out, nil
}

// OperatorStats counts, in one transaction, what the console's overview
// and the API's stats show.
func (db *DB) OperatorStats(ctx context.Context, since time.Time) (Stats, error) {
	st := Stats{Since: since, Replies: map[steady.Channel]int{}}
	tx, err := db.begin(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("store: operator stats: %w", err)
	}
	defer tx.rollback()
	from := tx.ts(since)
	var prompts []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := tx.sel(ctx, &prompts, `SELECT status, COUNT(*) AS n FROM deliveries
		WHERE kind = 'prompt' AND slot >= ? GROUP BY status`, from); err != nil {
		return Stats{}, fmt.Errorf("store: operator stats: prompts: %w", err)
	}
	for _, p := range prompts {
		switch steady.DeliveryStatus(p.Status) {
		case steady.DeliverySent:
			st.PromptsSent = p.N
		case steady.DeliveryFailed:
			st.PromptsFailed = p.N
		case steady.DeliveryUnknown:
			st.PromptsUnknown = p.N
		}
	}
	var replies []struct {
		Channel string `db:"channel"`
		N       int    `db:"n"`
	}
	if err := tx.sel(ctx, &replies, `SELECT channel, COUNT(*) AS n FROM replies
		WHERE received_at >= ? GROUP BY channel`, from); err != nil {
		return Stats{}, fmt.Errorf("store: operator stats: replies: %w", err)
	}
	for _, r := range replies {
		st.Replies[steady.Channel(r.Channel)] = r.N
	}
	counts := []struct {
		dst   *int
		query string
		args  []any
	}{
		{&st.RepliedPrompts, `SELECT COUNT(*) FROM deliveries d
			WHERE d.kind = 'prompt' AND d.status = 'sent' AND d.slot >= ?
			AND EXISTS (SELECT 1 FROM replies r WHERE r.delivery_id = d.id)`, []any{from}},
		{&st.SummariesSent, `SELECT COUNT(*) FROM summaries WHERE status = 'sent' AND updated_at >= ?`, []any{from}},
		{&st.SafetyNotesSent, `SELECT COUNT(*) FROM safety_notices WHERE status = 'sent' AND created_at >= ?`, []any{from}},
		{&st.Held, `SELECT COUNT(*) FROM inbound_held`, nil},
		{&st.Queued, `SELECT COUNT(*) FROM deliveries WHERE status IN ('queued', 'sending')`, nil},
	}
	for _, c := range counts {
		if err := tx.get(ctx, c.dst, c.query, c.args...); err != nil {
			return Stats{}, fmt.Errorf("store: operator stats: %w", err)
		}
	}
	var oldest []utcTime
	if err := tx.sel(ctx, &oldest, `SELECT created_at FROM deliveries
		WHERE status IN ('queued', 'sending') ORDER BY created_at LIMIT 1`); err != nil {
		return Stats{}, fmt.Errorf("store: operator stats: oldest queued: %w", err)
	}
	if len(oldest) == 1 {
		st.OldestQueued = oldest[0].time()
	}
	if err := tx.commit(); err != nil {
		return Stats{}, fmt.Errorf("store: operator stats: %w", err)
	}
	return st, nil
}

// ResendAllowed reports whether an operator may send d again: it failed,
// or its outcome is unknown on a channel where a second copy is harmless
// (email, whose Message-ID lets mail systems drop the copy). An unknown
// SMS may have arrived, and a second would be a double text.
func ResendAllowed(d steady.Delivery) bool {
	switch d.Status {
	case steady.DeliveryFailed:
		return true
	case steady.DeliveryUnknown:
		return d.Channel.ResendSafe()
	}
	return false
}

// RequeueDelivery puts a delivery ResendAllowed back in the outbox:
// queued, due now, its attempts kept, so the sender tries it again. Any
// other delivery is refused with an error wrapping steady.ErrConflict, as
// is a prompt whose subscriber is no longer active and a confirmation
// whose subscriber is no longer pending; a missing one wraps
// steady.ErrNotFound.
func (db *DB) RequeueDelivery(ctx context.Context, id int64, now time.Time) (steady.Delivery, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: requeue delivery %d: %w", id, err)
	}
	defer tx.rollback()
	d, err := getDelivery(ctx, tx, id)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: requeue delivery %d: %w", id, err)
	}
	if !ResendAllowed(d) {
		return steady.Delivery{}, fmt.Errorf("store: requeue delivery %d: it is %s on %s, and only a failed delivery or an unknown email may be sent again: %w",
			id, d.Status, d.Channel, steady.ErrConflict)
	}
	sub, err := lockSubscriber(ctx, tx, d.SubscriberID)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: requeue delivery %d: %w", id, err)
	}
	if err := requeueFits(d, sub); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: requeue delivery %d: %w", id, err)
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'queued', next_attempt_at = ?, updated_at = ?,
			lease_until = NULL, lease_token = '', attempted_at = NULL
		WHERE id = ? AND status = ?`, tx.ts(now), tx.ts(now), id, string(d.Status)); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: requeue delivery %d: %w", id, err)
	}
	d, err = getDelivery(ctx, tx, id)
	if err != nil {
		return steady.Delivery{}, fmt.Errorf("store: requeue delivery %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Delivery{}, fmt.Errorf("store: requeue delivery %d: %w", id, err)
	}
	return d, nil
}

// requeueFits refuses to send again what the subscriber no longer wants:
// a prompt once they are not active, a confirmation once they are not
// pending (a settings notice or a move's confirmation once they left), a
// goodbye once they came back.
func requeueFits(d steady.Delivery, sub steady.Subscriber) error {
	var ok bool
	switch {
	case d.Kind == steady.KindPrompt:
		ok = sub.Status == steady.StatusActive
	case d.IsNotice(), d.IsMove():
		ok = sub.Status == steady.StatusActive || sub.Status == steady.StatusPaused
	case d.Kind == steady.KindConfirm:
		ok = sub.Status == steady.StatusPending
	case d.Kind == steady.KindGoodbye:
		ok = sub.Status == steady.StatusUnsubscribed
	}
	if !ok {
		return fmt.Errorf("the subscriber is %s, so this %s is no longer wanted: %w", sub.Status, d.Kind, steady.ErrConflict)
	}
	return nil
}
