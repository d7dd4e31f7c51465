package web

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	twclient "github.com/twilio/twilio-go/client"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
)

// SMSStore is what the SMS side needs from the database; *store.DB has it.
// An inbound text is handled inside Atomically, so what it does and the
// record that it was handled commit together.
type SMSStore interface {
	Atomically(ctx context.Context, fn func(ctx context.Context) error) error
	RequestSubscription(ctx context.Context, req store.SubscriptionRequest) (store.SubscriptionResult, error)
	ConfirmSubscription(ctx context.Context, id int64, consent steady.Consent, now time.Time, next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error)
	Rejoin(ctx context.Context, id int64, consent steady.Consent, now time.Time, next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error)
	Unsubscribe(ctx context.Context, id int64, consent steady.Consent, now time.Time) (steady.Subscriber, error)
	SubscriberAndLatestPrompt(ctx context.Context, ch steady.Channel, address string) (steady.Subscriber, store.SentPrompt, error)
	RecordReplyTo(ctx context.Context, r steady.Reply, theme string) (stored steady.Reply, created bool, err error)
	GroupsReplies() bool
	Pause(ctx context.Context, id int64, until, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	Resume(ctx context.Context, id int64, now time.Time, next func(steady.Subscriber, time.Time) (time.Time, error)) (steady.Subscriber, error)
	RecordProviderStatus(ctx context.Context, providerID, status, errorCode string, now time.Time) (steady.Delivery, error)
	RecordInboundEvent(ctx context.Context, sourceID string, now time.Time) (bool, error)
	PendingMoveTo(ctx context.Context, ch steady.Channel, address string) (store.ChannelMove, error)
	ConfirmMove(ctx context.Context, subscriberID int64, requested time.Time, consent steady.Consent, hash string, now time.Time) (steady.Subscriber, error)
}

var _ SMSStore = (*store.DB)(nil)

// SMSConfig turns on the SMS channel: sign-up by phone number and the
// Twilio webhooks POST /twilio/sms and POST /twilio/status.
type SMSConfig struct {
	Store SMSStore
	// AuthToken (TWILIO_AUTH_TOKEN) checks X-Twilio-Signature.
	AuthToken string
	// BaseURL is the public URL Twilio calls (STEADY_BASE_URL); the
	// signature covers BaseURL + the request's path and query.
	BaseURL string
	Phones  phones.Rules
	// HelpText is the operator's help and contact, sent on HELP or INFO,
	// e.g. "Questions? help@example.org".
	HelpText string
	// JoinKeyword is a word that, like START, signs up a number that is not
	// subscribed yet; it is matched as the whole text, normalised as
	// keyword normalises START.
	JoinKeyword string
	// PauseFor is how long PAUSE stops prompts. Default 14 days.
	PauseFor time.Duration
	// ReplyWindow: a text within this long of the latest prompt answers
	// it; later, it is an unprompted reflection. Default 7 days.
	ReplyWindow time.Duration
	// JoinSchedule is the schedule of a number that joins by text. Default
	// daily at 20:00.
	JoinSchedule *steady.Schedule
	// ConfirmText renders the confirmation text exactly as sent, kept in the
	// consent record of a YES. Nil: the record says only what was texted.
	ConfirmText func(steady.Subscriber) (string, error)
}

// maxWebhookBody bounds a webhook's form.
const maxWebhookBody = 64 << 10

// SMSConsentWording is shown next to the subscribe button for a phone
// number; the exact string is stored with the consent record.
func SMSConsentWording(programName string) string {
	return "I agree to receive recurring reflection prompts from " + programName +
		" by text message at this number on the schedule above. Msg & data rates may apply. " +
		"Reply HELP for help, STOP to opt out at any time."
}

func (s *Server) smsOn() bool { return s.sms != nil }

// verifyTwilio parses the form and checks X-Twilio-Signature with
// twilio-go's validator against BaseURL + path. It writes the error answer
// and returns false when the request must be refused.
func (s *Server) verifyTwilio(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxWebhookBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "could not read the form", statusOrBadRequest(err))
		return false
	}
	params := make(map[string]string, len(r.PostForm))
	for k, v := range r.PostForm {
		params[k] = v[0]
	}
	sig := r.Header.Get("X-Twilio-Signature")
	v := twclient.NewRequestValidator(s.sms.AuthToken)
	if sig == "" || !v.Validate(s.sms.BaseURL+r.URL.RequestURI(), params, sig) {
		s.log.WarnContext(r.Context(), "twilio webhook refused: bad or missing signature", "route", r.URL.Path)
		http.Error(w, "forbidden", http.StatusForbidden)
		return false
	}
	return true
}

