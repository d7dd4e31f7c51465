package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/steadyapp/steady"
)

// deleteWord is what the operator types to confirm an erasure.
const deleteWord = "DELETE"

type deleteData struct {
	Sub     steady.Subscriber
	Problem string
}

// deletePage handles GET /admin/subscribers/{id}/delete: the confirmation
// step before an erasure.
func (c *Console) deletePage(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	c.render(w, r, http.StatusOK, "delete", "Delete subscriber "+strconv.FormatInt(sub.ID, 10), s, deleteData{Sub: sub})
}

// delete handles POST /admin/subscribers/{id}/delete: with the word
// DELETE typed, the subscriber and everything about them are erased
// (store.DeleteSubscriber keeps, under a keyed hash, what compliance needs
// of their consents and opt-outs); audited.
func (c *Console) delete(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	if strings.TrimSpace(r.PostFormValue("confirm")) != deleteWord {
		c.render(w, r, http.StatusUnprocessableEntity, "delete", "Delete subscriber "+strconv.FormatInt(sub.ID, 10), s,
			deleteData{Sub: sub, Problem: "Type DELETE in capitals to confirm. Nothing was deleted."})
		return
	}
	ctx := r.Context()
	err := c.cfg.Store.DeleteSubscriber(ctx, sub.ID, c.cfg.Hasher)
	if err != nil && !errors.Is(err, steady.ErrNotFound) {
		c.internal(w, r, err)
		return
	}
	// Deleted rows may linger in SQLite's write-ahead log until a
	// checkpoint; the erasure should not.
	if c.cfg.Store.Dialect() == "sqlite" {
		if err := c.cfg.Store.Checkpoint(ctx); err != nil {
			c.log.WarnContext(ctx, "admin: checkpoint after an erasure", "err", err)
		}
	}
	c.audit(ctx, s.Operator, "delete", target(sub))
	http.Redirect(w, r, "/admin/subscribers?done=deleted", http.StatusSeeOther)
}
