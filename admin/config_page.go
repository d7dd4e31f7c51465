package admin

import "net/http"

// configPage handles GET /admin/config: the settings in effect as the
// caller listed them, secrets already masked by it.
func (c *Console) configPage(w http.ResponseWriter, r *http.Request, s session) {
	c.render(w, r, http.StatusOK, "config", "Configuration", s, c.cfg.Settings)
}
