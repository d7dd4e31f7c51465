package steady

import "time"

// SummaryStatus is where a monthly summary's sending stands.
type SummaryStatus string

// Summary statuses. A summary row is written as sending before anything is
// sent and is never sent again, whatever happens next.
const (
	SummarySending SummaryStatus = "sending"
	SummarySent    SummaryStatus = "sent"
	SummaryFailed  SummaryStatus = "failed"
	SummaryUnknown SummaryStatus = "unknown"
)

// SummaryRecord is one subscriber's monthly summary as stored: the key
// (subscriber, month) is unique.
type SummaryRecord struct {
	ID           int64
	SubscriberID int64
	Month        string // "2026-11", the subscriber's local month
	Channel      Channel
	Status       SummaryStatus
	// Data is the summary's content as JSON (see package summary), so the
	// web page renders exactly what was sent.
	Data       []byte
	ProviderID string
	LastError  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// SafetyNotice records that a subscriber was sent a safety note (support
// resources after a reply that raised a safety concern): at most one per
// incident window. The note's wording is not stored, only that it was sent.
type SafetyNotice struct {
	ID           int64
	SubscriberID int64
	WindowStart  time.Time
	ReplyID      int64 // the reply that prompted it; 0 if that reply was erased
	Status       SummaryStatus
	CreatedAt    time.Time
}
