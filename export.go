package steady

import (
	"encoding/json"
	"time"
)

// Export is everything Steady holds about one subscriber, in the form
// `steady subscribers export` prints and a subscriber's data request gets.
// Field names are a stable contract: add, never rename.
type Export struct {
	ExportedAt time.Time          `json:"exported_at"`
	Subscriber ExportedSubscriber `json:"subscriber"`
	Consents   []ExportedConsent  `json:"consents"`
	Deliveries []ExportedDelivery `json:"deliveries"`
	Replies    []ExportedReply    `json:"replies"`
	// Summaries are the monthly summaries sent, with their content.
	Summaries []ExportedSummary `json:"summaries"`
	// SafetyNotices are the safety notes (support resources) sent.
	SafetyNotices []ExportedSafetyNotice `json:"safety_notices"`
	// Bounces are the delivery failure reports received for their email
	// address since they last confirmed it.
	Bounces []ExportedBounce `json:"bounces"`
	// WordsWithheld: the subscriber's own words (reply bodies, and the
	// summaries that quote them) are left out; see WithoutWords.
	WordsWithheld bool `json:"words_withheld,omitempty"`
}

// ExportedBounce is one delivery failure report in an Export.
type ExportedBounce struct {
	DeliveryID *int64    `json:"delivery_id"`
	ReceivedAt time.Time `json:"received_at"`
}

// AddBounce adds one bounce to e; deliveryID is 0 when the report named no
// delivery.
func (e *Export) AddBounce(deliveryID int64, receivedAt time.Time) {
	b := ExportedBounce{ReceivedAt: receivedAt}
	if deliveryID != 0 {
		b.DeliveryID = &deliveryID
	}
	e.Bounces = append(e.Bounces, b)
}

// ExportedSafetyNotice is one safety note in an Export: when it was sent,
// for which incident window and which reply. Its wording is not kept.
type ExportedSafetyNotice struct {
	WindowStart time.Time     `json:"window_start"`
	ReplyID     *int64        `json:"reply_id"`
	Status      SummaryStatus `json:"status"`
	CreatedAt   time.Time     `json:"created_at"`
}

// AddSafetyNotices adds the subscriber's safety notes to e.
func (e *Export) AddSafetyNotices(ns []SafetyNotice) {
	e.SafetyNotices = make([]ExportedSafetyNotice, 0, len(ns))
	for _, n := range ns {
		var reply *int64
		if n.ReplyID != 0 {
			id := n.ReplyID
			reply = &id
		}
		e.SafetyNotices = append(e.SafetyNotices, ExportedSafetyNotice{WindowStart: n.WindowStart, ReplyID: reply, Status: n.Status, CreatedAt: n.CreatedAt})
	}
}

// ExportedSummary is one monthly summary in an Export; Content is the
// summary as it was sent (JSON, see package summary).
type ExportedSummary struct {
	Month     string          `json:"month"`
	Channel   Channel         `json:"channel"`
	Status    SummaryStatus   `json:"status"`
	CreatedAt time.Time       `json:"created_at"`
	Content   json.RawMessage `json:"content"`
}

// AddSummaries adds the subscriber's summaries to e.
func (e *Export) AddSummaries(rs []SummaryRecord) {
	e.Summaries = make([]ExportedSummary, 0, len(rs))
	for _, r := range rs {
		content := json.RawMessage(r.Data)
		if !json.Valid(content) {
			content = json.RawMessage("null")
		}
		e.Summaries = append(e.Summaries, ExportedSummary{Month: r.Month, Channel: r.Channel, Status: r.Status, CreatedAt: r.CreatedAt, Content: content})
	}
}

// ExportedSubscriber is the subscriber record in an Export.
type ExportedSubscriber struct {
	ID                  int64      `json:"id"`
	Channel             Channel    `json:"channel"`
	Address             string     `json:"address"`
	Status              Status     `json:"status"`
	TimeZone            string     `json:"timezone"`
	Schedule            string     `json:"schedule"`
	ScheduleDescription string     `json:"schedule_description"`
	NextPromptAt        *time.Time `json:"next_prompt_at"`
	CreatedAt           time.Time  `json:"created_at"`
	ConfirmedAt         *time.Time `json:"confirmed_at"`
	UnsubscribedAt      *time.Time `json:"unsubscribed_at"`
	PausedUntil         *time.Time `json:"paused_until"`
	AddressInvalidAt    *time.Time `json:"address_invalid_at,omitempty"`
	BouncingAt          *time.Time `json:"bouncing_at,omitempty"`
	// RequestedTimeZone and RequestedSchedule are a repeat sign-up's
	// settings, held aside until its confirmation link is clicked.
	RequestedTimeZone            string `json:"requested_timezone,omitempty"`
	RequestedSchedule            string `json:"requested_schedule,omitempty"`
	RequestedScheduleDescription string `json:"requested_schedule_description,omitempty"`
}

