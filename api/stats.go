package api

import (
	"fmt"
	"net/http"
	"time"
)

// statsView is GET /api/v1/stats: counts only, as the console's overview
// shows them.
type statsView struct {
	Since       time.Time         `json:"since"`
	Days        int               `json:"days"`
	Subscribers []subscriberCount `json:"subscribers"`
	Prompts     promptCounts      `json:"prompts"`
	// Replies received since, by channel (email, sms, web).
	Replies         map[string]int `json:"replies"`
	SummariesSent   int            `json:"summaries_sent"`
	SafetyNotesSent int            `json:"safety_notes_sent"`
	// Held: inbound mail held aside now.
	Held int `json:"held"`
	// Queued: deliveries queued or being sent now; OldestQueuedAt when the
	// oldest of them was made.
	Queued           int        `json:"queued"`
	OldestQueuedAt   *time.Time `json:"oldest_queued_at"`
	DeliveriesPerDay []dayCount `json:"deliveries_per_day"`
}

type subscriberCount struct {
	Status  string `json:"status"`
	Channel string `json:"channel"`
	Count   int    `json:"count"`
}

// promptCounts are the prompts whose slot is since or later.
type promptCounts struct {
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	Unknown int `json:"unknown"`
	// Replied: of those sent, how many have a reply; ReplyRate the share.
	Replied   int     `json:"replied"`
	ReplyRate float64 `json:"reply_rate"`
}

type dayCount struct {
	Day     string `json:"day"`
	Kind    string `json:"kind"`
	Channel string `json:"channel"`
	Status  string `json:"status"`
	Count   int    `json:"count"`
}

// stats handles GET /api/v1/stats?days=N (1 to 366, default 30): the
// subscribers now by status and channel, and what was sent and received
// in the last N days, per day for deliveries.
func (a *API) stats(w http.ResponseWriter, r *http.Request) {
	q, err := readQuery(r, "days")
	var days int64
	if err == nil {
		days, err = q.int("days", 30, 1, 366)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	since := a.clock.Now().UTC().Truncate(time.Second).Add(-time.Duration(days) * 24 * time.Hour)
	st, err := a.store.OperatorStats(ctx, since)
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: stats: %w", err))
		return
	}
	counts, err := a.store.CountSubscribers(ctx)
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: stats: %w", err))
		return
	}
	perDay, err := a.store.DeliveriesPerDay(ctx, since)
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: stats: %w", err))
		return
	}
	v := statsView{
		Since: since, Days: int(days),
		Subscribers: make([]subscriberCount, 0, len(counts)),
		Prompts: promptCounts{Sent: st.PromptsSent, Failed: st.PromptsFailed, Unknown: st.PromptsUnknown,
			Replied: st.RepliedPrompts, ReplyRate: st.ReplyRate()},
		Replies:       map[string]int{},
		SummariesSent: st.SummariesSent, SafetyNotesSent: st.SafetyNotesSent,
		Held: st.Held, Queued: st.Queued, OldestQueuedAt: stamp(st.OldestQueued),
		DeliveriesPerDay: make([]dayCount, 0, len(perDay)),
	}
	for _, c := range counts {
		v.Subscribers = append(v.Subscribers, subscriberCount{Status: string(c.Status), Channel: string(c.Channel), Count: c.N})
	}
	for ch, n := range st.Replies {
		v.Replies[string(ch)] = n
	}
	for _, d := range perDay {
		v.DeliveriesPerDay = append(v.DeliveriesPerDay, dayCount{Day: d.Day, Kind: string(d.Kind), Channel: string(d.Channel),
			Status: string(d.Status), Count: d.N})
	}
	writeJSON(w, http.StatusOK, v)
}
