package admin

import (
	"net/http"

	"github.com/steadyapp/steady"
)

// unsubscribe handles POST /admin/subscribers/{id}/unsubscribe: nothing
// more is sent (queued deliveries are cancelled) and the withdrawal is
// recorded as a consent by the operator; audited.
func (c *Console) unsubscribe(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	now := c.cfg.Clock.Now()
	_, err := c.cfg.Store.Unsubscribe(r.Context(), sub.ID, steady.Consent{Method: "operator", IP: c.clientIP(r),
		Wording: "Unsubscribed from the operator console by " + s.Operator}, now)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.audit(r.Context(), s.Operator, "unsubscribe", target(sub))
	backTo(w, r, sub, "unsubscribed")
}
