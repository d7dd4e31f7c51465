package steady

import "time"

// Kind is what a delivery carries.
type Kind string

// Delivery kinds. Each (subscriber, kind, slot) is sent at most once.
const (
	KindPrompt  Kind = "prompt"  // a scheduled reflection prompt
	KindConfirm Kind = "confirm" // the double opt-in confirmation
	KindGoodbye Kind = "goodbye" // confirms an unsubscribe
)

// NoticePromptID marks a KindConfirm delivery as a settings notice (issue
// 11): one short message, to an active subscriber, saying a change made on
// their settings page took effect and when the next prompt comes. It rides
// on the confirm kind because SQLite cannot widen deliveries.kind's CHECK
// without rebuilding the table, which its foreign keys make lossy inside
// a migration's transaction; a confirmation's prompt_id is otherwise "".
const NoticePromptID = "settings-notice"

// IsNotice reports whether d is a settings notice (see NoticePromptID).
func (d Delivery) IsNotice() bool { return d.Kind == KindConfirm && d.PromptID == NoticePromptID }

// MovePromptID marks a KindConfirm delivery as the confirmation of a
// move to a new email address or phone number (issue 11; store.RequestMove):
// the delivery's channel is the new one, and the dispatcher sends it to
// the pending move's address, never the subscriber's current one. It rides
// on the confirm kind for the reason NoticePromptID does.
const MovePromptID = "channel-move"

// IsMove reports whether d confirms a move (see MovePromptID).
func (d Delivery) IsMove() bool { return d.Kind == KindConfirm && d.PromptID == MovePromptID }

// DeliveryStatus is where a delivery stands in the outbox.
type DeliveryStatus string

// Delivery statuses. A delivery is written as queued before anything is
// sent. A worker claims it (sending, with a short lease), tries it, and
// moves it to sent, back to queued (a retry) or failed. A lease that runs
// out means the worker died: a delivery never tried goes back to queued; one
// whose attempt was recorded (SMS, see Channel.ResendSafe) becomes unknown
// and is never sent again by itself.
const (
	DeliveryQueued  DeliveryStatus = "queued"
	DeliverySending DeliveryStatus = "sending"
	DeliverySent    DeliveryStatus = "sent"
	DeliveryFailed  DeliveryStatus = "failed"
	DeliveryUnknown DeliveryStatus = "unknown"
	// DeliveryCancelled: never sent, because the subscriber left or paused
	// before it went out.
	DeliveryCancelled DeliveryStatus = "cancelled"
)

// Delivery is one outgoing message in the outbox.
type Delivery struct {
	ID           int64
	SubscriberID int64
	Kind         Kind
	Channel      Channel
	// Slot is the scheduled instant the delivery is for (UTC). For prompts
	// it is the subscriber's schedule slot; for other kinds, the moment the
	// message was asked for.
	Slot time.Time
	// PromptID, Theme and PromptText snapshot the prompt at scheduling
	// time, so an edited catalog never changes what was asked.
	PromptID      string
	Theme         string
	PromptText    string
	Status        DeliveryStatus
	Attempts      int
	NextAttemptAt time.Time
	ProviderID    string
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SentAt        time.Time
	// ProviderStatus is the provider's own delivery status from its status
	// callbacks (for Twilio: queued, sent, delivered, undelivered, failed),
	// and ProviderError its error code, if any.
	ProviderStatus string
	ProviderError  string
	// AttemptedAt is when the current claim's attempt began, for channels
	// whose attempt is recorded before the network write (SMS); zero
	// otherwise. LeaseUntil is when the current claim ends; zero unless
	// sending.
	AttemptedAt time.Time
	LeaseUntil  time.Time
}

// Reply is what a subscriber wrote back, from any channel.
type Reply struct {
	ID           int64
	SubscriberID int64
	// DeliveryID is the prompt answered, or 0 when unknown.
	DeliveryID int64
	Channel    Channel
	Body       string
	ReceivedAt time.Time
	// SourceID identifies the incoming event (a form submission, an SMS
	// MessageSid, an email Message-ID) so a replay stores nothing twice.
	SourceID string
}

// MaxReplyLength bounds a stored reply, in bytes.
const MaxReplyLength = 20000

// Validate checks a reply before it is stored.
func (r *Reply) Validate() error {
	if r.SubscriberID == 0 {
		return Invalid("subscriber", "a reply needs a subscriber")
	}
	if r.SourceID == "" {
		return Invalid("source", "a reply needs a source id")
	}
	if len(r.Body) == 0 {
		return Invalid("reply", "the reply is empty")
	}
	if len(r.Body) > MaxReplyLength {
		return Invalid("reply", "the reply is longer than %d characters", MaxReplyLength)
	}
	return nil
}

// Message is a rendered, channel-neutral outgoing message for one recipient.
type Message struct {
	DeliveryID int64
	Channel    Channel
	To         string
	Subject    string // email only
	Text       string
	HTML       string // email only
	// MessageID is the RFC 5322 Message-ID without angle brackets (email).
	MessageID string
	// ReplyTo carries the delivery's reply token (email).
	ReplyTo string
	// EnvelopeFrom is the SMTP MAIL FROM (email): a VERP address whose
	// token names the delivery, where bounces of it come back. The From
	// header is not changed by it. Empty means the From address.
	EnvelopeFrom string
	// Headers are extra email headers such as List-Unsubscribe.
	Headers map[string]string
	// ReplyURL is the web page where the subscriber can answer, if any.
	ReplyURL string
	// Inline are parts the HTML shows by Content-ID ("cid:…"), such as the
	// monthly summary's chart (email).
	Inline []Attachment
}

// Attachment is a file carried in an email; inline ones are referenced from
// the HTML as "cid:" + ContentID.
type Attachment struct {
	Filename    string
	ContentType string
	ContentID   string
	Data        []byte
}

// Prompt is one reflection question from the catalog.
type Prompt struct {
	ID    string // stable, e.g. "honesty-1"
	Theme string // a theme id, e.g. "honesty"
	// Text asks for a short answer (YES/NO or 1-5) plus free text. YES or a
	// high number always means things are well; NO or a low number is the
	// red flag.
	Text string
	// Answer is "yesno" or "scale".
	Answer string
}

// Theme is one of the article's red-flag themes.
type Theme struct {
	ID      string
	Name    string
	Summary string // what the theme covers, in the article's spirit
}

// PreviewMessage is a message kept by the preview sender instead of being
// sent, shown at /outbox while no SMTP server is configured.
type PreviewMessage struct {
	ID int64
	Message
	CreatedAt time.Time
}
