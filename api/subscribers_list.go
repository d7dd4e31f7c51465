package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// subscriberPage is one page of subscribers, oldest id first. Next, when
// set, is the after= of the following page.
type subscriberPage struct {
	Subscribers []subscriberView `json:"subscribers"`
	Next        string           `json:"next,omitempty"`
}

// listSubscribers handles GET /api/v1/subscribers: filters by status,
// channel and part of the address, paged by id (after, limit).
func (a *API) listSubscribers(w http.ResponseWriter, r *http.Request) {
	f, err := subscriberFilter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	subs, err := a.store.SearchSubscribers(ctx, f)
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: list subscribers: %w", err))
		return
	}
	page := subscriberPage{Subscribers: make([]subscriberView, 0, len(subs))}
	for _, s := range subs {
		page.Subscribers = append(page.Subscribers, viewSubscriber(s))
	}
	if len(subs) == f.Limit {
		// A full page: say next only if there is one more, so the last
		// page never points at an empty one.
		f.AfterID, f.Limit = subs[len(subs)-1].ID, 1
		more, err := a.store.SearchSubscribers(ctx, f)
		if err != nil {
			a.fail(w, r, fmt.Errorf("api: list subscribers: %w", err))
			return
		}
		if len(more) > 0 {
			page.Next = strconv.FormatInt(f.AfterID, 10)
		}
	}
	writeJSON(w, http.StatusOK, page)
}

func subscriberFilter(r *http.Request) (store.SubscriberFilter, error) {
	q, err := readQuery(r, "status", "channel", "address", "after", "limit")
	if err != nil {
		return store.SubscriberFilter{}, err
	}
	var f store.SubscriberFilter
	status, err := q.oneOf("status", "pending", "active", "paused", "unsubscribed")
	if err != nil {
		return f, err
	}
	channel, err := q.oneOf("channel", "email", "sms")
	if err != nil {
		return f, err
	}
	address, err := q.text("address")
	if err != nil {
		return f, err
	}
	if len(address) > steady.MaxEmailLength {
		return f, invalid("address", fmt.Sprintf("address is a part of an address, at most %d characters", steady.MaxEmailLength))
	}
	after, err := q.int("after", 0, 0, 1<<62)
	if err != nil {
		return f, err
	}
	limit, err := q.int("limit", store.DefaultPageSize, 1, store.MaxPageSize)
	if err != nil {
		return f, err
	}
	return store.SubscriberFilter{Status: steady.Status(status), Channel: steady.Channel(channel), Address: address,
		AfterID: after, Limit: int(limit)}, nil
}
