// Package inbox files emailed replies: Processor turns one raw message into
// a stored reply (or a bounce, an unsubscribe, or nothing), and Poller reads
// messages from an IMAP mailbox and hands them to a Processor.
package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/mailreply"
	"github.com/steadyapp/steady/store"
)

// Store is what the processor needs from the database.
type Store interface {
	Delivery(ctx context.Context, id int64) (steady.Delivery, error)
	Subscriber(ctx context.Context, id int64) (steady.Subscriber, error)
	SubscriberByAddress(ctx context.Context, ch steady.Channel, address string) (steady.Subscriber, error)
	LatestPrompt(ctx context.Context, subscriberID int64) (steady.Delivery, error)
	RecordReply(ctx context.Context, r steady.Reply) (steady.Reply, bool, error)
	RecordBounce(ctx context.Context, b store.Bounce, threshold int) (store.BounceResult, error)
	Unsubscribe(ctx context.Context, id int64, consent steady.Consent, now time.Time) (steady.Subscriber, error)
	// LinksRevokedAt is when the subscriber last unsubscribed (zero if
	// never): tokens of prompts sent before it name nothing.
	LinksRevokedAt(ctx context.Context, subscriberID int64) (time.Time, error)
}

var _ Store = (*store.DB)(nil)

// Outcome is what became of one message.
type Outcome string

// Outcomes. Done says which of them mark the message processed in the
// mailbox; the others leave it for a person to look at.
const (
	Stored       Outcome = "stored"       // a new reply was stored
	Duplicate    Outcome = "duplicate"    // this message was stored before
	AutoReply    Outcome = "auto-reply"   // an out-of-office or other automatic reply, dropped
	Bounced      Outcome = "bounce"       // a delivery failure, counted against the subscriber
	Unsubscribed Outcome = "unsubscribed" // a message to the List-Unsubscribe address
	Empty        Outcome = "empty"        // no new text
	Unmatched    Outcome = "unmatched"    // no subscriber or prompt fits; left alone
	Rejected     Outcome = "rejected"     // unreadable or too long to store; left alone
)

// Done says whether a message with this outcome is finished with, so the
// poller flags it (and moves it, if configured).
func (o Outcome) Done() bool {
	switch o {
	case Unmatched, Rejected:
		return false
	}
	return true
}

// Result describes what Process did, in terms that are safe to log: ids
// and fixed phrases, never addresses, headers or text.
type Result struct {
	Outcome      Outcome
	SubscriberID int64
	DeliveryID   int64
	// Match says how the subscriber was found: "address-token",
	// "message-id", "sender" or "".
	Match  string
	Reason string
}

// DefaultBounceThreshold is how many bounces mark an address bouncing.
const DefaultBounceThreshold = 3

// ProcessorConfig configures a Processor.
type ProcessorConfig struct {
	Store  Store
	Links  *links.Links
	Clock  steady.Clock
	Logger *slog.Logger
	// BounceThreshold is how many bounces mark a subscriber's address
	// bouncing, which stops their prompts; default DefaultBounceThreshold.
	BounceThreshold int
	// TrustedAuthServ are the authserv-ids of the servers whose
	// Authentication-Results headers are believed (the mailbox provider's,
	// e.g. "mx.google.com"). A reply without the token address is filed by
	// its thread headers or its sender only when such a header shows the
	// sender genuine (see senderAuthenticated); with none configured, only
	// the token address files a reply.
	TrustedAuthServ []string
	// Compose, when set, renders a prompt again as it was sent (the
	// templates and tokens are deterministic), so the quoted history of a
	// reply to it is cut where Steady's own words start, in any language
	// (mailreply.ExtractKnown). Without it only the shapes of quotes are
	// recognised.
	Compose func(d steady.Delivery, sub steady.Subscriber) (steady.Message, error)
	// From is the From address prompts are sent from, for the same cut.
	From string
	// Metrics, when set, counts the replies stored.
	Metrics Metrics
}

// Metrics counts what the inbox files and holds; *metrics.Recorder has
// it. A nil Metrics counts nothing.
type Metrics interface {
	// Reply counts a reply stored (not a duplicate) from ch.
	Reply(ch steady.Channel)
	// HeldAside counts a message held aside for reason (Held…).
	HeldAside(reason string)
}

