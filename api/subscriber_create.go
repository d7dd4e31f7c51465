package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/zones"
)

// maxConsentText bounds consent_text, in characters, as the sign-up API does.
const maxConsentText = 2000

// resendAfter: asking again for the same address queues a new
// confirmation at most this often, as sign-up does.
const resendAfter = 10 * time.Minute

// ConsentPrefix starts the consent wording kept for a subscriber created
// here, before the caller's own words; the record's method is api:KEY.
const ConsentPrefix = "As shown by the requesting site (JSON API): "

// createInput is POST /api/v1/subscribers: sign-up's fields, and the
// wording the caller's own page showed the person, which is required.
type createInput struct {
	Email       string   `json:"email"`
	Phone       string   `json:"phone"`
	TimeZone    string   `json:"timezone"`
	Cadence     string   `json:"cadence"`
	Days        []string `json:"days"`
	Every       int      `json:"every"`
	Time        string   `json:"time"`
	ConsentText string   `json:"consent_text"`
	// Discreet: nil is the channel's default (on for texts).
	Discreet *bool `json:"discreet"`
	// Confirmed, with ConsentedAt (when the person agreed, on the
	// caller's site), creates the subscriber active at once, with that
	// consent recorded as their confirmation (subscriber_confirmed.go).
	Confirmed   bool    `json:"confirmed"`
	ConsentedAt *string `json:"consented_at"`
}

// created is the answer to a create.
type created struct {
	Subscriber subscriberView `json:"subscriber"`
	// Created: a new subscriber; false when the address was known (a
	// pending one is asked again; an active one keeps its settings until
	// it confirms the new ones).
	Created bool `json:"created"`
	// ConfirmationQueued: a confirmation is on its way; false when one
	// was sent less than ten minutes ago (or, to an address that asked to
	// stop, less than 30 days ago).
	ConfirmationQueued bool `json:"confirmation_queued"`
}

// createSubscriber handles POST /api/v1/subscribers: sign-up on the
// person's behalf by the operator's own site, with the words it showed
// them. By default it is double opt-in: the subscriber is pending, a
// confirmation is queued, and nothing else is sent until they confirm it.
// With confirmed and consented_at the caller vouches that the person
// already agreed (createConfirmed). The address, time zone and schedule
// are read by sign-up's rules and limits.
func (a *API) createSubscriber(w http.ResponseWriter, r *http.Request) {
	var in createInput
	if err := readJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.clock.Now()
	consentedAt, err := consentTime(in, now)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ch, addr, err := a.address(in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	text, err := consentText(in.ConsentText)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	tz, loc, err := resolveZone(in.TimeZone)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	sched, err := steady.NewSchedule(in.Cadence, in.Days, in.Every, in.Time, now.In(loc))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	discreet := ch == steady.ChannelSMS // a lock screen shows texts to whoever holds the phone
	if in.Discreet != nil {
		discreet = *in.Discreet
	}
	hash, err := a.hasher.HashAddress(ch, addr)
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: create subscriber: %w", err))
		return
	}
	ctx := r.Context()
	if in.Confirmed {
		a.createConfirmed(w, r, store.ImportRow{
			Channel: ch, Address: addr, TimeZone: tz, Schedule: sched, AddressHash: hash, Discreet: discreet,
			Consent:  steady.Consent{Method: keyMethod(r), At: consentedAt, Wording: ConfirmedPrefix + text},
			NextSlot: sched.Next(now, loc),
		}, now)
		return
	}
	res, err := a.store.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel:     ch,
		Address:     addr,
		TimeZone:    tz,
		Schedule:    sched,
		Consent:     steady.Consent{Method: keyMethod(r), Wording: ConsentPrefix + text},
		Now:         now,
		ResendAfter: resendAfter,
		Limits:      a.addresses.Limits(ch, addr),
		AddressHash: hash,
		Discreet:    discreet,
	})
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: create subscriber: %w", err))
		return
	}
	a.counted(ch, false)
	if res.HeldBack {
		a.fail(w, r, conflict("this number asked to stop (it texted STOP, or was erased after unsubscribing): only a START texted from it brings texts back; nothing was stored"))
		return
	}
	if res.ConfirmQueued && a.wake != nil {
		a.wake()
	}
	action := "create (pending, confirmation queued)"
	switch {
	case !res.Created && res.ConfirmQueued:
		action = "sign up again (confirmation queued)"
	case !res.Created:
		action = "sign up again (no new confirmation: one went recently)"
	}
	a.record(ctx, action, subscriberTarget(res.Subscriber.ID), slog.String("channel", string(ch)))
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
		w.Header().Set("Location", fmt.Sprintf("/api/v1/subscribers/%d", res.Subscriber.ID))
	}
	writeJSON(w, status, created{Subscriber: viewSubscriber(res.Subscriber), Created: res.Created, ConfirmationQueued: res.ConfirmQueued})
}

// address picks the channel from what was sent, as sign-up does: an email
// address or a phone number, exactly one, on a channel this server offers.
func (a *API) address(in createInput) (steady.Channel, string, error) {
	email, phone := strings.TrimSpace(in.Email), strings.TrimSpace(in.Phone)
	var ch steady.Channel
	field := "email"
	switch {
	case email != "" && phone != "":
		return "", "", invalid("phone", "give an email address or a phone number, not both")
	case email != "":
		ch = steady.ChannelEmail
	case phone != "":
		ch, field = steady.ChannelSMS, "phone"
	default:
		return "", "", invalid("email", "an email address (email) or a phone number (phone) is required")
	}
	if !a.addresses.Offers(ch) {
		if ch == steady.ChannelSMS {
			return "", "", invalid(field, "prompts by text message are not offered here (Twilio is not configured); use an email address")
		}
		return "", "", invalid(field, "prompts by email are not offered here (no SMTP server is configured); use a phone number")
	}
	addr, err := a.addresses.Normalize(ch, email+phone)
	if err != nil {
		return "", "", err
	}
	return ch, addr, nil
}

// consentText is the caller's wording, trimmed: required, at most
// maxConsentText characters, no control characters but newlines and
// tabs. The consent record keeps it after ConsentPrefix (or
// ConfirmedPrefix).
func consentText(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", invalid("consent_text", "consent_text is required: the exact words your page showed the person next to its button, kept in their consent record")
	case !utf8.ValidString(text):
		return "", invalid("consent_text", "consent_text is not valid UTF-8")
	case utf8.RuneCountInString(text) > maxConsentText:
		return "", invalid("consent_text", fmt.Sprintf("consent_text is longer than %d characters", maxConsentText))
	case strings.ContainsFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		return "", invalid("consent_text", "consent_text has control characters")
	}
	return text, nil
}

// resolveZone reads a time zone as sign-up does (zones.Resolve: an IANA
// name in any case, a city, or an alias such as "Eastern").
func resolveZone(typed string) (string, *time.Location, error) {
	name, err := zones.Resolve(typed)
	if err != nil {
		return "", nil, invalid("timezone", err.Error())
	}
	loc, err := steady.LoadLocation(name)
	var v *steady.ValidationError
	if errors.As(err, &v) {
		return "", nil, invalid("timezone", v.Message)
	}
	return name, loc, err
}
