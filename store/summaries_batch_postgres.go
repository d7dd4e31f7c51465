package store

import (
	"time"

	"github.com/steadyapp/steady"
)

// PostgreSQL claims and finishes a batch of summaries with one statement
// each, on its own, the rows passed as arrays and unnested: one round trip
// for the batch instead of three a summary (SQLite has no round trips to
// save, and runs the one-summary statements, prepared, in the batch's
// transaction). sel runs the statement; t only seals and writes times.

// postgresClaimSummaries inserts the claims' summaries as sending where
// the subscriber exists and has none for the month, and returns the new
// rows' ids by claim index; a claim missing from it was not written.
func postgresClaimSummaries(tx *tx, claims []SummaryClaim, now time.Time, sel func(dest any, query string, args ...any) error) (map[int]int64, error) {
	var rows []struct {
		ID           int64  `db:"id"`
		SubscriberID int64  `db:"subscriber_id"`
		Month        string `db:"month"`
	}
	if err := sel(&rows, postgresClaimSummariesInsert, postgresClaimArgs(tx, claims, now)...); err != nil {
		return nil, err
	}
	index := make(map[claimKey]int, len(claims))
	for i, c := range claims {
		index[claimKey{c.SubscriberID, steady.CleanText(c.Month)}] = i
	}
	out := make(map[int]int64, len(rows))
	for _, r := range rows {
		out[index[claimKey{r.SubscriberID, r.Month}]] = r.ID
	}
	return out, nil
}

// claimKey is a summary's unique key, as a claim's returned row names it.
type claimKey struct {
	sub   int64
	month string
}

// postgresClaimArgs are postgresClaimSummariesInsert's arguments for
// claims, their data sealed.
func postgresClaimArgs(tx *tx, claims []SummaryClaim, now time.Time) []any {
	n := len(claims)
	subs := make([]int64, n)
	months := make([]string, n)
	channels := make([]string, n)
	data := make([]string, n)
	for i, c := range claims {
		subs[i], months[i], channels[i] = c.SubscriberID, steady.CleanText(c.Month), string(c.Channel)
		data[i] = tx.seal(summaryData, string(c.Data), c.SubscriberID, c.Month)
	}
	return []any{tx.ts(now), tx.ts(now), subs, months, channels, data}
}

// postgresClaimSummariesInsert: now twice, then the arrays of subscriber ids,
// months, channels and sealed data. The conflict arbiter is the unique
// (subscriber_id, month).
const postgresClaimSummariesInsert = `INSERT INTO summaries (subscriber_id, month, channel, status, data, provider_id, last_error, created_at, updated_at)
	SELECT v.subscriber_id, v.month, v.channel, 'sending', v.data, '', '', ?::timestamptz, ?::timestamptz
	FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) AS v (subscriber_id, month, channel, data)
	WHERE EXISTS (SELECT 1 FROM subscribers s WHERE s.id = v.subscriber_id)
	ON CONFLICT (subscriber_id, month) DO NOTHING
	RETURNING id, subscriber_id, month`

// postgresFinishSummaries records the outcomes of done where the summary
// is still sending, and returns the ids it recorded.
func postgresFinishSummaries(tx *tx, done []SummaryFinish, now time.Time, sel func(dest any, query string, args ...any) error) (map[int64]bool, error) {
	var got []int64
	if err := sel(&got, postgresFinishSummariesUpdate, postgresSummaryFinishArgs(tx, done, now)...); err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(got))
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// postgresSummaryFinishArgs are postgresFinishSummariesUpdate's arguments for
// done.
func postgresSummaryFinishArgs(tx *tx, done []SummaryFinish, now time.Time) []any {
	n := len(done)
	ids := make([]int64, n)
	statuses := make([]string, n)
	providers := make([]string, n)
	lastErrors := make([]string, n)
	for i, f := range done {
		ids[i], statuses[i] = f.ID, string(f.Status)
		providers[i], lastErrors[i] = steady.CleanText(f.ProviderID), steady.CleanText(f.LastError)
	}
	return []any{tx.ts(now), ids, statuses, providers, lastErrors, ids}
}

// postgresFinishSummariesUpdate: now, the arrays of ids, statuses,
// provider ids and last errors, then the ids again. The id = ANY
// condition keeps it an index condition on the primary key whatever the
// estimate of the unnested rows.
const postgresFinishSummariesUpdate = `UPDATE summaries AS s
	SET status = v.status, provider_id = v.provider_id, last_error = v.last_error, updated_at = ?::timestamptz
	FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) AS v (id, status, provider_id, last_error)
	WHERE s.id = v.id AND s.id = ANY(?::bigint[]) AND s.status = 'sending'
	RETURNING s.id`
