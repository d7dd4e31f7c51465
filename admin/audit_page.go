package admin

import (
	"net/http"
	"strconv"

	"github.com/steadyapp/steady/store"
)

// auditPageSize is how many entries one page lists.
const auditPageSize = 100

type auditData struct {
	Entries []store.AuditEntry
	Older   string
}

// auditPage handles GET /admin/audit: the audit log, newest first.
func (c *Console) auditPage(w http.ResponseWriter, r *http.Request, s session) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	es, err := c.cfg.Store.AuditLog(r.Context(), before, auditPageSize+1)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	d := auditData{Entries: es}
	if len(es) > auditPageSize {
		d.Entries = es[:auditPageSize]
		d.Older = "before=" + strconv.FormatInt(d.Entries[len(d.Entries)-1].ID, 10)
	}
	c.render(w, r, http.StatusOK, "audit", "Audit log", s, d)
}
