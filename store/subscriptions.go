package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// SubscriptionRequest is a filled-in sign-up form.
type SubscriptionRequest struct {
	Channel  steady.Channel
	Address  string // normalized, e.g. by steady.NormalizeEmail
	TimeZone string
	Schedule steady.Schedule
	// Consent is what the person agreed to (Method, IP, Wording); Action
	// and At are set by RequestSubscription.
	Consent steady.Consent
	Now     time.Time
	// ResendAfter: no new confirmation is queued if one was queued less
	// than this long ago.
	ResendAfter time.Duration
	// Limits are the abuse limits the sign-up must stay under: those
	// without OnConfirm are counted first, the others only when a
	// confirmation is about to be queued. Over any of them the whole
	// request is refused with a *LimitError and nothing is stored.
	Limits []RateLimit
	// AddressHash is the keyed hash of Address (AddressHasher), under
	// which an erased subscriber's opt-out is kept; empty, no kept opt-out
	// is looked for.
	AddressHash string
	// FromOwner: the request came from the address itself (START texted
	// from the number), which is the owner's own opt-in, so an earlier
	// opt-out does not hold it back.
	FromOwner bool
	// Discreet asks for discreet mode (steady.Preferences.Discreet). A new
	// subscriber, or a pending or unsubscribed one signing up again, gets
	// it; a sign-up can turn it on but never off, and an active or paused
	// subscriber's own choice (their settings page) is left alone, so
	// nobody can change how someone else's messages look by typing their
	// address.
	Discreet bool
}

// OptedOutResendAfter: an address that asked to stop (an unsubscribed
// subscriber, or an erased one whose opt-out is kept) is sent a
// confirmation email at most this often, whatever ResendAfter says.
const OptedOutResendAfter = 30 * 24 * time.Hour

// SubscriptionResult is what RequestSubscription did.
type SubscriptionResult struct {
	Subscriber    steady.Subscriber
	Created       bool // a new subscriber row was inserted
	ConfirmQueued bool // a confirmation delivery was queued
	// HeldBack: the number had asked to stop (it is unsubscribed, or an
	// erased subscriber's opt-out is kept) and the request did not come
	// from it, so nothing was stored and no text queued: after STOP only
	// the owner's own START may bring texts back.
	HeldBack bool
}

// RequestSubscription records a sign-up in one transaction:
//
//   - a new (channel, address) is inserted as pending with the requested
//     time zone and schedule;
//   - a pending or unsubscribed one becomes pending with the requested time
//     zone and schedule (unsubscribed_at is kept);
//   - an active or paused one keeps its status, time zone and schedule; the
//     request is kept in requested_timezone and requested_schedule and
//     applied only when the new confirmation is clicked, so nobody can change
//     someone else's schedule by typing their address.
//
// The consent is always recorded. A confirmation delivery (kind confirm,
// slot Now truncated to the second) is queued and confirm_sent_at set,
// unless a confirmation was queued less than ResendAfter ago. Over one of
// req.Limits it returns an error wrapping a *LimitError and stores nothing.
//
// An address that asked to stop (unsubscribed_at set, or an opt-out kept
// under AddressHash from an erased subscriber) is treated so that nobody
// but its owner can bring messages back: a phone number is held back
// (HeldBack, nothing stored) unless FromOwner; an email address gets the
// confirmation, which is the owner's opt-in, at most once per
// OptedOutResendAfter.
func (db *DB) RequestSubscription(ctx context.Context, req SubscriptionRequest) (SubscriptionResult, error) {
	if req.Now.IsZero() {
		return SubscriptionResult{}, errors.New("store: request subscription: no time given")
	}
	check := steady.Subscriber{Channel: req.Channel, Address: req.Address, TimeZone: req.TimeZone,
		Schedule: req.Schedule, Status: steady.StatusPending}
	if err := check.Validate(); err != nil {
		return SubscriptionResult{}, fmt.Errorf("store: request subscription: %w", err)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return SubscriptionResult{}, fmt.Errorf("store: request subscription: %w", err)
	}
	defer tx.rollback()
	res, err := requestSubscription(ctx, tx, req)
	if err != nil {
		return SubscriptionResult{}, fmt.Errorf("store: request subscription: %w", err)
	}
	if err := tx.commit(); err != nil {
		return SubscriptionResult{}, fmt.Errorf("store: request subscription: %w", err)
	}
	return res, nil
}

