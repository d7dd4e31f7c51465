package admin

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// doneWords are the fixed sentences an action's redirect may show
// (?done=…), so nothing from the address bar is echoed onto the page.
var doneWords = map[string]string{
	"paused":       "Paused: no prompts until the date shown.",
	"resumed":      "Resumed: prompts start again.",
	"resent":       "A new confirmation is queued.",
	"resend-later": "No new confirmation was queued: one was sent less than an hour ago and has not failed.",
	"resend-held":  "Nothing was queued: this number asked to stop, and only its owner can start texts again.",
	"unsubscribed": "Unsubscribed: nothing more is sent.",
	"requeued":     "Queued to be sent again.",
	"released":     "Released: the message was filed again and is no longer held.",
	"still-held":   "Released, but it still matches nobody: it stays held.",
	"discarded":    "Discarded.",
	"deleted":      "Deleted, with everything about them; what compliance needs of their consents is kept under a hash.",
}

type subscriberData struct {
	Sub         steady.Subscriber
	Status      string
	Schedule    string
	NextSlot    time.Time
	Consents    []steady.Consent
	Deliveries  []deliveryRow
	Done        string
	CanPause    bool
	CanResume   bool
	CanResend   bool
	CanUnsub    bool
	ShowReplies bool
}

// deliveryRow is one delivery as the console shows it: never the
// message's text.
type deliveryRow struct {
	steady.Delivery
	Resend bool
}

// subscriberDeliveries is how many of one subscriber's newest deliveries
// the page lists.
const subscriberDeliveries = 100

// subscriber handles GET /admin/subscribers/{id}: one subscriber's
// address, schedule, consents and deliveries, with the actions.
func (c *Console) subscriber(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	consents, err := c.cfg.Store.Consents(ctx, sub.ID)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	ds, err := c.cfg.Store.ListDeliveries(ctx, store.DeliveryFilter{SubscriberID: sub.ID, Limit: subscriberDeliveries})
	if err != nil {
		c.internal(w, r, err)
		return
	}
	now := c.cfg.Clock.Now()
	paused := sub.PausedUntil.After(now)
	d := subscriberData{Sub: sub, Status: statusWords(sub, now), Schedule: sub.Schedule.String(), NextSlot: sub.NextSlot,
		Consents: consents, Done: doneWords[r.URL.Query().Get("done")],
		CanPause:    sub.Status == steady.StatusActive && !paused,
		CanResume:   sub.Status == steady.StatusActive && paused,
		CanResend:   sub.Status == steady.StatusPending,
		CanUnsub:    sub.Status != steady.StatusUnsubscribed,
		ShowReplies: c.cfg.ShowReplies,
	}
	for _, del := range ds {
		d.Deliveries = append(d.Deliveries, deliveryRow{Delivery: del, Resend: store.ResendAllowed(del)})
	}
	c.render(w, r, http.StatusOK, "subscriber", "Subscriber "+strconv.FormatInt(sub.ID, 10), s, d)
}

// subscriberOf reads {id} and loads that subscriber; ok false: it has
// answered (404 for a bad or unknown id).
func (c *Console) subscriberOf(w http.ResponseWriter, r *http.Request, s session) (steady.Subscriber, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		c.notFound(w, r, s)
		return steady.Subscriber{}, false
	}
	sub, err := c.cfg.Store.Subscriber(r.Context(), id)
	if errors.Is(err, steady.ErrNotFound) {
		c.render(w, r, http.StatusNotFound, "message", "No such subscriber", s,
			message{"No such subscriber", "There is no subscriber " + strconv.FormatInt(id, 10) + ": they may have been deleted."})
		return steady.Subscriber{}, false
	}
	if err != nil {
		c.internal(w, r, err)
		return steady.Subscriber{}, false
	}
	return sub, true
}

// statusWords is a subscriber's status as the console says it: a paused
// subscriber is stored as active with a pause end (store.Pause).
func statusWords(sub steady.Subscriber, now time.Time) string {
	if sub.Status == steady.StatusActive && sub.PausedUntil.After(now) {
		return "paused until " + sub.PausedUntil.UTC().Format("2006-01-02")
	}
	return string(sub.Status)
}

// target names a subscriber in the audit log: by id, never by address.
func target(sub steady.Subscriber) string { return "subscriber " + strconv.FormatInt(sub.ID, 10) }

// backTo sends the operator back to the subscriber's page with a done
// sentence.
func backTo(w http.ResponseWriter, r *http.Request, sub steady.Subscriber, done string) {
	http.Redirect(w, r, "/admin/subscribers/"+strconv.FormatInt(sub.ID, 10)+"?done="+done, http.StatusSeeOther)
}
