package account

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/steadyapp/steady"
)

// confirmWord is what the subscriber types to delete everything.
const confirmWord = "delete"

type deletePage struct {
	Action, Export, Back string
	Error                string
}

// deletePage is GET /settings/delete: what deleting means, and the
// confirmation (typing "delete" and pressing the button).
func (d *Data) deletePage(w http.ResponseWriter, r *http.Request, s session) {
	d.render(w, r, s, http.StatusOK, "data_delete", "Delete everything", d.deleteForm(s, ""))
}

func (d *Data) deleteForm(s session, problem string) deletePage {
	return deletePage{Action: s.link("/settings/delete", nil), Export: s.link("/settings/export", nil),
		Back: s.link("/settings/reflections", nil), Error: problem}
}

// deleteEverything is POST /settings/delete: with t (the session value)
// and confirm "delete", it does what `steady subscribers delete` does:
// store.DeleteSubscriber with the hasher (consents and opt-outs kept under
// a keyed hash of the address), then a checkpoint. The browser is told to
// forget the site's cookies and the goodbye page says nothing personal.
// A second POST (a double click, a reload) finds nobody and says goodbye
// again.
func (d *Data) deleteEverything(w http.ResponseWriter, r *http.Request, s session) {
	if !postedSession(r, s) {
		d.failSession(w, r, s)
		return
	}
	if !strings.EqualFold(strings.TrimSpace(r.PostFormValue("confirm")), confirmWord) {
		d.render(w, r, s, http.StatusUnprocessableEntity, "data_delete", "Delete everything",
			d.deleteForm(s, `Nothing was deleted. To delete everything, type the word “delete” in the box, then press the button.`))
		return
	}
	err := d.cfg.Store.DeleteSubscriber(r.Context(), s.sub.ID, d.cfg.Hasher)
	switch {
	case errors.Is(err, steady.ErrNotFound):
		// Deleted already (a second click).
	case err != nil:
		d.log.ErrorContext(r.Context(), "account: delete subscriber", slog.Int64("subscriber_id", s.sub.ID), slog.Any("error", err))
		d.render(w, r, s, http.StatusInternalServerError, "data_delete", "Delete everything",
			d.deleteForm(s, "Something went wrong on our side and nothing was deleted. Please try again in a little while."))
		return
	default:
		d.log.InfoContext(r.Context(), "account: subscriber deleted themselves", slog.Int64("subscriber_id", s.sub.ID))
	}
	d.checkpoint(r.Context(), s.sub.ID)
	forgetSite(w, r)
	d.render(w, r, session{}, http.StatusOK, "data_goodbye", "Deleted", nil)
}

// forgetSite ends the session: every cookie the request carried expires
// (at the paths a settings or link cookie is set on), and Clear-Site-Data
// asks the browser to drop this origin's storage and cached pages (so Back
// shows nothing). Not "cookies": that one clears the whole registrable
// domain, other sites of the organisation included.
func forgetSite(w http.ResponseWriter, r *http.Request) {
	for _, c := range r.Cookies() {
		for _, p := range []string{"/settings", "/", r.URL.Path} {
			http.SetCookie(w, &http.Cookie{Name: c.Name, Value: "", Path: p, MaxAge: -1, HttpOnly: true,
				Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
		}
	}
	w.Header().Set("Clear-Site-Data", `"cache", "storage"`)
}
