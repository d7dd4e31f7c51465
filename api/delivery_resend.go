package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// resendDelivery handles POST /api/v1/deliveries/{id}/resend: a failed
// delivery, or an email whose outcome is unknown, goes back in the
// outbox, due now, and the sender is woken. An unknown text is never
// sent again (it may have arrived: a second would be a double text), nor
// is anything the subscriber no longer wants: 409.
func (a *API) resendDelivery(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = readOptionalJSON(w, r)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	d, err := a.store.RequeueDelivery(ctx, id, a.clock.Now())
	switch {
	case errors.Is(err, steady.ErrNotFound):
		err = notFound(fmt.Sprintf("there is no delivery %d", id))
	case errors.Is(err, steady.ErrConflict):
		err = conflict(a.resendRefusal(ctx, id))
	}
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: resend delivery %d: %w", id, err))
		return
	}
	if a.wake != nil {
		a.wake()
	}
	a.record(ctx, "send again", deliveryTarget(id), slog.Int64("subscriber", d.SubscriberID))
	writeJSON(w, http.StatusOK, viewDelivery(d))
}

// resendRefusal says why a delivery may not be sent again: its own
// state, or else its subscriber's (store.RequeueDelivery's two refusals).
func (a *API) resendRefusal(ctx context.Context, id int64) string {
	msg := fmt.Sprintf("delivery %d cannot be sent again: ", id)
	d, err := a.store.Delivery(ctx, id)
	switch {
	case err != nil:
		msg += "it changed while we looked"
	case !store.ResendAllowed(d):
		msg += fmt.Sprintf("it is %s on %s, and only a failed delivery or an email whose outcome is unknown may be (a text that may have arrived is never sent twice)", d.Status, d.Channel)
	default:
		msg += fmt.Sprintf("its subscriber no longer wants this %s (they left, confirmed already or came back)", purpose(d))
	}
	return msg + "; nothing was changed"
}
