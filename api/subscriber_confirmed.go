package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/steadyapp/steady/store"
)

// ConfirmedPrefix starts the consent wording of a subscriber created
// confirmed, before the caller's words: the record says whose word it is.
const ConfirmedPrefix = "Agreed to on the requesting site, as it recorded it (JSON API, confirmed: true): "

// consentTime reads consented_at, which goes with confirmed: true and
// only with it: an RFC 3339 time or a date (midnight UTC), not in the
// future. Zero without confirmed.
func consentTime(in createInput, now time.Time) (time.Time, error) {
	switch {
	case !in.Confirmed && in.ConsentedAt != nil:
		return time.Time{}, invalid("consented_at", "consented_at goes with confirmed: true; without it the person is sent a confirmation, which records their consent")
	case !in.Confirmed:
		return time.Time{}, nil
	case in.ConsentedAt == nil || strings.TrimSpace(*in.ConsentedAt) == "":
		return time.Time{}, invalid("consented_at", "confirmed: true needs consented_at: when the person agreed, on your site, to the consent_text (2026-03-01T09:30:00Z or 2026-03-01)")
	}
	text := strings.TrimSpace(*in.ConsentedAt)
	t, err := time.Parse(time.RFC3339, text)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, text); err != nil {
			return time.Time{}, invalid("consented_at", fmt.Sprintf("%q is not an RFC 3339 time (2026-03-01T09:30:00Z) or a date (2026-03-01)", text))
		}
	}
	if t.After(now) {
		return time.Time{}, invalid("consented_at", "consented_at is in the future")
	}
	return t.UTC(), nil
}

// createConfirmed creates a subscriber active at once, as an import with
// its consent evidence does (store.ImportSubscribers, Active): the
// caller's wording and consented_at are recorded as the confirmation
// (kept, like any confirmation, in the compliance records if the
// subscriber is erased), no confirmation is sent, and prompts follow the
// schedule from now. Only a new address can be created so: one already
// signed up is left as it is, and one that asked to stop can only come
// back by confirming for itself (409 both).
func (a *API) createConfirmed(w http.ResponseWriter, r *http.Request, row store.ImportRow, now time.Time) {
	ctx := r.Context()
	res, err := a.store.ImportSubscribers(ctx, store.ImportBatch{Rows: []store.ImportRow{row}, Active: true, Now: now})
	switch {
	case err != nil:
	case res.OptedOut == 1:
		err = conflict("this address asked to stop, so it cannot be created confirmed: only the person can bring prompts back, " +
			"by confirming a sign-up themselves (leave confirmed out to send them a confirmation); nothing was stored")
	case res.AlreadyThere == 1:
		err = conflict("this address is signed up already, and confirmed: true only adds new addresses; " +
			"leave confirmed out to send it a confirmation of the new settings; nothing was changed")
	case res.Imported != 1:
		err = fmt.Errorf("imported %d of 1", res.Imported)
	}
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: create confirmed subscriber: %w", err))
		return
	}
	sub, err := a.store.SubscriberByAddress(ctx, row.Channel, row.Address)
	if err != nil {
		a.fail(w, r, fmt.Errorf("api: create confirmed subscriber: %w", err))
		return
	}
	a.counted(row.Channel, true)
	a.record(ctx, "create (confirmed, consented "+row.Consent.At.Format(time.RFC3339)+")", subscriberTarget(sub.ID))
	w.Header().Set("Location", fmt.Sprintf("/api/v1/subscribers/%d", sub.ID))
	writeJSON(w, http.StatusCreated, created{Subscriber: viewSubscriber(sub), Created: true})
}