// ExportedConsent is one consent record in an Export.
type ExportedConsent struct {
	Action  ConsentAction `json:"action"`
	At      time.Time     `json:"at"`
	Method  string        `json:"method"`
	IP      string        `json:"ip"`
	Wording string        `json:"wording"`
}

// ExportedDelivery is one outgoing message in an Export.
type ExportedDelivery struct {
	ID         int64          `json:"id"`
	Kind       Kind           `json:"kind"`
	Channel    Channel        `json:"channel"`
	Slot       time.Time      `json:"slot"`
	PromptID   string         `json:"prompt_id,omitempty"`
	Theme      string         `json:"theme,omitempty"`
	PromptText string         `json:"prompt_text,omitempty"`
	Status     DeliveryStatus `json:"status"`
	Attempts   int            `json:"attempts"`
	SentAt     *time.Time     `json:"sent_at"`
	LastError  string         `json:"last_error,omitempty"`
	// ProviderStatus and ProviderError: the SMS provider's delivery report.
	ProviderStatus string `json:"provider_status,omitempty"`
	ProviderError  string `json:"provider_error,omitempty"`
}

// ExportedReply is one reply in an Export.
type ExportedReply struct {
	ID         int64     `json:"id"`
	DeliveryID *int64    `json:"delivery_id"`
	Channel    Channel   `json:"channel"`
	Body       string    `json:"body"`
	ReceivedAt time.Time `json:"received_at"`
}

// WithoutWords is e with the subscriber's own words left out: every
// reply's body and every summary's content, which quotes them. It is what
// an operator who may not read replies downloads; the subscriber gets
// everything from their own settings page.
func (e Export) WithoutWords() Export {
	replies := make([]ExportedReply, len(e.Replies))
	for i, r := range e.Replies {
		r.Body = ""
		replies[i] = r
	}
	summaries := make([]ExportedSummary, len(e.Summaries))
	for i, s := range e.Summaries {
		s.Content = nil
		summaries[i] = s
	}
	e.Replies, e.Summaries, e.WordsWithheld = replies, summaries, true
	return e
}

// NewExport assembles an Export.
func NewExport(now time.Time, sub Subscriber, consents []Consent, deliveries []Delivery, replies []Reply) Export {
	e := Export{
		ExportedAt: now.UTC(),
		Subscriber: ExportedSubscriber{
			ID: sub.ID, Channel: sub.Channel, Address: sub.Address, Status: sub.Status,
			TimeZone: sub.TimeZone, Schedule: sub.Schedule.String(), ScheduleDescription: sub.Schedule.Describe(),
			NextPromptAt: optTime(sub.NextSlot), CreatedAt: sub.CreatedAt, ConfirmedAt: optTime(sub.ConfirmedAt),
			UnsubscribedAt: optTime(sub.UnsubscribedAt), PausedUntil: optTime(sub.PausedUntil),
			AddressInvalidAt: optTime(sub.AddressInvalidAt),
			BouncingAt:       optTime(sub.BouncingAt),
		},
		Consents:      make([]ExportedConsent, 0, len(consents)),
		Summaries:     []ExportedSummary{},
		SafetyNotices: []ExportedSafetyNotice{},
		Bounces:       []ExportedBounce{},
		Deliveries:    make([]ExportedDelivery, 0, len(deliveries)),
		Replies:       make([]ExportedReply, 0, len(replies)),
	}
	e.Subscriber.RequestedTimeZone = sub.RequestedTimeZone
	if sub.RequestedSchedule != nil {
		e.Subscriber.RequestedSchedule = sub.RequestedSchedule.String()
		e.Subscriber.RequestedScheduleDescription = sub.RequestedSchedule.Describe()
	}
	for _, c := range consents {
		e.Consents = append(e.Consents, ExportedConsent{Action: c.Action, At: c.At, Method: c.Method, IP: c.IP, Wording: c.Wording})
	}
	for _, d := range deliveries {
		e.Deliveries = append(e.Deliveries, ExportedDelivery{
			ID: d.ID, Kind: d.Kind, Channel: d.Channel, Slot: d.Slot, PromptID: d.PromptID, Theme: d.Theme,
			PromptText: d.PromptText, Status: d.Status, Attempts: d.Attempts, SentAt: optTime(d.SentAt), LastError: d.LastError,
			ProviderStatus: d.ProviderStatus, ProviderError: d.ProviderError,
		})
	}
	for _, r := range replies {
		var id *int64
		if r.DeliveryID != 0 {
			id = &r.DeliveryID
		}
		e.Replies = append(e.Replies, ExportedReply{ID: r.ID, DeliveryID: id, Channel: r.Channel, Body: r.Body, ReceivedAt: r.ReceivedAt})
	}
	return e
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
