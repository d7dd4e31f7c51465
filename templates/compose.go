package templates

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	steady "github.com/steadyapp/steady"
	"github.com/steadyapp/steady/themes"
)

// DefaultProgramName is used when Composer.ProgramName is empty.
const DefaultProgramName = "Steady"

// Composer renders deliveries into complete messages.
type Composer struct {
	Set         *Set
	Links       Links
	ProgramName string // shown in messages; DefaultProgramName when empty
	// EmailReplies says an inbound path reads emailed replies (the IMAP
	// poller). Without one, a reply to a prompt would be lost, so prompts
	// carry no reply address and ask for the answer on the web page.
	EmailReplies bool
	// Past, when set, chooses past words for a prompt to a subscriber who
	// turned resurfacing on (never in discreet mode).
	Past PastPicker
	// Logger, when set, hears of past words that could not be chosen (the
	// prompt then goes without them); never a reply's words.
	Logger *slog.Logger

	// zones keeps the time zones messages were composed in: loading one
	// reads its zone file, which every message would otherwise do.
	zones steady.Locations
}

// pastTimeout bounds choosing past words when Compose has no context.
const pastTimeout = 5 * time.Second

// KindAgain names the templates (again.email.tmpl, again.sms.tmpl) of a
// confirmation delivery whose subscriber is already active: a repeat
// sign-up. It is sent the settings link, so the change is made there (at
// once) rather than held until a confirmation; the sign-up answer, the
// abuse limits and the resend window are those of any confirmation.
const KindAgain steady.Kind = "again"

// KindNotice names the templates (notice.email.tmpl, notice.sms.tmpl) of
// a settings notice (steady.NoticePromptID): composed when it is sent,
// from the subscriber as they are then.
const KindNotice steady.Kind = "notice"

// KindMove names the templates (move.email.tmpl, move.sms.tmpl) of the
// confirmation of a move to a new address (steady.MovePromptID), sent to
// that address with its own confirm link (or a YES by text).
const KindMove steady.Kind = "move"

// catchUpAfter: a prompt queued this long after its slot is a catch-up (as
// the scheduler's catchUpGrace).
const catchUpAfter = time.Hour

// Compose renders d, addressed to sub, into a message ready for the
// sender of d's channel (sub's channel if d has none). Prompts use the
// delivery's snapshot of the prompt text, never the current catalog; the
// catalog only says whether the answer is YES/NO or 1-5 (YES/NO when the
// prompt is gone). Emails carry a Message-ID, List-Unsubscribe headers and
// the delivery's bounce address as envelope sender; prompts also carry the
// reply address and reply page. A kind or channel
// with no template is an error.
//
// In discreet mode (sub.Discreet) every message says nothing about
// relationships where a lock screen or an inbox preview shows it. Compose
// gives Past a background context bounded by pastTimeout; ComposeContext
// takes the caller's.
func (c *Composer) Compose(d steady.Delivery, sub steady.Subscriber) (steady.Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), pastTimeout)
	defer cancel()
	return c.ComposeContext(ctx, d, sub)
}

