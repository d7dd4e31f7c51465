package account

import (
	"context"
	"net/http"

	"github.com/steadyapp/steady"
)

// savePreferences handles POST /settings/preferences: discreet mode, the
// monthly summary and resurfacing, as the form's checkboxes say.
func (s *Settings) savePreferences(w http.ResponseWriter, r *http.Request) {
	sub, session, ok := s.Auth(w, r)
	if !ok {
		return
	}
	p := steady.Preferences{
		Discreet:     r.PostFormValue("discreet") == "on",
		SummariesOff: r.PostFormValue("summaries") != "on",
		Resurface:    r.PostFormValue("resurface") == "on",
	}
	got, err := s.change(r.Context(), sub.ID, func(ctx context.Context) (steady.Subscriber, error) {
		return s.store.SetPreferences(ctx, sub.ID, p)
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.saved(w, r, got, session, "Saved.")
}
