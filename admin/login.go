package admin

import (
	"net/http"
	"strings"
)

type loginData struct {
	Next, Name, Problem string
}

// loginPage handles GET /admin/login. A signed-in operator goes on to
// the console.
func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok, err := c.current(r); err == nil && ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	c.render(w, r, http.StatusOK, "login", "Sign in", session{}, loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

// login handles POST /admin/login. A password is always checked, against
// a dummy hash for an unknown name, so a wrong name and a wrong password
// take as long. Failures count against the client IP and the typed name;
// past the limit nothing is checked until the window ends. Success and
// failure are audited (an unknown name as unknownName, never as typed).
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, http.StatusBadRequest, "That form could not be read", "Please try again.")
		return
	}
	ctx := r.Context()
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	d := loginData{Next: safeNext(r.PostFormValue("next")), Name: name}
	if name == "" || password == "" {
		d.Problem = "Enter your name and password."
		c.render(w, r, http.StatusUnprocessableEntity, "login", "Sign in", session{}, d)
		return
	}
	blocked, err := c.loginBlocked(ctx, r, name)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if blocked {
		if c.cfg.Metrics != nil {
			c.cfg.Metrics.RateLimited("login")
		}
		c.audit(ctx, c.auditName(name), "login refused: too many attempts", "")
		w.Header().Set("Retry-After", "900")
		d.Problem = "Too many failed sign-ins just now. Please wait a quarter of an hour and try again."
		c.render(w, r, http.StatusTooManyRequests, "login", "Sign in", session{}, d)
		return
	}
	op, known := c.operators[name]
	if !known {
		op = c.dummy
	}
	if !op.Check(password) || !known {
		c.loginFailed(ctx, r, name)
		c.audit(ctx, c.auditName(name), "login failed", "")
		d.Problem = "That name and password do not match."
		c.render(w, r, http.StatusUnauthorized, "login", "Sign in", session{}, d)
		return
	}
	if err := c.startSession(ctx, w, op.Name); err != nil {
		c.internal(w, r, err)
		return
	}
	c.audit(ctx, op.Name, "login", "")
	if _, err := c.cfg.Store.PruneRateCounters(ctx, c.cfg.Clock.Now()); err != nil {
		c.log.WarnContext(ctx, "admin: pruning rate counters", "err", err)
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// unknownName is what the audit log keeps of a typed name that is no
// operator's: a password pasted into the name field must not be kept.
const unknownName = "(unknown name)"

// auditName is a typed name as the audit log keeps it.
func (c *Console) auditName(name string) string {
	if _, ok := c.operators[name]; ok {
		return name
	}
	return unknownName
}
