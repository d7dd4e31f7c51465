package inbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// Holder keeps inbound mail that was not filed.
type Holder interface {
	HoldInbound(ctx context.Context, m store.HeldMessage) (id int64, created bool, err error)
}

var _ Holder = (*store.DB)(nil)

// Held reasons, the fixed phrases of store.HeldMessage.Reason.
const (
	HeldUnmatched       = "unmatched"       // no subscriber or prompt fits
	HeldUnauthenticated = "unauthenticated" // no reply token, and the sender is not proven genuine
	HeldRejected        = "rejected"        // unreadable, too long, or refused by the store
)

// notAuthenticated is the Reason match gives a message without a reply
// token whose sender is not authenticated.
const notAuthenticated = "no reply token, and the sender is not authenticated by a trusted server"

// IntakeConfig configures an Intake.
type IntakeConfig struct {
	Processor *Processor
	Holder    Holder
	Clock     steady.Clock
	Logger    *slog.Logger
	// Hasher, when set, files held mail under the keyed hash of its From
	// address, so erasing that subscriber erases it too.
	Hasher store.AddressHasher
	// Metrics, when set, counts what is held aside.
	Metrics Metrics
}

// Intake is the one way in for a whole inbound message from a receiver
// that cannot leave it in a mailbox (the SMTP receiver, provider
// webhooks): it files the message, and holds aside what is not filed, so
// that once Receive returns without error the message is durably kept
// one way or the other.
type Intake struct {
	cfg IntakeConfig
}

// NewIntake checks cfg and returns an Intake.
func NewIntake(cfg IntakeConfig) (*Intake, error) {
	if cfg.Processor == nil || cfg.Holder == nil || cfg.Clock == nil {
		return nil, errors.New("inbox: an intake needs a processor, a holder and a clock")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Intake{cfg: cfg}, nil
}

// Receive files raw, which came from source ("smtp", "mailgun", …), and
// holds it aside when its outcome is not Done (Unmatched, Rejected). An
// error means nothing was kept and the sender should try again later (the
// database did not answer); a retry is neither filed nor held twice.
func (i *Intake) Receive(ctx context.Context, raw []byte, source string) (Result, error) {
	res, err := i.cfg.Processor.Process(ctx, raw)
	if err != nil {
		return Result{}, err
	}
	if res.Outcome.Done() {
		return res, nil
	}
	reason := HeldUnmatched
	switch {
	case res.Outcome == Rejected:
		reason = HeldRejected
	case res.Reason == notAuthenticated:
		reason = HeldUnauthenticated
	}
	id, created, err := i.cfg.Holder.HoldInbound(ctx, store.HeldMessage{
		ReceivedAt: i.cfg.Clock.Now(),
		Source:     source,
		Reason:     reason,
		Detail:     res.Reason,
		MessageID:  messageID(raw),
		Raw:        raw,
		SenderHash: i.senderHash(raw),
	})
	if err != nil {
		return Result{}, fmt.Errorf("inbox: hold aside: %w", err)
	}
	if created && i.cfg.Metrics != nil {
		i.cfg.Metrics.HeldAside(reason)
	}
	i.cfg.Logger.InfoContext(ctx, "email held aside", "source", source, "reason", reason, "held", id, "new", created)
	return res, nil
}

// senderHash is the keyed hash of raw's From address, or "" (no hasher,
// no readable address).
func (i *Intake) senderHash(raw []byte) string {
	if i.cfg.Hasher == nil {
		return ""
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) == 0 {
		return ""
	}
	addr, err := steady.NormalizeEmail(from[0].Address)
	if err != nil {
		return ""
	}
	h, err := i.cfg.Hasher.HashAddress(steady.ChannelEmail, addr)
	if err != nil {
		return ""
	}
	return h
}

// messageID is raw's Message-ID header, or "" (also for an unreadable
// header).
func messageID(raw []byte) string {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(msg.Header.Get("Message-ID"))
}
