package admin

import (
	"net/http"
	"strconv"

	"github.com/steadyapp/steady"
)

type repliesData struct {
	Sub     steady.Subscriber
	Replies []steady.Reply
}

// replies handles GET /admin/subscribers/{id}/replies: the subscriber's
// reply bodies, only when the operator setting allows it (where
// subscribers agreed), and each view is audited. Otherwise it says the
// replies are the subscriber's and shows none.
func (c *Console) replies(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	if !c.cfg.ShowReplies {
		c.render(w, r, http.StatusForbidden, "message", "Replies are not shown", s, message{"Replies are not shown",
			"A subscriber's replies are theirs: the console does not show them unless Steady runs with --admin-show-replies (STEADY_ADMIN_SHOW_REPLIES=true), which is only for programmes whose subscribers agreed to it."})
		return
	}
	rs, err := c.cfg.Store.Replies(r.Context(), sub.ID)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.audit(r.Context(), s.Operator, "view replies", target(sub))
	c.render(w, r, http.StatusOK, "replies", "Replies of subscriber "+strconv.FormatInt(sub.ID, 10), s, repliesData{Sub: sub, Replies: rs})
}