// LateReplyWindow is how long after its reply token has expired an emailed
// reply to a prompt is still filed under it; later ones are held aside.
const LateReplyWindow = 30 * 24 * time.Hour

// Processor files one raw message at a time. It is safe for concurrent use.
type Processor struct {
	cfg ProcessorConfig

	mu     sync.Mutex
	counts map[Outcome]int
}

// NewProcessor checks cfg and returns a Processor.
func NewProcessor(cfg ProcessorConfig) (*Processor, error) {
	if cfg.Store == nil || cfg.Links == nil || cfg.Clock == nil {
		return nil, errors.New("inbox: a processor needs a store, links and a clock")
	}
	if cfg.BounceThreshold == 0 {
		cfg.BounceThreshold = DefaultBounceThreshold
	}
	if cfg.BounceThreshold < 1 {
		return nil, fmt.Errorf("inbox: bounce threshold %d: want at least 1", cfg.BounceThreshold)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Processor{cfg: cfg, counts: map[Outcome]int{}}, nil
}

// Counts returns how many messages had each outcome since the processor
// was made.
func (p *Processor) Counts() map[Outcome]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[Outcome]int, len(p.counts))
	for k, v := range p.counts {
		out[k] = v
	}
	return out
}

// Text returns exactly the text Steady would store for raw, or an error
// wrapping one of mailreply's reasons when it would store nothing. It is
// what `steady reply-text` prints.
func Text(raw []byte) (mailreply.Message, error) {
	return TextKnown(raw, mailreply.Known{})
}

// TextKnown is Text for a reply to a message Steady sent, known as k:
// the quoted history is cut where Steady's own words start.
func TextKnown(raw []byte, k mailreply.Known) (mailreply.Message, error) {
	m, err := mailreply.ExtractKnown(raw, k)
	if err != nil {
		return m, err
	}
	if len(m.Text) > steady.MaxReplyLength {
		m.Text = ""
		return m, fmt.Errorf("%w: more than %d bytes after quotes are removed", mailreply.ErrTooLong, steady.MaxReplyLength)
	}
	return m, nil
}

// Process files one raw message. An error means a failure worth retrying
// (the database did not answer); every kind of bad message is an Outcome.
func (p *Processor) Process(ctx context.Context, raw []byte) (Result, error) {
	res, err := p.process(ctx, raw)
	if err != nil {
		return Result{}, err
	}
	p.mu.Lock()
	p.counts[res.Outcome]++
	p.mu.Unlock()
	p.cfg.Logger.InfoContext(ctx, "email processed", "outcome", string(res.Outcome), "subscriber", res.SubscriberID,
		"delivery", res.DeliveryID, "match", res.Match, "reason", res.Reason)
	return res, nil
}

func (p *Processor) process(ctx context.Context, raw []byte) (Result, error) {
	m, err := Text(raw)
	if res, ok, uerr := p.unsubscribe(ctx, m); uerr != nil || ok {
		return res, uerr
	}
	switch {
	case errors.Is(err, mailreply.ErrBounce):
		return p.bounce(ctx, m, raw)
	case errors.Is(err, mailreply.ErrAutoReply):
		return Result{Outcome: AutoReply}, nil
	case errors.Is(err, mailreply.ErrEmpty):
		return Result{Outcome: Empty}, nil
	case errors.Is(err, mailreply.ErrTooLong):
		return Result{Outcome: Rejected, Reason: "too long"}, nil
	case err != nil:
		// The detail may quote a header line; it is not logged.
		return Result{Outcome: Rejected, Reason: "malformed"}, nil
	}
	sub, d, how, err := p.match(ctx, m, senderAuthenticated(raw, m.From, p.cfg.TrustedAuthServ))
	if err != nil {
		return Result{}, err
	}
	if sub.ID == 0 {
		return Result{Outcome: Unmatched, Reason: how}, nil
	}
	res := Result{SubscriberID: sub.ID, DeliveryID: d.ID, Match: how}
	if sub.Status == steady.StatusUnsubscribed {
		res.Outcome, res.Reason = Unmatched, "the subscriber has unsubscribed"
		return res, nil
	}
	if k, ok := p.known(d, sub); ok {
		// Now that the prompt is known, cut its quoted text wherever the
		// mail program put it.
		km, kerr := TextKnown(raw, k)
		switch {
		case errors.Is(kerr, mailreply.ErrEmpty):
			res.Outcome = Empty
			return res, nil
		case errors.Is(kerr, mailreply.ErrTooLong):
			res.Outcome, res.Reason = Rejected, "too long"
			return res, nil
		case kerr == nil:
			m.Text = km.Text
		}
	}
	_, created, err := p.cfg.Store.RecordReply(ctx, steady.Reply{
		SubscriberID: sub.ID,
		DeliveryID:   d.ID,
		Channel:      steady.ChannelEmail,
		Body:         m.Text,
		ReceivedAt:   p.cfg.Clock.Now(),
		SourceID:     sourceID(m, raw),
	})
	switch {
	case errors.Is(err, steady.ErrConflict):
		res.Outcome, res.Reason = Rejected, "its Message-ID was stored for another subscriber"
	case steady.IsInvalid(err):
		res.Outcome, res.Reason = Rejected, "the store refused it"
	case err != nil:
		return Result{}, fmt.Errorf("inbox: %w", err)
	case created:
		res.Outcome = Stored
		if p.cfg.Metrics != nil {
			p.cfg.Metrics.Reply(steady.ChannelEmail)
		}
	default:
		res.Outcome = Duplicate
	}
	return res, nil
}

