package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/steadyapp/steady"
)

// getSubscriber handles GET /api/v1/subscribers/{id}.
func (a *API) getSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	sub, err := a.store.Subscriber(r.Context(), id)
	if err != nil {
		a.fail(w, r, subscriberErr(id, err))
		return
	}
	writeJSON(w, http.StatusOK, viewSubscriber(sub))
}

// subscriberErr says "no subscriber N" for a missing one; other errors
// are passed on with context.
func subscriberErr(id int64, err error) error {
	if errors.Is(err, steady.ErrNotFound) {
		return notFound(fmt.Sprintf("there is no subscriber %d", id))
	}
	return fmt.Errorf("api: subscriber %d: %w", id, err)
}