func requestSubscription(ctx context.Context, tx *tx, req SubscriptionRequest) (SubscriptionResult, error) {
	if err := takeLimits(ctx, tx, req.Limits, false, req.Now); err != nil {
		return SubscriptionResult{}, err
	}
	stopped, err := askedToStop(ctx, tx, req)
	if err != nil {
		return SubscriptionResult{}, err
	}
	if stopped {
		if req.Channel == steady.ChannelSMS && !req.FromOwner {
			return SubscriptionResult{HeldBack: true}, nil
		}
		req.ResendAfter = max(req.ResendAfter, OptedOutResendAfter)
	}
	id, created, err := tx.insertID(ctx, `INSERT INTO subscribers (channel, address, timezone, schedule, status, created_at, discreet)
		VALUES (?, ?, ?, ?, 'pending', ?, ?)
		ON CONFLICT (channel, address) DO NOTHING
		RETURNING id`,
		string(req.Channel), req.Address, req.TimeZone, req.Schedule.String(), tx.ts(req.Now), flag(req.Discreet))
	if err != nil {
		return SubscriptionResult{}, err
	}
	if !created {
		if id, err = subscriberID(ctx, tx, req.Channel, req.Address); err != nil {
			return SubscriptionResult{}, err
		}
	}
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return SubscriptionResult{}, err
	}
	if !sub.AddressInvalidAt.IsZero() {
		if err := clearAddressInvalid(ctx, tx, id); err != nil {
			return SubscriptionResult{}, err
		}
	}
	if sub.Status == steady.StatusUnsubscribed {
		sub.Status = steady.StatusPending
		sub.NextSlot = time.Time{}
	}
	// Discreet mode asked for by anyone is only ever turned on here (it
	// hides more, never less); turning it off is the subscriber's own
	// choice on their settings page.
	if sub.Status == steady.StatusPending && req.Discreet && !sub.Discreet {
		if _, err := tx.exec(ctx, `UPDATE subscribers SET discreet = 1 WHERE id = ?`, id); err != nil {
			return SubscriptionResult{}, err
		}
	}

	consent := req.Consent
	consent.Action, consent.At = steady.ConsentRequested, req.Now
	if err := insertConsent(ctx, tx, id, consent); err != nil {
		return SubscriptionResult{}, err
	}

	queued := false
	if due, err := resendDue(ctx, tx, sub, req); err != nil {
		return SubscriptionResult{}, err
	} else if due {
		if err := takeLimits(ctx, tx, req.Limits, true, req.Now); err != nil {
			return SubscriptionResult{}, err
		}
		queued, err = insertDelivery(ctx, tx, steady.Delivery{
			SubscriberID: id,
			Kind:         steady.KindConfirm,
			Channel:      sub.Channel,
			Slot:         req.Now.Truncate(time.Second),
		}, req.Now)
		if err != nil {
			return SubscriptionResult{}, err
		}
		if queued {
			sub.ConfirmSentAt = req.Now
		}
	}
	// The settings asked for are kept only with the confirmation that
	// shows them: a confirmation already on its way (within ResendAfter,
	// or an address that asked to stop) confirms the settings it named, so
	// a stranger typing someone's address cannot change what their link
	// or their YES agrees to.
	if queued || created {
		switch sub.Status {
		case steady.StatusPending:
			sub.TimeZone, sub.Schedule = req.TimeZone, req.Schedule
			sub.RequestedTimeZone, sub.RequestedSchedule = "", nil
		case steady.StatusActive, steady.StatusPaused:
			sched := req.Schedule
			sub.RequestedTimeZone, sub.RequestedSchedule = req.TimeZone, &sched
		}
	}
	if err := updateSubscriber(ctx, tx, sub); err != nil {
		return SubscriptionResult{}, err
	}
	sub, err = getSubscriber(ctx, tx, id)
	if err != nil {
		return SubscriptionResult{}, err
	}
	return SubscriptionResult{Subscriber: sub, Created: created, ConfirmQueued: queued}, nil
}

// askedToStop reports whether the address's latest word was to stop: its
// subscriber is unsubscribed (or pending again after unsubscribing, not
// yet confirmed), or an erased subscriber's kept opt-out holds and no
// confirmation since has superseded it.
func askedToStop(ctx context.Context, tx *tx, req SubscriptionRequest) (bool, error) {
	optOut, err := keptOptOut(ctx, tx, req.Channel, req.AddressHash)
	if err != nil {
		return false, err
	}
	id, err := subscriberID(ctx, tx, req.Channel, req.Address)
	if errors.Is(err, steady.ErrNotFound) {
		return !optOut.IsZero(), nil
	}
	if err != nil {
		return false, err
	}
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return false, err
	}
	if !sub.UnsubscribedAt.IsZero() {
		return true, nil
	}
	// A subscriber row now means the erased one is gone, so a confirmation
	// of this row came after the kept opt-out.
	return !optOut.IsZero() && !sub.ConfirmedAt.After(optOut), nil
}

