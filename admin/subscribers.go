package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// subscribersPage is how many subscribers one page lists.
const subscribersPage = 50

type subscriberRow struct {
	ID                 int64
	Address            string
	Channel            steady.Channel
	Status             string
	TimeZone, Schedule string
}

type subscribersData struct {
	Address, Status, Channel string
	Rows                     []subscriberRow
	Problem                  string
	Done                     string
	// Next is the query of the next page, "" on the last.
	Next string
}

// subscribers handles GET /admin/subscribers: a search by address
// substring, status and channel, paged by id.
func (c *Console) subscribers(w http.ResponseWriter, r *http.Request, s session) {
	q := r.URL.Query()
	d := subscribersData{Address: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Channel: q.Get("channel"),
		Done: doneWords[q.Get("done")]}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	f := store.SubscriberFilter{Address: d.Address, Status: steady.Status(d.Status), Channel: steady.Channel(d.Channel),
		AfterID: after, Limit: subscribersPage + 1}
	subs, err := c.cfg.Store.SearchSubscribers(r.Context(), f)
	var inv *steady.ValidationError
	switch {
	case errors.As(err, &inv):
		d.Problem = inv.Message
		c.render(w, r, http.StatusBadRequest, "subscribers", "Subscribers", s, d)
		return
	case err != nil:
		c.internal(w, r, err)
		return
	}
	if len(subs) > subscribersPage {
		subs = subs[:subscribersPage]
		next := url.Values{"q": {d.Address}, "status": {d.Status}, "channel": {d.Channel},
			"after": {strconv.FormatInt(subs[len(subs)-1].ID, 10)}}
		d.Next = next.Encode()
	}
	now := c.cfg.Clock.Now()
	for _, sub := range subs {
		d.Rows = append(d.Rows, subscriberRow{ID: sub.ID, Address: sub.Address, Channel: sub.Channel,
			Status: statusWords(sub, now), TimeZone: sub.TimeZone, Schedule: sub.Schedule.String()})
	}
	c.render(w, r, http.StatusOK, "subscribers", "Subscribers", s, d)
}