// known is what Steady sent for prompt d, rendered again, or false.
func (p *Processor) known(d steady.Delivery, sub steady.Subscriber) (mailreply.Known, bool) {
	if p.cfg.Compose == nil || d.ID == 0 || d.Kind != steady.KindPrompt {
		return mailreply.Known{}, false
	}
	msg, err := p.cfg.Compose(d, sub)
	if err != nil {
		return mailreply.Known{}, false
	}
	return mailreply.Known{Text: msg.Text, Subject: msg.Subject, From: p.cfg.From}.WithHTML(msg.HTML), true
}

// sourceID is the reply's idempotency key: its Message-ID, or a hash of
// the whole message when it has none (or an absurd one).
func sourceID(m mailreply.Message, raw []byte) string {
	if m.MessageID != "" && len(m.MessageID) <= 250 {
		return "email:" + m.MessageID
	}
	sum := sha256.Sum256(raw)
	return "email-sha256:" + hex.EncodeToString(sum[:16])
}

// verify returns the id a token names and whether it has expired; an
// expired but genuine token still names it, since an old prompt can be
// answered late.
func (p *Processor) verify(purpose links.Purpose, token string) (id int64, expired, ok bool) {
	id, err := p.cfg.Links.Verify(purpose, token)
	if err != nil && !errors.Is(err, links.ErrTokenExpired) {
		return 0, false, false
	}
	return id, err != nil, true
}

// promptByToken finds the prompt a token names: a reply token, or the
// token of a Message-ID (purpose PurposeThread). A token expired more than
// LateReplyWindow ago names nothing, and so does one of a prompt sent
// before the subscriber last unsubscribed (even if they signed up again).
func (p *Processor) promptByToken(ctx context.Context, purpose links.Purpose, token string) (steady.Delivery, steady.Subscriber, error) {
	id, expired, ok := p.verify(purpose, token)
	if !ok {
		return steady.Delivery{}, steady.Subscriber{}, nil
	}
	d, err := p.cfg.Store.Delivery(ctx, id)
	if errors.Is(err, steady.ErrNotFound) || (err == nil && d.Kind != steady.KindPrompt) {
		return steady.Delivery{}, steady.Subscriber{}, nil
	}
	if err == nil && expired && p.cfg.Clock.Now().After(d.CreatedAt.Add(links.ReplyTTL+LateReplyWindow)) {
		return steady.Delivery{}, steady.Subscriber{}, nil
	}
	if err != nil {
		return steady.Delivery{}, steady.Subscriber{}, fmt.Errorf("inbox: %w", err)
	}
	sub, err := p.cfg.Store.Subscriber(ctx, d.SubscriberID)
	if errors.Is(err, steady.ErrNotFound) {
		return steady.Delivery{}, steady.Subscriber{}, nil
	}
	if err != nil {
		return steady.Delivery{}, steady.Subscriber{}, fmt.Errorf("inbox: %w", err)
	}
	revoked, err := p.cfg.Store.LinksRevokedAt(ctx, sub.ID)
	if err != nil {
		return steady.Delivery{}, steady.Subscriber{}, fmt.Errorf("inbox: %w", err)
	}
	if !revoked.IsZero() && !d.CreatedAt.After(revoked) {
		return steady.Delivery{}, steady.Subscriber{}, nil
	}
	return d, sub, nil
}

