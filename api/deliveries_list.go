package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// deliveryPage is one page of deliveries, newest first. Next, when set, is
// the before= of the following page.
type deliveryPage struct {
	Deliveries []deliveryView `json:"deliveries"`
	Next       string         `json:"next,omitempty"`
}

// listDeliveries handles GET /api/v1/deliveries: by status (a list, such
// as failed,unknown for those needing attention), kind, channel and
// subscriber, newest first, paged by id (before, limit).
func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request) {
	f, err := deliveryFilter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	ds, err := a.store.ListDeliveries(ctx, f)
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: list deliveries: %w", err))
		return
	}
	page := deliveryPage{Deliveries: make([]deliveryView, 0, len(ds))}
	for _, d := range ds {
		page.Deliveries = append(page.Deliveries, viewDelivery(d))
	}
	if len(ds) == f.Limit {
		f.BeforeID, f.Limit = ds[len(ds)-1].ID, 1
		more, err := a.store.ListDeliveries(ctx, f)
		if err != nil {
			a.fail(w, r, fmt.Errorf("api: list deliveries: %w", err))
			return
		}
		if len(more) > 0 {
			page.Next = strconv.FormatInt(f.BeforeID, 10)
		}
	}
	writeJSON(w, http.StatusOK, page)
}

func deliveryFilter(r *http.Request) (store.DeliveryFilter, error) {
	var f store.DeliveryFilter
	q, err := readQuery(r, "status", "kind", "channel", "subscriber_id", "before", "limit")
	if err != nil {
		return f, err
	}
	statuses, err := q.list("status", "queued", "sending", "sent", "failed", "unknown", "cancelled")
	if err != nil {
		return f, err
	}
	kind, err := q.oneOf("kind", "prompt", "confirm", "goodbye")
	if err != nil {
		return f, err
	}
	channel, err := q.oneOf("channel", "email", "sms")
	if err != nil {
		return f, err
	}
	sub, err := q.int("subscriber_id", 0, 1, 1<<62)
	if err != nil {
		return f, err
	}
	before, err := q.int("before", 0, 1, 1<<62)
	if err != nil {
		return f, err
	}
	limit, err := q.int("limit", store.DefaultPageSize, 1, store.MaxPageSize)
	if err != nil {
		return f, err
	}
	for _, s := range statuses {
		f.Statuses = append(f.Statuses, steady.DeliveryStatus(s))
	}
	f.Kind, f.Channel, f.SubscriberID, f.BeforeID, f.Limit = steady.Kind(kind), steady.Channel(channel), sub, before, int(limit)
	return f, nil
}
