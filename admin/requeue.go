package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady"
)

// requeue handles POST /admin/deliveries/{id}/requeue: a failed delivery,
// or an unknown one on a channel safe to resend, is queued again, due now
// (store.RequeueDelivery refuses anything else), and the sender woken;
// audited.
func (c *Console) requeue(w http.ResponseWriter, r *http.Request, s session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		c.notFound(w, r, s)
		return
	}
	_, err = c.cfg.Store.RequeueDelivery(r.Context(), id, c.cfg.Clock.Now())
	switch {
	case errors.Is(err, steady.ErrNotFound):
		c.render(w, r, http.StatusNotFound, "message", "No such delivery", s, message{"No such delivery", "There is no delivery " + strconv.FormatInt(id, 10) + "."})
		return
	case errors.Is(err, steady.ErrConflict):
		c.render(w, r, http.StatusConflict, "message", "Not sent again", s, message{"Not sent again",
			"This delivery cannot be sent again: it is not failed, or its outcome is unknown on a channel where a second copy could reach the person twice, or its subscriber no longer receives prompts. Nothing was changed."})
		return
	case err != nil:
		c.internal(w, r, err)
		return
	}
	c.audit(r.Context(), s.Operator, "send again", "delivery "+strconv.FormatInt(id, 10))
	c.wake()
	http.Redirect(w, r, "/admin/deliveries?done=requeued", http.StatusSeeOther)
}