// match finds the subscriber and prompt a reply answers: by the token in
// the address it was sent to (the key: only the subscriber got it), then,
// only when the sender is authenticated (a From header and a Message-ID
// are no secret), by In-Reply-To/References naming that sender's prompt,
// then by the sender's address and their latest prompt. A zero subscriber
// means no match; how then says why.
func (p *Processor) match(ctx context.Context, m mailreply.Message, authenticated bool) (steady.Subscriber, steady.Delivery, string, error) {
	for _, rcpt := range m.Recipients {
		purpose, token, ok := p.cfg.Links.AddressToken(rcpt)
		if !ok || purpose != links.PurposeReply {
			continue
		}
		d, sub, err := p.promptByToken(ctx, links.PurposeReply, token)
		if err != nil || sub.ID != 0 {
			return sub, d, "address-token", err
		}
	}
	if !authenticated {
		return steady.Subscriber{}, steady.Delivery{}, "no reply token, and the sender is not authenticated by a trusted server", nil
	}
	forged := false
	ids := append(slices.Clone(m.InReplyTo), reversed(m.References)...)
	for _, id := range ids {
		purpose, token, ok := p.cfg.Links.MessageIDToken(id)
		if !ok {
			continue
		}
		d, sub, err := p.promptByToken(ctx, purpose, token)
		if err != nil {
			return steady.Subscriber{}, steady.Delivery{}, "", err
		}
		if sub.ID == 0 {
			continue
		}
		if !sameAddress(sub.Address, m.From) {
			forged = true
			continue
		}
		return sub, d, "message-id", nil
	}
	from, err := steady.NormalizeEmail(m.From)
	if err != nil {
		return steady.Subscriber{}, steady.Delivery{}, "no usable sender address", nil
	}
	sub, err := p.cfg.Store.SubscriberByAddress(ctx, steady.ChannelEmail, from)
	if errors.Is(err, steady.ErrNotFound) {
		why := "no subscriber has the sender's address"
		if forged {
			why = "In-Reply-To names another subscriber's prompt"
		}
		return steady.Subscriber{}, steady.Delivery{}, why, nil
	}
	if err != nil {
		return steady.Subscriber{}, steady.Delivery{}, "", fmt.Errorf("inbox: %w", err)
	}
	d, err := p.cfg.Store.LatestPrompt(ctx, sub.ID)
	if err != nil && !errors.Is(err, steady.ErrNotFound) {
		return steady.Subscriber{}, steady.Delivery{}, "", fmt.Errorf("inbox: %w", err)
	}
	return sub, d, "sender", nil
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// sameAddress compares two addresses ignoring case: mail systems treat
// local parts case-insensitively in practice.
func sameAddress(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// unsubscribe handles a message sent to the List-Unsubscribe mailto
// address. ok says whether it was one.
func (p *Processor) unsubscribe(ctx context.Context, m mailreply.Message) (Result, bool, error) {
	for _, rcpt := range m.Recipients {
		purpose, token, ok := p.cfg.Links.AddressToken(rcpt)
		if !ok || purpose != links.PurposeUnsubscribe {
			continue
		}
		// Leaving must always be easy: an expired but genuine token counts.
		id, _, ok := p.verify(links.PurposeUnsubscribe, token)
		if !ok {
			continue
		}
		now := p.cfg.Clock.Now()
		sub, err := p.cfg.Store.Unsubscribe(ctx, id, steady.Consent{
			Action: steady.ConsentUnsubscribed, At: now, Method: "email", Wording: UnsubscribeWording,
		}, now)
		if errors.Is(err, steady.ErrNotFound) {
			return Result{Outcome: Unmatched, Reason: "the unsubscribe address names no subscriber"}, true, nil
		}
		if err != nil {
			return Result{}, true, fmt.Errorf("inbox: %w", err)
		}
		return Result{Outcome: Unsubscribed, SubscriberID: sub.ID, Match: "address-token"}, true, nil
	}
	return Result{}, false, nil
}

// UnsubscribeWording is recorded as the consent wording of an
// unsubscription by email.
const UnsubscribeWording = "Email sent to the List-Unsubscribe address"