// ConfirmSubscription records a clicked confirmation. A pending subscriber
// becomes active; an active or paused one keeps its status; an unsubscribed
// one is refused with an error wrapping steady.ErrConflict (they must sign
// up again). Requested settings are applied and cleared, confirmed_at is
// set if unset, unsubscribed_at is cleared when a pending subscriber (one
// who had unsubscribed and signed up again) becomes active, and the consent is recorded (Action confirmed, At now). If
// the subscriber ends up active, next_slot becomes next(subscriber) with the
// settings applied.
func (db *DB) ConfirmSubscription(ctx context.Context, id int64, consent steady.Consent, now time.Time,
	next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm subscriber %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := confirmSubscription(ctx, tx, id, consent, now, next)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm subscriber %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: confirm subscriber %d: %w", id, err)
	}
	return sub, nil
}

func confirmSubscription(ctx context.Context, tx *tx, id int64, consent steady.Consent, now time.Time,
	next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error) {
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, err
	}
	switch sub.Status {
	case steady.StatusUnsubscribed:
		return steady.Subscriber{}, fmt.Errorf("%w: the subscriber has unsubscribed", steady.ErrConflict)
	case steady.StatusPending:
		sub.Status = steady.StatusActive
		// A confirmed return ends the old unsubscription; when it happened
		// stays in the consent records.
		sub.UnsubscribedAt = time.Time{}
	}
	if sub.RequestedTimeZone != "" {
		sub.TimeZone = sub.RequestedTimeZone
	}
	if sub.RequestedSchedule != nil {
		sub.Schedule = *sub.RequestedSchedule
	}
	sub.RequestedTimeZone, sub.RequestedSchedule = "", nil
	if sub.ConfirmedAt.IsZero() {
		sub.ConfirmedAt = now
	}
	consent.Action, consent.At = steady.ConsentConfirmed, now
	if err := insertConsent(ctx, tx, id, consent); err != nil {
		return steady.Subscriber{}, err
	}
	if err := clearBounces(ctx, tx, id); err != nil {
		return steady.Subscriber{}, err
	}
	if sub.Status == steady.StatusActive {
		if next == nil {
			return steady.Subscriber{}, errors.New("no next-slot function given")
		}
		if sub.NextSlot, err = next(sub); err != nil {
			return steady.Subscriber{}, fmt.Errorf("next slot: %w", err)
		}
	}
	if err := updateSubscriber(ctx, tx, sub); err != nil {
		return steady.Subscriber{}, err
	}
	return getSubscriber(ctx, tx, id)
}

// Unsubscribe withdraws consent. It is idempotent: the subscriber becomes
// unsubscribed (unsubscribed_at now, no next slot, requested settings
// cleared) and the consent is recorded only if the status changed. Their
// queued deliveries are cancelled with last_error "unsubscribed".
func (db *DB) Unsubscribe(ctx context.Context, id int64, consent steady.Consent, now time.Time) (steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: unsubscribe %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := unsubscribe(ctx, tx, id, consent, now)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: unsubscribe %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: unsubscribe %d: %w", id, err)
	}
	return sub, nil
}

func unsubscribe(ctx context.Context, tx *tx, id int64, consent steady.Consent, now time.Time) (steady.Subscriber, error) {
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, err
	}
	if sub.Status != steady.StatusUnsubscribed {
		sub.Status = steady.StatusUnsubscribed
		sub.UnsubscribedAt = now
		sub.NextSlot = time.Time{}
		sub.RequestedTimeZone, sub.RequestedSchedule = "", nil
		if err := updateSubscriber(ctx, tx, sub); err != nil {
			return steady.Subscriber{}, err
		}
		consent.Action, consent.At = steady.ConsentUnsubscribed, now
		if err := insertConsent(ctx, tx, id, consent); err != nil {
			return steady.Subscriber{}, err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'cancelled', last_error = 'unsubscribed', updated_at = ?
		WHERE subscriber_id = ? AND status = 'queued'`, tx.ts(now), id); err != nil {
		return steady.Subscriber{}, fmt.Errorf("cancelling deliveries: %w", err)
	}
	return getSubscriber(ctx, tx, id)
}