// twiml answers with TwiML: one message back, or none.
func twiml(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if text == "" {
		b.WriteString("<Response></Response>\n")
	} else {
		b.WriteString("<Response><Message>")
		xml.EscapeText(&b, []byte(text))
		b.WriteString("</Message></Response>\n")
	}
	w.Write([]byte(b.String()))
}

// missing returns the first of names absent from the form.
func missing(r *http.Request, names ...string) string {
	for _, n := range names {
		if _, ok := r.PostForm[n]; !ok || (n != "Body" && r.PostForm.Get(n) == "") {
			return n
		}
	}
	return ""
}

// twilioSMS handles POST /twilio/sms: keywords, sign-ups by text and
// replies, answered with TwiML.
func (s *Server) twilioSMS(w http.ResponseWriter, r *http.Request) {
	if !s.verifyTwilio(w, r) {
		return
	}
	if m := missing(r, "MessageSid", "From", "Body"); m != "" {
		http.Error(w, "missing form field "+m, http.StatusBadRequest)
		return
	}
	// The signature covered the raw values; from here on the text is
	// cleaned (steady.CleanText) as the store would clean it, so "STOP" with
	// a stray NUL is still STOP and the checks below judge what is stored.
	sid, from, body := r.PostForm.Get("MessageSid"), r.PostForm.Get("From"), strings.TrimSpace(steady.CleanText(r.PostForm.Get("Body")))
	if n := utf8.RuneCountInString(body); n > 1600 {
		http.Error(w, fmt.Sprintf("Body is %d characters; an SMS holds at most 1600", n), http.StatusBadRequest)
		return
	}
	if !strings.HasPrefix(from, "+") {
		http.Error(w, "From is not an E.164 number", http.StatusBadRequest)
		return
	}
	// Twilio waits 15 seconds for the answer; stay well inside it.
	ctx, cancel := context.WithTimeout(r.Context(), 8*time.Second)
	defer cancel()
	in := &inboundSMS{sid: sid, from: from, body: body, keyword: keyword(body), now: s.clock.Now()}
	if in.keyword == "" && s.sms.JoinKeyword != "" && sameWords(body, s.sms.JoinKeyword) {
		in.keyword = kwStart
	}
	// One transaction from reading the subscriber to recording what the
	// text did: a failure leaves no trace, not even the MessageSid, so
	// Twilio's retry is handled as the first delivery.
	var answer, what string
	var err error
	handled := false
	if in.keyword == "" && s.sms.Store.GroupsReplies() {
		handled, answer, what, err = s.smsGroupedReply(ctx, in)
	}
	if !handled && err == nil {
		err = s.sms.Store.Atomically(ctx, func(ctx context.Context) error {
			// The subscriber and their latest prompt in one statement: a
			// reply needs both, and a keyword costs only the prompt's index
			// lookup more.
			sub, prompt, err := s.sms.Store.SubscriberAndLatestPrompt(ctx, steady.ChannelSMS, from)
			switch {
			case errors.Is(err, steady.ErrNotFound):
				in.sub = nil
			case err != nil:
				return err
			default:
				in.sub, in.prompt = &sub, prompt
			}
			answer, what, err = s.handleSMS(ctx, in)
			return err
		})
	}
	if limit, ok := store.IsLimited(err); ok {
		// A join over an abuse limit: everything rolled back, and no text
		// goes back either (answering would be the pumping itself).
		s.afterSignup(ctx, err)
		s.log.InfoContext(ctx, "sms received", "what", "join refused ("+limit.Scope+" limit)", "from", phones.Mask(from))
		twiml(w, "")
		return
	}
	if err != nil {
		s.smsFail(w, r, err)
		return
	}
	s.countSMS(in)
	// Only now is the confirmation visible to the dispatcher.
	if in.confirmQueued {
		s.afterSignup(ctx, nil)
		if s.wake != nil {
			s.wake()
		}
	}
	attrs := []any{"what", what, "from", phones.Mask(from)}
	if in.sub != nil {
		attrs = append(attrs, "subscriber", in.sub.ID)
	}
	s.log.InfoContext(ctx, "sms received", attrs...)
	twiml(w, answer)
}

