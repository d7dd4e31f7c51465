package api

import (
	"net/http"
)

// deleteSubscriber handles DELETE /api/v1/subscribers/{id}: the
// subscriber and everything about them is erased (store.DeleteSubscriber),
// keeping only what compliance needs of their consent records, under the
// keyed hash of their address. 204 when done.
func (a *API) deleteSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.store.DeleteSubscriber(r.Context(), id, a.hasher); err != nil {
		a.fail(w, r, subscriberErr(id, err))
		return
	}
	a.record(r.Context(), "delete", subscriberTarget(id))
	w.WriteHeader(http.StatusNoContent)
}
