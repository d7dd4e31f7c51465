package admin

import (
	"errors"
	"net/http"

	"github.com/steadyapp/steady"
)

// resume handles POST /admin/subscribers/{id}/resume: a pause ends and
// prompts start again from now; audited.
func (c *Console) resume(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	_, err := c.cfg.Store.Resume(r.Context(), sub.ID, c.cfg.Clock.Now(), nextFrom)
	if errors.Is(err, steady.ErrConflict) {
		c.render(w, r, http.StatusConflict, "message", "Cannot resume", s,
			message{"Cannot resume", "Only an active subscriber can resume; this one is " + string(sub.Status) + ". Nothing was changed."})
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.audit(r.Context(), s.Operator, "resume", target(sub))
	backTo(w, r, sub, "resumed")
}