// smsGroupedReply handles a text that is not a keyword from an active
// subscriber where the store groups replies (PostgreSQL): the subscriber is
// read on its own and the reply recorded by RecordReplyTo outside
// Atomically, so it shares its commit with the replies arriving at the same
// time. That is what the one transaction does there too: under READ
// COMMITTED the read locks nothing and the insert checks the subscriber and
// the prompt itself; a failure still leaves no trace. Any other text is not
// handled (handled false) and goes through the one transaction.
func (s *Server) smsGroupedReply(ctx context.Context, in *inboundSMS) (handled bool, answer, what string, err error) {
	sub, prompt, err := s.sms.Store.SubscriberAndLatestPrompt(ctx, steady.ChannelSMS, in.from)
	switch {
	case errors.Is(err, steady.ErrNotFound):
		return false, "", "", nil
	case err != nil:
		return true, "", "", err
	case sub.Status != steady.StatusActive:
		return false, "", "", nil
	}
	in.sub, in.prompt = &sub, prompt
	answer, what, err = s.smsReply(ctx, in)
	return true, answer, what, err
}

// smsFail answers a webhook that could not be handled. A 5xx makes Twilio
// log the failure; nothing was stored (twilioSMS handles a text in one
// transaction).
func (s *Server) smsFail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "twilio webhook", "error", err)
		http.Error(w, "internal error", status)
		return
	}
	http.Error(w, err.Error(), status)
}

type inboundSMS struct {
	sid, from, body string
	// keyword is what keyword(body) read the text as (the join keyword
	// reads as START), or "" for a reply.
	keyword string
	sub     *steady.Subscriber
	// prompt is the latest prompt sent to sub (zero if none).
	prompt store.SentPrompt
	now    time.Time
	// confirmQueued: handling the text queued a confirmation, so the
	// dispatcher is woken once the transaction commits.
	confirmQueued bool
	// signedUp, confirmed and replied say what the text did, counted in
	// the metrics once the transaction commits.
	signedUp, confirmed, replied bool
}

