package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/steadyapp/steady"
)

// resumeSubscriber handles POST /api/v1/subscribers/{id}/resume: a pause
// ends now and prompts follow the schedule from now. Resuming a
// subscriber who is not paused changes nothing; only an active one can.
func (a *API) resumeSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = readOptionalJSON(w, r)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	got, err := a.store.Resume(ctx, id, a.clock.Now(), nextFrom)
	if errors.Is(err, steady.ErrConflict) {
		err = conflict(fmt.Sprintf("only an active subscriber can resume; subscriber %d is not (pending or unsubscribed)", id))
	}
	if err != nil {
		a.fail(w, r, subscriberErr(id, err))
		return
	}
	a.record(ctx, "resume", subscriberTarget(id))
	writeJSON(w, http.StatusOK, viewSubscriber(got))
}
