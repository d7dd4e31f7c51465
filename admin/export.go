package admin

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady/account"
)

// export handles POST /admin/subscribers/{id}/export: the subscriber's
// data download (account.Export, the JSON of `steady subscribers
// export`), to answer their request for it. Their words (reply bodies and
// the summaries quoting them) are in it only when ShowReplies is set;
// otherwise they are withheld (the subscriber downloads everything from
// their own settings page). It is a POST with the form token, and audited.
func (c *Console) export(w http.ResponseWriter, r *http.Request, s session) {
	sub, ok := c.subscriberOf(w, r, s)
	if !ok {
		return
	}
	ex, err := account.Export(r.Context(), c.cfg.Store, c.cfg.Clock.Now(), sub)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	action := "export with replies"
	if !c.cfg.ShowReplies {
		ex.Export, action = ex.WithoutWords(), "export without replies"
	}
	body, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.audit(r.Context(), s.Operator, action, target(sub))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="subscriber-`+strconv.FormatInt(sub.ID, 10)+`.json"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(append(body, '\n'))
}