// handleSMS decides what an incoming text does and what to answer. what
// names the action for the log.
func (s *Server) handleSMS(ctx context.Context, in *inboundSMS) (answer, what string, err error) {
	kw := in.keyword
	if kw == "" {
		return s.smsReply(ctx, in)
	}
	// A keyword's effect happens once per MessageSid: the event commits
	// with the effect (twilioSMS's transaction), or neither does.
	fresh, err := s.sms.Store.RecordInboundEvent(ctx, "twilio:"+in.sid, in.now)
	if err != nil {
		return "", "", err
	}
	if !fresh {
		return "", "replayed keyword", nil
	}
	sub := in.sub
	switch {
	case kw == kwStop:
		if sub == nil || sub.Status == steady.StatusUnsubscribed {
			return "", "stop (not subscribed)", nil
		}
		if _, err := s.sms.Store.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "sms", Wording: fmt.Sprintf("Texted %q", consentQuote(in.body))}, in.now); err != nil {
			return "", "", err
		}
		return s.program + ": you are unsubscribed and will get no more messages. Reply START to join again. Take care.", "stop", nil
	case kw == kwHelp:
		return s.smsHelp(sub), "help", nil
	case kw == kwPause:
		if sub == nil || sub.Status != steady.StatusActive {
			return s.smsHelp(sub), "pause (not active)", nil
		}
		until := in.now.Add(cmp.Or(s.sms.PauseFor, 14*24*time.Hour))
		if _, err := s.sms.Store.Pause(ctx, sub.ID, until, in.now, nextFrom); err != nil {
			return "", "", err
		}
		loc, _ := sub.Location()
		return fmt.Sprintf("%s: paused until %s. Reply RESUME to start again sooner, STOP to opt out.",
			s.program, until.In(loc).Format("Mon 2 Jan")), "pause", nil
	case kw == kwResume:
		if sub == nil || sub.Status != steady.StatusActive {
			return s.smsHelp(sub), "resume (not active)", nil
		}
		if _, err := s.sms.Store.Resume(ctx, sub.ID, in.now, nextFrom); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("%s: prompts start again, %s.", s.program, sub.Schedule.Describe()), "resume", nil
	case kw == kwSettings:
		if sub == nil || sub.Status != steady.StatusActive {
			return s.smsHelp(sub), "settings (not active)", nil
		}
		return fmt.Sprintf("%s: change your time, pause or other settings here (the link works for %d days): %s",
			s.program, links.SettingsTTL/(24*time.Hour), s.links.SettingsURL(*sub)), "settings", nil
	}
	if kw == kwYes && sub == nil {
		// A YES from a number a subscriber asked to move to confirms it.
		if answer, what, ok, err := s.smsMove(ctx, in); ok || err != nil {
			return answer, what, err
		}
	}
	// START (or the join keyword), UNSTOP or YES.
	switch {
	case sub == nil:
		if kw == kwYes || kw == kwUnstop {
			return s.joinHint(ctx, in)
		}
		return s.smsJoin(ctx, in)
	case sub.Status == steady.StatusPending:
		return s.smsConfirm(ctx, in, *sub)
	case sub.Status == steady.StatusUnsubscribed:
		// Back after STOP: texting START from the number is itself the
		// owner's explicit opt-in (the carriers' rule), so it rejoins at
		// once on the old schedule, with one confirmation text.
		consent := steady.Consent{Method: "sms", Wording: fmt.Sprintf("Texted %q to join again", in.body)}
		got, err := s.sms.Store.Rejoin(ctx, sub.ID, consent, in.now, func(sub steady.Subscriber) (time.Time, error) {
			return nextFrom(sub, in.now)
		})
		if err != nil {
			return "", "", err
		}
		return fmt.Sprintf("%s: welcome back. Prompts come %s (%s). Msg & data rates may apply. Reply HELP for help, STOP to opt out.",
			s.program, got.Schedule.Describe(), got.TimeZone), "rejoin", nil
	default:
		return fmt.Sprintf("%s: you are already subscribed, %s. Reply HELP for help, STOP to opt out.",
			s.program, sub.Schedule.Describe()), "start (already active)", nil
	}
}

func nextFrom(sub steady.Subscriber, from time.Time) (time.Time, error) {
	loc, err := sub.Location()
	if err != nil {
		return time.Time{}, err
	}
	return sub.Schedule.Next(from, loc), nil
}

// consentQuote is what a consent record keeps of the text that opted out:
// enough to show the request, never a whole reflection that began with
// "Stop" (the record outlives the replies).
func consentQuote(body string) string {
	const max = 40
	if utf8.RuneCountInString(body) <= max {
		return body
	}
	r := []rune(body)
	return strings.TrimSpace(string(r[:max])) + "…"
}

// smsHelp is the answer to HELP: what the programme is, the carriers'
// required sentences, then the operator's help text last, so it never runs
// into a sentence of ours whatever punctuation it ends with. A discreet
// subscriber's answer says nothing about relationships: whoever holds the
// phone may read it.
func (s *Server) smsHelp(sub *steady.Subscriber) string {
	what := "reflection prompts about your relationship, by text"
	if sub == nil || sub.Discreet {
		// A number we do not know is answered neutrally too: it may be
		// anyone's phone.
		what = "check-ins by text"
	}
	help := s.program + ": " + what + ". Msg & data rates may apply. Reply PAUSE to take a break, STOP to opt out."
	if t := strings.TrimSpace(s.sms.HelpText); t != "" {
		help += " " + t
	}
	return help
}

