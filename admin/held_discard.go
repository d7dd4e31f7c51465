package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady"
)

// discard handles POST /admin/held/{id}/discard: the held message is
// deleted (and, on SQLite, checkpointed out of the write-ahead log);
// audited.
func (c *Console) discard(w http.ResponseWriter, r *http.Request, s session) {
	id, ok := c.heldID(w, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	err := c.cfg.Store.DeleteHeld(ctx, id)
	if err != nil && !errors.Is(err, steady.ErrNotFound) {
		c.internal(w, r, err)
		return
	}
	if c.cfg.Store.Dialect() == "sqlite" {
		if err := c.cfg.Store.Checkpoint(ctx); err != nil {
			c.log.WarnContext(ctx, "admin: checkpoint after discarding held mail", "err", err)
		}
	}
	c.audit(ctx, s.Operator, "discard held mail", "held "+strconv.FormatInt(id, 10))
	http.Redirect(w, r, "/admin/held?done=discarded", http.StatusSeeOther)
}
