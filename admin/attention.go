package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// attentionPage is how many deliveries the page lists at once.
const attentionPage = 100

type attentionRow struct {
	steady.Delivery
	// Address is the subscriber's, masked; "" if they are gone.
	Address string
	Resend  bool
}

type attentionData struct {
	Rows []attentionRow
	Done string
	// Older is the query of the next page, "" on the last.
	Older string
}

// attention handles GET /admin/deliveries: failed and unknown
// deliveries, newest first, with "send again" where store.ResendAllowed.
func (c *Console) attention(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	ds, err := c.cfg.Store.ListDeliveries(ctx, store.DeliveryFilter{
		Statuses: []steady.DeliveryStatus{steady.DeliveryFailed, steady.DeliveryUnknown}, BeforeID: before, Limit: attentionPage + 1})
	if err != nil {
		c.internal(w, r, err)
		return
	}
	d := attentionData{Done: doneWords[r.URL.Query().Get("done")]}
	if len(ds) > attentionPage {
		ds = ds[:attentionPage]
		d.Older = "before=" + strconv.FormatInt(ds[len(ds)-1].ID, 10)
	}
	addrs := map[int64]string{}
	for _, del := range ds {
		addr, seen := addrs[del.SubscriberID]
		if !seen {
			sub, err := c.cfg.Store.Subscriber(ctx, del.SubscriberID)
			switch {
			case err == nil:
				addr = maskAddress(sub.Address)
			case !errors.Is(err, steady.ErrNotFound):
				c.internal(w, r, err)
				return
			}
			addrs[del.SubscriberID] = addr
		}
		d.Rows = append(d.Rows, attentionRow{Delivery: del, Address: addr, Resend: store.ResendAllowed(del)})
	}
	c.render(w, r, http.StatusOK, "deliveries", "Deliveries needing attention", s, d)
}
