package account

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// Addresses are the sign-up's rules for a new address, so a move is held
// to the same: which channels this deployment sends on, how a typed
// address is read (steady.NormalizeEmail; the phones rules and allowed
// countries), and the abuse limits of a confirmation to it. web.AddressRules
// has them.
type Addresses interface {
	Offers(ch steady.Channel) bool
	Normalize(ch steady.Channel, typed string) (string, error)
	Limits(ch steady.Channel, address string) []store.RateLimit
}

// MoveWording is what the subscriber agrees to when asking to move; it is
// kept with the move's requested consent record.
const MoveWording = "Send my prompts to this new address instead, once I confirm it there."

// Refusals of a new address. None says whose an address is.
const (
	takenWords      = "This address is already signed up, so it cannot be used here. Please choose another."
	stoppedSMSWords = "This number asked to stop texts, so we won't send it anything. Only a START texted from that number can bring texts back."
	stoppedWords    = "This address asked to stop messages, so we won't send it anything. Please choose another."
)

// requestMove handles POST /settings/move: a new email address or phone
// number. The new address gets its own confirmation (store.RequestMove);
// prompts keep coming where they come now until it is confirmed.
func (s *Settings) requestMove(w http.ResponseWriter, r *http.Request) {
	sub, session, ok := s.Auth(w, r)
	if !ok {
		return
	}
	email, phone := strings.TrimSpace(r.PostFormValue("email")), strings.TrimSpace(r.PostFormValue("phone"))
	refuse := func(words string) {
		v := s.viewOf(sub, session)
		v.MoveEmailValue, v.MovePhoneValue = email, phone
		v.Errors = map[string]string{"move": words}
		s.render(w, r, http.StatusUnprocessableEntity, "settings", "Your settings", v)
	}
	if s.addresses == nil {
		s.fail(w, r, http.StatusNotFound, notFoundPage)
		return
	}
	ch, typed := steady.ChannelEmail, email
	switch {
	case email != "" && phone != "":
		refuse("Give a new email address or a new phone number, not both.")
		return
	case phone != "":
		ch, typed = steady.ChannelSMS, phone
	case email == "":
		refuse("Type the new email address or phone number.")
		return
	}
	if !s.addresses.Offers(ch) {
		refuse(fmt.Sprintf("Prompts cannot be sent by %s here.", channelWords(ch)))
		return
	}
	addr, err := s.addresses.Normalize(ch, typed)
	if err != nil {
		refuse(problem(err))
		return
	}
	hash, err := s.hash(ch, addr)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	now := s.clock.Now()
	_, err = s.store.RequestMove(r.Context(), store.MoveRequest{SubscriberID: sub.ID, Channel: ch, Address: addr, AddressHash: hash,
		Consent: steady.Consent{Method: "settings", IP: remoteIP(r), Wording: MoveWording},
		Limits:  s.addresses.Limits(ch, addr), Now: now})
	if err != nil {
		if words, ok := moveRefusal(err, ch); ok {
			refuse(words)
			return
		}
		s.internal(w, r, err)
		return
	}
	if s.wake != nil {
		s.wake()
	}
	s.log.InfoContext(r.Context(), "move requested", "subscriber", sub.ID, "channel", string(ch))
	v := s.viewOf(sub, session)
	v.Moved = fmt.Sprintf("We sent a confirmation to the new %s. Until you confirm it there, prompts keep coming %s.",
		addressWords(ch), channelWords(sub.Channel))
	s.render(w, r, http.StatusOK, "settings", "Your settings", v)
}

// moveRefusal is the page's words for a refused move, if err is one.
func moveRefusal(err error, ch steady.Channel) (string, bool) {
	var inv *steady.ValidationError
	switch {
	case errors.Is(err, store.ErrAddressTaken):
		return takenWords, true
	case errors.Is(err, store.ErrAddressStopped) && ch == steady.ChannelSMS:
		return stoppedSMSWords, true
	case errors.Is(err, store.ErrAddressStopped):
		return stoppedWords, true
	case errors.As(err, &inv):
		return problem(err), true
	}
	if l, ok := store.IsLimited(err); ok {
		return fmt.Sprintf("Too many confirmations were sent just now. Nothing was sent; please try again in %s.", waitWords(l.RetryAfter)), true
	}
	return "", false
}

func (s *Settings) hash(ch steady.Channel, addr string) (string, error) {
	if s.hasher == nil {
		return "", nil
	}
	return s.hasher.HashAddress(ch, addr)
}

func channelWords(ch steady.Channel) string {
	if ch == steady.ChannelSMS {
		return "text message"
	}
	return "email"
}

func addressWords(ch steady.Channel) string {
	if ch == steady.ChannelSMS {
		return "number"
	}
	return "email address"
}

// waitWords is a short wait in words: "a minute", "20 minutes", "3 hours".
func waitWords(d time.Duration) string {
	switch m := int(d.Round(time.Minute).Minutes()); {
	case m <= 1:
		return "a minute"
	case m < 120:
		return fmt.Sprintf("%d minutes", m)
	default:
		return fmt.Sprintf("%d hours", (m+59)/60)
	}
}

// remoteIP is the client's address for the consent record.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