// smsConfirm activates a pending subscriber who replied YES or START.
func (s *Server) smsConfirm(ctx context.Context, in *inboundSMS, sub steady.Subscriber) (string, string, error) {
	wording := fmt.Sprintf("Replied %q by SMS", in.body)
	if s.sms.ConfirmText != nil {
		if text, err := s.sms.ConfirmText(sub); err == nil {
			wording += " to: " + strings.TrimSpace(text)
		}
	}
	consent := steady.Consent{Method: "sms", Wording: wording}
	got, err := s.sms.Store.ConfirmSubscription(ctx, sub.ID, consent, in.now, func(sub steady.Subscriber) (time.Time, error) {
		return nextFrom(sub, in.now)
	})
	if err != nil {
		return "", "", err
	}
	in.confirmed = true
	return fmt.Sprintf("%s: you're subscribed. Prompts come %s (%s). Text SETTINGS for a link to change your time or pause. Reply HELP for help, STOP to opt out.",
		s.program, got.Schedule.Describe(), got.TimeZone), "confirm", nil
}

// smsJoin starts the double opt-in for a number that texted START (or the
// join keyword) without a subscription.
func (s *Server) smsJoin(ctx context.Context, in *inboundSMS) (string, string, error) {
	if _, err := s.normalizePhone(in.from); refusedCountry(err) {
		// Not a country texts go to: nothing goes back to it either.
		return "", "join (country not allowed)", nil
	} else if err != nil {
		return s.program + ": sorry, text messages are not available for this number.", "join (number not allowed)", nil
	}
	tz, ok := phones.TimeZone(in.from)
	if !ok {
		return s.program + ": to join, reply with your time zone: Eastern, Central, Mountain, Pacific, or a name like Europe/London. " +
			"Or sign up at " + s.sms.BaseURL + "/", "join (time zone asked)", nil
	}
	return s.smsJoinIn(ctx, in, tz)
}

// smsJoinIn records the sign-up of a new number in zone tz.
func (s *Server) smsJoinIn(ctx context.Context, in *inboundSMS, tz string) (string, string, error) {
	sched := steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20}
	if s.sms.JoinSchedule != nil {
		sched = *s.sms.JoinSchedule
	}
	res, err := s.requestSMS(ctx, in, tz, sched)
	if err != nil {
		return "", "", err
	}
	if !res.ConfirmQueued {
		return s.smsConfirmPending(), "join requested (confirmation sent recently)", nil
	}
	return "", "join requested", nil
}

// smsConfirmPending answers a START when no new confirmation was queued
// because one went out less than resendAfter ago.
func (s *Server) smsConfirmPending() string {
	return s.program + ": we sent you a text a few minutes ago. Reply YES to it to start, or STOP to opt out."
}

// zoneWords are the answers to "reply with your time zone" that are not
// IANA names.
var zoneWords = map[string]string{
	"EASTERN": "America/New_York", "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
	"CENTRAL": "America/Chicago", "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
	"MOUNTAIN": "America/Denver", "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
	"PACIFIC": "America/Los_Angeles", "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
	"ARIZONA": "America/Phoenix", "ALASKA": "America/Anchorage", "HAWAII": "Pacific/Honolulu",
	"ATLANTIC": "America/Halifax", "NEWFOUNDLAND": "America/St_Johns",
}

// zoneAnswer reads a texted time zone: a word from zoneWords or an IANA
// name such as Europe/London (any case).
func zoneAnswer(body string) (string, bool) {
	if z, ok := zoneWords[strings.ToUpper(body)]; ok {
		return z, true
	}
	if !strings.Contains(body, "/") || strings.ContainsAny(body, " .") {
		return "", false
	}
	for _, try := range []string{body, titleZone(body)} {
		if _, err := steady.LoadLocation(try); err == nil {
			return try, true
		}
	}
	return "", false
}

// titleZone capitalises each part of a zone name: "america/new_york" →
// "America/New_York".
func titleZone(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}

