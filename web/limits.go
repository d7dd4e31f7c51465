package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
)

// LimitStore is what the abuse limits need beyond the sign-up itself,
// which takes the counters in its own transaction; *store.DB has it.
type LimitStore interface {
	CountRefusal(ctx context.Context, scope string, w time.Duration, now time.Time) (int, error)
	PruneRateCounters(ctx context.Context, now time.Time) (int64, error)
}

var _ LimitStore = (*store.DB)(nil)

// Limits turns on the sign-up abuse limits on every sign-up path: the
// form, the API and text-to-join. Counters are kept in the database under
// keyed hashes (Keyer), so they hold across workers and name nobody.
type Limits struct {
	Store  LimitStore
	Keyer  abuse.Keyer
	Policy abuse.Policy
}

// signupLimits are the counters a sign-up on ch for addr from ip (""
// for text-to-join, which has no client IP of its own) must stay under.
// They are taken in this order by every path, so concurrent sign-ups
// lock counters in the same order.
func (s *Server) signupLimits(ch steady.Channel, addr, ip string) []store.RateLimit {
	if s.limits == nil {
		return nil
	}
	p, k := s.limits.Policy, s.limits.Keyer
	var out []store.RateLimit
	if ip != "" {
		out = append(out, store.RateLimit{Scope: abuse.ScopeIP, Key: k.Hash(abuse.ScopeIP, abuse.ClientNet(ip)), Window: abuse.Hour, Max: p.PerIP})
	}
	if ch == steady.ChannelSMS {
		return append(out,
			store.RateLimit{Scope: abuse.ScopePhone, Key: k.Hash(abuse.ScopePhone, addr), Window: abuse.Day, Max: p.PerPhone, OnConfirm: true},
			store.RateLimit{Scope: abuse.ScopeSMSHour, Window: abuse.Hour, Max: p.SMSHour, OnConfirm: true},
			store.RateLimit{Scope: abuse.ScopeSMSDay, Window: abuse.Day, Max: p.SMSDay, OnConfirm: true},
		)
	}
	return append(out,
		store.RateLimit{Scope: abuse.ScopeMailbox, Key: k.Hash(abuse.ScopeMailbox, abuse.Mailbox(addr)), Window: abuse.Day, Max: p.PerMailbox, OnConfirm: true},
		store.RateLimit{Scope: abuse.ScopeEmailHour, Window: abuse.Hour, Max: p.EmailHour, OnConfirm: true},
	)
}

// windowOf is the window length of a scope, for counting its refusals.
func windowOf(scope string) time.Duration {
	switch scope {
	case abuse.ScopeMailbox, abuse.ScopePhone, abuse.ScopeSMSDay:
		return abuse.Day
	}
	return abuse.Hour
}

// afterSignup runs once a sign-up's transaction is over: a refusal is
// counted (and the first refusal by the daily SMS cap in a day is told
// to the operator, once across all workers); expired counters are pruned.
// Neither changes the answer: their failures are only logged.
func (s *Server) afterSignup(ctx context.Context, err error) {
	if s.limits == nil {
		return
	}
	now := s.clock.Now()
	if l, ok := store.IsLimited(err); ok {
		s.metrics.RateLimited(l.Scope)
		s.log.InfoContext(ctx, "sign-up refused by an abuse limit", "limit", l.Scope)
		n, err := s.limits.Store.CountRefusal(ctx, l.Scope, windowOf(l.Scope), now)
		switch {
		case err != nil:
			s.log.WarnContext(ctx, "counting a refused sign-up", "err", err)
		case n == 1 && l.Scope == abuse.ScopeSMSDay:
			s.log.WarnContext(ctx, "the daily SMS sign-up cap is reached: no more sign-up texts are sent until midnight UTC; prompts to subscribers go on (see --sms-daily-cap)")
		}
		return
	}
	if _, err := s.limits.Store.PruneRateCounters(ctx, now); err != nil {
		s.log.WarnContext(ctx, "pruning rate-limit counters", "err", err)
	}
}

// limitWords is the kind, plain sentence a refused sign-up is answered
// with.
func limitWords(l *store.LimitError) string {
	wait := waitWords(l.RetryAfter)
	switch l.Scope {
	case abuse.ScopeIP:
		return "Too many sign-ups from here just now. Please try again in " + wait + "."
	case abuse.ScopeMailbox:
		return "Too many sign-ups for this email address just now. Please try again in " + wait + "."
	case abuse.ScopePhone:
		return "Too many sign-ups for this phone number just now. Please try again in " + wait + "."
	case abuse.ScopeSMSDay:
		return "Sign-up by text message is closed for today. Please try again in " + wait + "."
	}
	return "We are getting a lot of sign-ups just now. Please try again in " + wait + "."
}

// waitWords says a wait in whole minutes, or hours when it is long.
func waitWords(d time.Duration) string {
	min := int(math.Ceil(d.Minutes()))
	switch {
	case min <= 1:
		return "a minute"
	case min < 120:
		return strconv.Itoa(min) + " minutes"
	}
	return fmt.Sprintf("about %d hours", int(math.Round(d.Hours())))
}

// retryAfter sets Retry-After: whole seconds until the window frees.
func retryAfter(w http.ResponseWriter, l *store.LimitError) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(l.RetryAfter.Seconds())))))
}

// limitedForm answers a form sign-up refused by a limit: 429, the form
// again with everything typed kept and the sentence above it.
func (s *Server) limitedForm(w http.ResponseWriter, r *http.Request, l *store.LimitError, d subscribeData) {
	retryAfter(w, l)
	d.Notice = limitWords(l)
	s.render(w, r, http.StatusTooManyRequests, "subscribe", "Please try again later", d)
}

// limitedJSON answers an API sign-up refused by a limit: 429 in the API's
// error shape.
func limitedJSON(w http.ResponseWriter, l *store.LimitError) {
	retryAfter(w, l)
	writeJSON(w, http.StatusTooManyRequests, jsonError{Error: limitWords(l)})
}

// countryError is a phone number from a country outside --sms-countries:
// a mistake in the input (its ValidationError names the field) answered
// with 422, since the number itself is fine.
type countryError struct{ err error }

func (e countryError) Error() string { return e.err.Error() }
func (e countryError) Unwrap() error { return e.err }

// refusedCountry reports whether err is, or holds, a countryError.
func refusedCountry(err error) bool {
	var c countryError
	return errors.As(err, &c)
}

// normalizePhone reads a typed number with the SMS rules and refuses one
// from a country that may not sign up with a countryError, so the caller
// can tell it from a typing mistake.
func (s *Server) normalizePhone(typed string) (string, error) {
	open := s.sms.Phones
	open.Countries = nil
	e164, err := open.Normalize(typed)
	if err != nil {
		return "", err
	}
	if allowed := s.sms.Phones.Countries; len(allowed) > 0 && !slices.Contains(allowed, phones.Country(e164)) {
		return "", countryError{steady.Invalid("phone", "text messages can only be sent to numbers in %s, so this number cannot sign up",
			countryNames(allowed))}
	}
	return e164, nil
}

// countryNames lists allowed countries in words where we have them.
func countryNames(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c
		if n, ok := regionNames[c]; ok {
			names[i] = n
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