// ComposeContext is Compose with a context for choosing past words.
func (c *Composer) ComposeContext(ctx context.Context, d steady.Delivery, sub steady.Subscriber) (steady.Message, error) {
	if c.Set == nil || c.Links == nil {
		return steady.Message{}, errors.New("templates: compose: the composer needs a Set and Links")
	}
	if d.SubscriberID != 0 && d.SubscriberID != sub.ID {
		return steady.Message{}, fmt.Errorf("templates: compose delivery %d: it is for subscriber %d, not %d", d.ID, d.SubscriberID, sub.ID)
	}
	ch := cmp.Or(d.Channel, sub.Channel)
	kind := d.Kind
	switch {
	case d.IsNotice():
		kind = KindNotice
	case d.IsMove():
		kind = KindMove
	case kind == steady.KindConfirm && sub.Status == steady.StatusActive:
		// A repeat sign-up by someone already subscribed: their settings
		// link, not a confirmation (see KindAgain).
		kind = KindAgain
	}
	t, ok := c.Set.lookup(kind, ch)
	if !ok {
		return steady.Message{}, fmt.Errorf("templates: compose delivery %d: no template for kind %q on channel %q", d.ID, d.Kind, ch)
	}
	t = t.forSubscriber(sub.Discreet)

	data := Data{
		ProgramName:       cmp.Or(c.ProgramName, DefaultProgramName),
		Address:           sub.Address,
		Schedule:          sub.Schedule.Describe(),
		TimeZone:          sub.TimeZone,
		UnsubscribeURL:    c.Links.UnsubscribeURL(sub),
		UnsubscribeMailto: c.Links.UnsubscribeMailto(sub),
		Discreet:          sub.Discreet,
	}
	msg := steady.Message{DeliveryID: d.ID, Channel: ch, To: sub.Address}
	switch kind {
	case KindAgain:
		data.SettingsURL = c.Links.SettingsURL(sub)
	case KindMove:
		// The link is bound to the move's request (the delivery's slot).
		data.ConfirmURL = c.Links.MoveURL(sub, d.Slot)
	case KindNotice:
		if sub.Status != steady.StatusActive || sub.NextSlot.IsZero() {
			return steady.Message{}, fmt.Errorf("templates: compose notice %d: the subscriber is %s", d.ID, sub.Status)
		}
		data.SettingsURL = c.Links.SettingsURL(sub)
		loc, err := c.zones.Load(sub.TimeZone)
		if err != nil {
			return steady.Message{}, fmt.Errorf("templates: compose notice %d: %w", d.ID, err)
		}
		data.NextPrompt = sub.NextSlot.In(loc).Format("Monday 2 January, 15:04")
		if sub.PausedUntil.After(d.CreatedAt) {
			data.PausedUntil = sub.PausedUntil.In(loc).Format("Monday 2 January")
		}
	case steady.KindConfirm:
		// A repeat sign-up confirms the settings it asked for.
		if sub.RequestedSchedule != nil {
			data.Schedule = sub.RequestedSchedule.Describe()
		}
		data.TimeZone = cmp.Or(sub.RequestedTimeZone, sub.TimeZone)
		data.ConfirmURL = c.Links.ConfirmURL(sub)
	case steady.KindPrompt:
		if d.PromptText == "" {
			return steady.Message{}, fmt.Errorf("templates: compose delivery %d: prompt text is empty", d.ID)
		}
		data.PromptID, data.Theme, data.PromptText = d.PromptID, d.Theme, d.PromptText
		data.Answer = themes.AnswerYesNo
		if p, ok := c.Set.Catalog().Prompt(d.PromptID); ok {
			data.Answer = p.Answer
		}
		data.ReplyURL = c.Links.ReplyURL(d)
		data.SettingsURL = c.Links.SettingsURL(sub)
		if c.EmailReplies {
			data.EmailReplies = true
			data.ReplyAddress = c.Links.ReplyAddress(d)
		}
		msg.ReplyURL = data.ReplyURL
	}
	loc, err := c.zones.Load(data.TimeZone)
	if err != nil {
		return steady.Message{}, fmt.Errorf("templates: compose delivery %d: %w", d.ID, err)
	}
	data.Slot = d.Slot.In(loc)
	if d.CreatedAt.Sub(d.Slot) > catchUpAfter {
		// A catch-up after an outage is for the day it was queued, not the
		// oldest slot it stands for; a retry keeps that day.
		data.Slot = d.CreatedAt.In(loc)
	}
	data.Weekday = data.Slot.Weekday().String()

	if c.Past != nil && wantsPast(d, sub) {
		// Past words are a gift, not the prompt: when they cannot be
		// chosen the prompt goes without them (a compose error would fail
		// it for good).
		p, ok, err := c.Past.PickPast(ctx, sub, d)
		switch {
		case err != nil && c.Logger != nil:
			c.Logger.Warn("templates: past words not chosen; the prompt goes without them",
				slog.Int64("delivery_id", d.ID), slog.Any("error", err))
		case err == nil && ok:
			data.Past = &p
		}
	}
	r, err := t.render(data)
	if err != nil {
		return steady.Message{}, err
	}
	if data.Past != nil && ch == steady.ChannelSMS && !smsFits(r.Text) {
		// Past words would make the text long (or not GSM-7): leave them
		// for another prompt.
		data.Past = nil
		if r, err = t.render(data); err != nil {
			return steady.Message{}, err
		}
	}
	msg.Text = r.Text
	if ch == steady.ChannelEmail {
		msg.Subject, msg.HTML = r.Subject, r.HTML
		msg.MessageID = c.Links.MessageID(d)
		msg.EnvelopeFrom = c.Links.BounceAddress(d)
		if d.Kind == steady.KindPrompt && data.EmailReplies {
			msg.ReplyTo = data.ReplyAddress
		}
		if kind != KindMove {
			// Not on a move's confirmation: the one-click unsubscribe of
			// whoever reads the new address must not stop the subscriber.
			msg.Headers = unsubscribeHeaders(data.UnsubscribeURL, data.UnsubscribeMailto)
		}
	}
	return msg, nil
}

// unsubscribeHeaders are the RFC 2369 and RFC 8058 one-click headers.
func unsubscribeHeaders(url, mailto string) map[string]string {
	value := "<" + url + ">"
	if mailto != "" {
		value += ", <" + mailto + ">"
	}
	return map[string]string{
		"List-Unsubscribe":      value,
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	}
}