// requestSMS records a sign-up by text; the confirmation text is queued
// (twilioSMS wakes the dispatcher after the commit).
func (s *Server) requestSMS(ctx context.Context, in *inboundSMS, tz string, sched steady.Schedule) (store.SubscriptionResult, error) {
	res, err := s.sms.Store.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelSMS, Address: in.from, TimeZone: tz, Schedule: sched,
		Consent:     steady.Consent{Method: "sms", Wording: fmt.Sprintf("Texted %q to the programme number", in.body)},
		Now:         in.now,
		ResendAfter: resendAfter,
		Limits:      s.signupLimits(steady.ChannelSMS, in.from, ""),
		// Texted from the number itself: the owner's own opt-in, which
		// even an erased subscriber's kept opt-out does not hold back.
		FromOwner: true,
		// Texts are discreet by default (a lock screen shows them).
		Discreet: discreetByDefault(steady.ChannelSMS),
	})
	if err != nil {
		return res, fmt.Errorf("web: sms sign-up: %w", err)
	}
	in.confirmQueued = res.ConfirmQueued
	in.signedUp = true
	return res, nil
}

// joinHint answers a number that is not subscribed, once: it is
// remembered only as a keyed hash, never as the number.
func (s *Server) joinHint(ctx context.Context, in *inboundSMS) (string, string, error) {
	mac := hmac.New(sha256.New, []byte(s.sms.AuthToken))
	mac.Write([]byte(in.from))
	first, err := s.sms.Store.RecordInboundEvent(ctx, "join-hint:"+hex.EncodeToString(mac.Sum(nil))[:32], in.now)
	if err != nil {
		return "", "", err
	}
	if !first {
		return "", "not subscribed (already told how to join)", nil
	}
	return fmt.Sprintf("%s: this number is not subscribed. To join, text START or visit %s/", s.program, s.sms.BaseURL),
		"not subscribed", nil
}

// smsReply takes a text that is not a keyword through the one reply path.
func (s *Server) smsReply(ctx context.Context, in *inboundSMS) (string, string, error) {
	sub := in.sub
	switch {
	case sub == nil:
		// The answer to "reply with your time zone" after START.
		if tz, ok := zoneAnswer(in.body); ok {
			if _, err := s.normalizePhone(in.from); refusedCountry(err) {
				return "", "join (country not allowed)", nil
			} else if err != nil {
				return s.joinHint(ctx, in)
			}
			return s.smsJoinIn(ctx, in, tz)
		}
		return s.joinHint(ctx, in)
	case sub.Status == steady.StatusUnsubscribed:
		return s.joinHint(ctx, in)
	case sub.Status == steady.StatusPending:
		return s.program + ": reply YES to confirm your sign-up, HELP for help, STOP to opt out.", "text while pending", nil
	}
	if in.body == "" {
		return "", "empty text", nil
	}
	r := steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelSMS, Body: in.body, ReceivedAt: in.now, SourceID: "twilio:" + in.sid}
	window := cmp.Or(s.sms.ReplyWindow, 7*24*time.Hour)
	if p := in.prompt; p.ID != 0 && !p.SentAt.IsZero() && in.now.Sub(p.SentAt) <= window {
		r.DeliveryID = p.ID
	}
	_, created, err := s.sms.Store.RecordReplyTo(ctx, r, in.prompt.Theme)
	if err != nil {
		return "", "", err
	}
	if !created {
		return "", "replayed reply", nil
	}
	in.replied = true
	if r.DeliveryID != 0 {
		return "", "reply", nil
	}
	return "", "unprompted reflection", nil
}

// twilioStatus handles POST /twilio/status, Twilio's delivery report.
func (s *Server) twilioStatus(w http.ResponseWriter, r *http.Request) {
	if !s.verifyTwilio(w, r) {
		return
	}
	if m := missing(r, "MessageSid", "MessageStatus"); m != "" {
		http.Error(w, "missing form field "+m, http.StatusBadRequest)
		return
	}
	f := r.PostForm
	d, err := s.sms.Store.RecordProviderStatus(r.Context(), f.Get("MessageSid"), f.Get("MessageStatus"), f.Get("ErrorCode"), s.clock.Now())
	switch {
	case errors.Is(err, steady.ErrNotFound):
		// Not one of ours (or erased since): nothing to do, and nothing for
		// Twilio to retry.
		s.log.InfoContext(r.Context(), "twilio status for an unknown message", "status", f.Get("MessageStatus"))
		w.WriteHeader(http.StatusNoContent)
		return
	case err != nil:
		s.smsFail(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "twilio status", "delivery_id", d.ID, "status", d.ProviderStatus, "error_code", d.ProviderError)
	w.WriteHeader(http.StatusNoContent)
}
