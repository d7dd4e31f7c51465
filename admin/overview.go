package admin

import (
	"fmt"
	"net/http"
	"time"

	"github.com/steadyapp/steady"
)

// overviewDays is how far back the overview looks.
const overviewDays = 30

type statusRow struct {
	Status     steady.Status
	Email, SMS int
	Total      int
}

type overviewData struct {
	Statuses                  []statusRow
	Total                     int
	Chart                     chart
	Sent, Failed, Unknown     int
	ReplyRate, ReplyDetail    string
	Replies                   int
	SummariesSent, SafetySent int
	Held, Queued              int
	OldestQueued              string
	Since                     time.Time
}

// overview handles GET /admin: counts only, never anyone's words.
func (c *Console) overview(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	now := c.cfg.Clock.Now()
	since := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -(overviewDays - 1))
	counts, err := c.cfg.Store.CountSubscribers(ctx)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	days, err := c.cfg.Store.DeliveriesPerDay(ctx, since)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	st, err := c.cfg.Store.OperatorStats(ctx, since)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	d := overviewData{Chart: promptChart(days, since, overviewDays), Sent: st.PromptsSent, Failed: st.PromptsFailed,
		Unknown: st.PromptsUnknown, SummariesSent: st.SummariesSent, SafetySent: st.SafetyNotesSent,
		Held: st.Held, Queued: st.Queued, Since: since, OldestQueued: "none queued"}
	for _, n := range st.Replies {
		d.Replies += n
	}
	d.ReplyRate, d.ReplyDetail = "—", "reply rate: no prompts sent yet"
	if st.PromptsSent > 0 {
		d.ReplyRate = fmt.Sprintf("%.0f%%", 100*st.ReplyRate())
		d.ReplyDetail = fmt.Sprintf("of prompts sent had a reply (%d of %d)", st.RepliedPrompts, st.PromptsSent)
	}
	if !st.OldestQueued.IsZero() {
		d.OldestQueued = age(now.Sub(st.OldestQueued))
	}
	for _, status := range []steady.Status{steady.StatusPending, steady.StatusActive, steady.StatusPaused, steady.StatusUnsubscribed} {
		row := statusRow{Status: status}
		for _, sc := range counts {
			if sc.Status != status {
				continue
			}
			switch sc.Channel {
			case steady.ChannelEmail:
				row.Email += sc.N
			case steady.ChannelSMS:
				row.SMS += sc.N
			}
			row.Total += sc.N
		}
		d.Total += row.Total
		// store.Pause keeps a paused subscriber active (with a pause
		// end), so "paused" is shown only if some rows have it.
		if status != steady.StatusPaused || row.Total > 0 {
			d.Statuses = append(d.Statuses, row)
		}
	}
	c.render(w, r, http.StatusOK, "overview", "Overview", s, d)
}

// age says a duration the way a person reads a queue's age.
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
