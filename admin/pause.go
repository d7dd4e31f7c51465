package admin

import (
	"errors"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
)

// pauseLengths are the console's pause choices.
var pauseLengths = map[string]time.Duration{"1w": 7 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "4w": 28 * 24 * time.Hour}

// pause handles POST /admin/subscribers/{id}/pause: an active
// subscriber gets no prompts for 1, 2 or 4 weeks (store.Pause cancels
// those queued); audited.
func (c *Console) pause(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	length, ok := pauseLengths[r.PostFormValue("for")]
	if !ok {
		length = pauseLengths["2w"]
	}
	now := c.cfg.Clock.Now()
	_, err := c.cfg.Store.Pause(r.Context(), sub.ID, now.Add(length), now, nextFrom)
	if errors.Is(err, steady.ErrConflict) {
		c.render(w, r, http.StatusConflict, "message", "Cannot pause", s,
			message{"Cannot pause", "Only an active subscriber can be paused; this one is " + string(sub.Status) + ". Nothing was changed."})
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.audit(r.Context(), s.Operator, "pause", target(sub))
	backTo(w, r, sub, "paused")
}

// nextFrom is the subscriber's next slot from a time, as their own
// settings page computes it.
func nextFrom(sub steady.Subscriber, from time.Time) (time.Time, error) {
	loc, err := sub.Location()
	if err != nil {
		return time.Time{}, err
	}
	return sub.Schedule.Next(from, loc), nil
}
