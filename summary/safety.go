package summary

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/steadyapp/steady/analysis"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
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
		if err := s.sendSafetyNote(ctx, sub, r.ID, r.ReceivedAt.UTC().Truncate(IncidentWindow), now); err != nil {
			return err
		}
	}
	return nil
}

// safetyPass sends the safety notes owed at now: for the replies since the
// last scan (with an overlap for replies stamped a little late; the first
// scan reads a whole IncidentWindow) that speak of harm, and those whose
// retry time has come. It reads only replies flagged when they were
// recorded (store.HarmRepliesSince), and only their subscribers.
func (s *Service) safetyPass(ctx context.Context, now time.Time) error {
	since := now.Add(-IncidentWindow)
	s.mu.Lock()
	if last := s.lastScan; !last.IsZero() && last.Add(-scanOverlap).After(since) {
		since = last.Add(-scanOverlap)
	}
	s.mu.Unlock()
	recent, err := s.cfg.Store.HarmRepliesSince(ctx, since)
	if err != nil {
		return err
	}
	retries, err := s.cfg.Store.SafetyRetriesDue(ctx, now)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.lastScan = now
	s.mu.Unlock()
	bySub := map[int64][]steady.Reply{}
	var ids []int64
	for _, r := range recent {
		if !speaksOfHarm(r.Body) {
			continue // analysed by another version, and speaks of no harm
		}
		if _, ok := bySub[r.SubscriberID]; !ok {
			ids = append(ids, r.SubscriberID)
		}
		bySub[r.SubscriberID] = append(bySub[r.SubscriberID], r)
	}
	for _, r := range retries {
		if !slices.Contains(ids, r.SubscriberID) {
			ids = append(ids, r.SubscriberID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	subs, err := s.cfg.Store.SubscribersByID(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]steady.Subscriber, len(subs))
	for _, sub := range subs {
		byID[sub.ID] = sub
	}
	var errs []error
	if err := s.retrySafetyNotes(ctx, byID, retries, now); err != nil {
		errs = append(errs, err)
	}
	for _, sub := range subs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !receiving(sub, now) {
			continue
		}
		if err := s.safetyNotes(ctx, sub, bySub[sub.ID], now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// retrySafetyNotes tries again the safety notes whose retry time has come,
// for subscribers still receiving.
func (s *Service) retrySafetyNotes(ctx context.Context, byID map[int64]steady.Subscriber, due []store.SafetyRetry, now time.Time) error {
	for _, r := range due {
		sub, ok := byID[r.SubscriberID]
		if !ok || !receiving(sub, now) {
			continue
		}
		if err := s.sendSafetyNote(ctx, sub, r.ReplyID, r.WindowStart, now); err != nil {
			return err
		}
	}
	return nil
}

// sendSafetyNote claims, sends and records the safety note of one incident
// window, unless it was sent (or is being sent) already.
func (s *Service) sendSafetyNote(ctx context.Context, sub steady.Subscriber, replyID int64, window, now time.Time) error {
	id, created, err := s.cfg.Store.ClaimSafetyNotice(ctx, sub.ID, replyID, window, now)
	if err != nil || !created {
		return err
	}
	msg := SafetyMessage(sub, s.cfg.ProgramName, s.resourcesFor(sub), s.cfg.Links.UnsubscribeURL(sub), s.cfg.Links.UnsubscribeMailto(sub))
	_, err = s.cfg.Sender.Send(ctx, msg)
	rctx := context.WithoutCancel(ctx)
	switch {
	case err == nil:
		s.count(sub, "sent")
		s.log.Info("summary: safety note sent", slog.Int64("subscriber_id", sub.ID))
		return s.cfg.Store.FinishSafetyNotice(rctx, id, steady.SummarySent)
	case errors.Is(err, steady.ErrRejected) || (errors.Is(err, steady.ErrOutcomeUnknown) && !sub.Channel.ResendSafe()):
		// Refused for good, or a text that may have gone: not again.
		s.count(sub, "failed")
		s.log.Warn("summary: safety note not sent", slog.Int64("subscriber_id", sub.ID), slog.Any("error", err))
		return s.cfg.Store.FinishSafetyNotice(rctx, id, steady.SummaryFailed)
	default:
		// A passing failure: the note matters too much to drop.
		final, rerr := s.cfg.Store.RetrySafetyNotice(rctx, id, now.Add(SafetyRetryAfter), SafetyAttempts)
		if final {
			s.count(sub, "failed")
		} else {
			s.count(sub, "retry")
		}
		s.log.Warn("summary: safety note not sent", slog.Int64("subscriber_id", sub.ID),
			slog.Bool("tried_again_later", !final), slog.Any("error", err))
		return rerr
	}
}

// count counts a safety note's outcome, when the service has Metrics.
func (s *Service) count(sub steady.Subscriber, outcome string) {
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.SafetyNote(sub.Channel, outcome)
	}
}

// A safety note that fails for a passing reason is tried again
// SafetyRetryAfter later, SafetyAttempts times in all.
const (
	SafetyRetryAfter = 5 * time.Minute
	SafetyAttempts   = 6
)

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
//
// In discreet mode (sub.Discreet) neither the subject nor the opening
// lines name a helpline or speak of safety: the resources come lower
// down, and a text carries only their numbers. program is the programme's
// name ("Steady" when empty).
func SafetyMessage(sub steady.Subscriber, program string, resources []Resource, unsubscribeURL, unsubscribeMailto string) steady.Message {
	program = cmp.Or(program, "Steady")
	if sub.Channel == steady.ChannelSMS {
		text := program + ": thank you for your reply. If you'd like to talk to someone in confidence, any time:"
		if sub.Discreet {
			text = program + ": thank you for your reply. If you'd like to talk to someone, any time:"
		}
		for _, r := range resources {
			if len(text)+len(r.Contact)+2 > 300 {
				break
			}
			text += " " + r.Contact + ";"
		}
		return steady.Message{Channel: steady.ChannelSMS, To: sub.Address, Text: strings.TrimSuffix(text, ";") + "."}
	}
	var b strings.Builder
	if sub.Discreet {
		b.WriteString("Thank you for your reply.\n\n")
		b.WriteString("There is nothing you need to do, and nothing else will change. Below are a few words for you, in case they are ever useful.\n\n\n\n")
	} else {
		b.WriteString("Thank you for trusting " + program + " with what you wrote.\n\n")
	}
	b.WriteString("If you ever feel unsafe with someone, you do not have to face it alone. These people listen in confidence, free, at any hour:\n\n")
	for _, r := range resources {
		fmt.Fprintf(&b, "  - %s: %s\n", r.Name, r.Contact)
	}
	b.WriteString("\nWhat you do next is yours to decide. Nobody else has been told about your reply, and " + program + " never contacts anyone on your behalf.\n")
	b.WriteString("\n--\nIf you would rather not hear from " + program + " any more, you can stop at any time: " + unsubscribeURL + "\n")
	return steady.Message{Channel: steady.ChannelEmail, To: sub.Address, Subject: "A note from " + program, Text: b.String(),
		Headers: UnsubscribeHeaders(unsubscribeURL, unsubscribeMailto)}
}
