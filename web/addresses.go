package web

import (
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// AddressRules are the sign-up's rules for a new address, for a move from
// the settings page (account.Addresses): the same channels, the same
// reading of a typed address (steady.NormalizeEmail; the SMS phone rules
// and allowed countries) and the same per-address and hourly/daily limits
// (without the per-IP one, which is the sign-up form's).
type AddressRules struct{ s *Server }

// NewAddressRules returns the rules of a server built from cfg's SMS,
// SMSOnly and Limits.
func NewAddressRules(cfg Config) *AddressRules {
	return &AddressRules{s: &Server{sms: cfg.SMS, smsOnly: cfg.SMSOnly, limits: cfg.Limits}}
}

// Offers reports whether prompts can be sent on ch here.
func (a *AddressRules) Offers(ch steady.Channel) bool {
	switch ch {
	case steady.ChannelSMS:
		return a.s.smsOn()
	case steady.ChannelEmail:
		return !a.s.smsOnly
	}
	return false
}

// Normalize reads a typed address for ch as sign-up does.
func (a *AddressRules) Normalize(ch steady.Channel, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	if ch == steady.ChannelSMS {
		return a.s.normalizePhone(typed)
	}
	return steady.NormalizeEmail(typed)
}

// Limits are the abuse limits of a confirmation to address on ch.
func (a *AddressRules) Limits(ch steady.Channel, address string) []store.RateLimit {
	return a.s.signupLimits(ch, address, "")
}
