package admin

import (
	"net/http"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// resendAfter: the console queues no new confirmation while one sent
// less than this long ago stands (store's resendDue: one that failed or
// was cancelled does not count).
const resendAfter = time.Hour

// resend handles POST /admin/subscribers/{id}/resend: a pending
// subscriber is sent a new confirmation, through the sign-up's own path
// (store.RequestSubscription with their address, zone and schedule), so
// its rules hold: an address that asked to stop gets texts back only from
// its owner, and a recent confirmation is not doubled. Audited.
func (c *Console) resend(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	if sub.Status != steady.StatusPending {
		c.render(w, r, http.StatusConflict, "message", "Nothing to resend", s,
			message{"Nothing to resend", "Only a subscriber who has not confirmed yet is sent a confirmation; this one is " + string(sub.Status) + ". Nothing was changed."})
		return
	}
	hash, err := c.cfg.Hasher.HashAddress(sub.Channel, sub.Address)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	now := c.cfg.Clock.Now()
	res, err := c.cfg.Store.RequestSubscription(r.Context(), store.SubscriptionRequest{
		Channel: sub.Channel, Address: sub.Address, TimeZone: sub.TimeZone, Schedule: sub.Schedule,
		Consent: steady.Consent{Method: "operator", Wording: "Confirmation resent from the operator console by " + s.Operator},
		Now:     now, ResendAfter: resendAfter, AddressHash: hash, Discreet: sub.Discreet,
	})
	if err != nil {
		c.internal(w, r, err)
		return
	}
	done := "resend-later"
	switch {
	case res.HeldBack:
		done = "resend-held"
	case res.ConfirmQueued:
		done = "resent"
		c.wake()
	}
	c.audit(r.Context(), s.Operator, "resend confirmation ("+done+")", target(sub))
	backTo(w, r, sub, done)
}
