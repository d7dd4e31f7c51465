package summary

import (
	"context"
	"fmt"
	"github.com/steadyapp/steady/analysis"
	"log/slog"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/themes"
)

// IncidentWindow: a subscriber gets at most one safety note per window (a
// fixed seven-day span), however many replies in it speak of harm.
const IncidentWindow = 7 * 24 * time.Hour

// safetyNotes sends sub a short note with support resources when one of
// their recent replies (received in the last IncidentWindow) speaks of harm, threats or fear of
// the partner, once per window. Nobody else is ever contacted.
func (s *Service) safetyNotes(ctx context.Context, sub steady.Subscriber, recent []steady.Reply, now time.Time) error {
	for _, r := range recent {
		if now.Sub(r.ReceivedAt) > IncidentWindow || r.ReceivedAt.After(now) {
			continue
		}
		if !speaksOfHarm(r.Body) {
			continue
		}
		window := r.ReceivedAt.UTC().Truncate(IncidentWindow)
		id, created, err := s.cfg.Store.ClaimSafetyNotice(ctx, sub.ID, r.ID, window, now)
		if err != nil {
			return err
		}
		if !created {
			continue
		}
		status := steady.SummarySent
		msg := SafetyMessage(sub, s.resourcesFor(sub), s.cfg.Links.UnsubscribeURL(sub), s.cfg.Links.UnsubscribeMailto(sub))
		if _, err := s.cfg.Sender.Send(ctx, msg); err != nil {
			status = steady.SummaryFailed
			s.log.Warn("summary: safety note not sent", slog.Int64("subscriber_id", sub.ID), slog.Any("error", err))
		} else {
			s.log.Info("summary: safety note sent", slog.Int64("subscriber_id", sub.ID))
		}
		if err := s.cfg.Store.FinishSafetyNotice(context.WithoutCancel(ctx), id, status); err != nil {
			return err
		}
	}
	return nil
}

func speaksOfHarm(text string) bool {
	for _, f := range analysis.Analyze(text, "") {
		if f.Theme == themes.Safety {
			return true
		}
	}
	return false
}

// SafetyMessage is the short note with support resources. Its subject and
// first words are calm, so a notification preview shows nothing alarming.
// An email ends with a quiet unsubscribe line and carries the
// List-Unsubscribe headers (unsubscribeURL and unsubscribeMailto).
func SafetyMessage(sub steady.Subscriber, resources []Resource, unsubscribeURL, unsubscribeMailto string) steady.Message {
	if sub.Channel == steady.ChannelSMS {
		text := "Steady: thank you for your reply. If you'd like to talk to someone in confidence, any time:"
		for _, r := range resources {
			if len(text)+len(r.Contact)+2 > 300 {
				break
			}
			text += " " + r.Contact + ";"
		}
		return steady.Message{Channel: steady.ChannelSMS, To: sub.Address, Text: strings.TrimSuffix(text, ";") + "."}
	}
	var b strings.Builder
	b.WriteString("Thank you for trusting Steady with what you wrote.\n\n")
	b.WriteString("If you ever feel unsafe with someone, you do not have to face it alone. These people listen in confidence, free, at any hour:\n\n")
	for _, r := range resources {
		fmt.Fprintf(&b, "  - %s: %s\n", r.Name, r.Contact)
	}
	b.WriteString("\nWhat you do next is yours to decide. Nobody else has been told about your reply, and Steady never contacts anyone on your behalf.\n")
	b.WriteString("\n--\nIf you would rather not hear from Steady any more, you can stop at any time: " + unsubscribeURL + "\n")
	return steady.Message{Channel: steady.ChannelEmail, To: sub.Address, Subject: "A note from Steady", Text: b.String(),
		Headers: UnsubscribeHeaders(unsubscribeURL, unsubscribeMailto)}
}
