package api

import (
	"net/http"

	"github.com/steadyapp/steady"
)

// UnsubscribeWording is kept with the opt-out an API caller records: the
// operator's program asked, on the person's behalf (say, they wrote to
// the operator); the consent record's method names the key.
const UnsubscribeWording = "Unsubscribed through the JSON API (POST /api/v1/subscribers/{id}/unsubscribe) by the operator's program."

// unsubscribeSubscriber handles POST /api/v1/subscribers/{id}/unsubscribe.
// It is idempotent: a subscriber who has left already stays so, and the
// opt-out is recorded once.
func (a *API) unsubscribeSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = readOptionalJSON(w, r)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.clock.Now()
	sub, err := a.store.Unsubscribe(r.Context(), id, steady.Consent{
		Method:  keyMethod(r),
		Wording: UnsubscribeWording,
	}, now)
	if err != nil {
		a.fail(w, r, subscriberErr(id, err))
		return
	}
	a.record(r.Context(), "unsubscribe", subscriberTarget(id))
	writeJSON(w, http.StatusOK, viewSubscriber(sub))
}

// keyMethod is the consent records' method for a change made with the
// request's key: "api:NAME", as the sign-up API writes it.
func keyMethod(r *http.Request) string { return "api:" + callerOf(r.Context()).name }
