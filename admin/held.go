package admin

import (
	"net/http"
	"time"

	"github.com/steadyapp/steady/store"
)

// heldPage is how many held messages the page lists.
const heldPage = 200

type heldRow struct {
	ID         int64
	ReceivedAt time.Time
	Source     string
	Reason     string
	Detail     string
	// Sender is the start of the sender's keyed hash (enough to see that
	// two messages came from one address), or "".
	Sender string
	Bytes  int
}

type heldData struct {
	Rows       []heldRow
	CanRelease bool
	Done       string
	Days       int
}

// held handles GET /admin/held: inbound mail held aside (unmatched,
// unauthenticated, unreadable), with release and discard; never a body.
func (c *Console) held(w http.ResponseWriter, r *http.Request, s session) {
	hs, err := c.cfg.Store.HeldMessages(r.Context(), heldPage)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	d := heldData{CanRelease: c.cfg.Release != nil, Done: doneWords[r.URL.Query().Get("done")],
		Days: int(store.HeldRetention / (24 * time.Hour))}
	for _, h := range hs {
		row := heldRow{ID: h.ID, ReceivedAt: h.ReceivedAt, Source: h.Source, Reason: h.Reason, Detail: h.Detail, Bytes: len(h.Raw)}
		if len(h.SenderHash) >= 8 {
			row.Sender = h.SenderHash[:8]
		}
		d.Rows = append(d.Rows, row)
	}
	c.render(w, r, http.StatusOK, "held", "Held mail", s, d)
}
