package admin

import "net/http"

// logout handles POST /admin/logout.
func (c *Console) logout(w http.ResponseWriter, r *http.Request, s session) {
	if err := c.cfg.Store.DeleteAdminSession(r.Context(), s.tokenHash); err != nil {
		c.internal(w, r, err)
		return
	}
	c.clearCookie(w)
	c.audit(r.Context(), s.Operator, "logout", "")
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}
