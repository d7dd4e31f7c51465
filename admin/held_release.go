package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady"
)

// heldID reads {id}; ok false: it has answered (404).
func (c *Console) heldID(w http.ResponseWriter, r *http.Request, s session) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		c.notFound(w, r, s)
		return 0, false
	}
	return id, true
}

// release handles POST /admin/held/{id}/release: the message is filed
// again through the inbox processor (Config.Release), say after the
// operator fixed a subscriber's address. Filed, it is no longer held;
// still matching nobody, it stays held as it was. Audited with the
// outcome's fixed phrase.
func (c *Console) release(w http.ResponseWriter, r *http.Request, s session) {
	id, ok := c.heldID(w, r, s)
	if !ok {
		return
	}
	if c.cfg.Release == nil {
		c.render(w, r, http.StatusConflict, "message", "Cannot release", s, message{"Cannot release",
			"Nothing reads inbound mail on this server (no IMAP, inbound SMTP or webhook is set), so a held message cannot be filed again. It can be discarded."})
		return
	}
	ctx := r.Context()
	h, err := c.cfg.Store.HeldMessage(ctx, id)
	if errors.Is(err, steady.ErrNotFound) {
		c.render(w, r, http.StatusNotFound, "message", "No such held message", s, message{"No such held message", "It may have been released, discarded or expired already."})
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	filed, phrase, err := c.cfg.Release(ctx, h.Raw)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	done := "still-held"
	if filed {
		if err := c.cfg.Store.DeleteHeld(ctx, id); err != nil && !errors.Is(err, steady.ErrNotFound) {
			c.internal(w, r, err)
			return
		}
		done = "released"
	}
	c.audit(ctx, s.Operator, "release held mail: "+phrase, "held "+strconv.FormatInt(id, 10))
	http.Redirect(w, r, "/admin/held?done="+done, http.StatusSeeOther)
}
