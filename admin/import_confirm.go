package admin

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/steadyapp/steady/importer"
)

// importConfirm handles POST /admin/import/confirm: the checked file,
// carried back by the form, is parsed again and its good rows imported
// (importer.Import: idempotent, opt-outs honoured, a confirmation each
// unless consented). With bad rows it imports only if "skip the bad rows"
// was ticked; otherwise nothing is written. Audited with the tally.
func (c *Console) importConfirm(w http.ResponseWriter, r *http.Request, s session) {
	if c.cfg.Addresses == nil {
		c.importPage(w, r, s)
		return
	}
	d := importData{Available: true, Columns: importer.Columns, Consented: r.PostFormValue("consented") == "on",
		Name: fileName(r.PostFormValue("name"))}
	raw := []byte(r.PostFormValue("csv"))
	opts := c.importOptions(s, d)
	opts.SkipBad = r.PostFormValue("skip_bad") == "on"
	plan, err := importer.Parse(bytes.NewReader(raw), opts)
	if err != nil {
		d.Problem = err.Error()
		c.render(w, r, http.StatusUnprocessableEntity, "import", "Import subscribers", s, d)
		return
	}
	tally, err := importer.Import(r.Context(), c.cfg.Store, plan, opts, nil)
	if errors.Is(err, importer.ErrProblems) {
		d.Checked, d.CSV, d.Read, d.Good, d.Problems = true, string(raw), plan.Read, len(plan.Rows), plan.Problems
		d.Problem = "Nothing was imported: the file has bad rows. Fix them and upload it again, or tick “skip the bad rows”."
		c.render(w, r, http.StatusUnprocessableEntity, "import", "Import subscribers", s, d)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if tally.ConfirmsQueued > 0 {
		c.wake()
	}
	c.audit(r.Context(), s.Operator, "import "+strconv.Itoa(tally.Imported)+" subscribers ("+tally.String()+")", "file "+d.Name)
	d.Tally = tally.String()
	c.render(w, r, http.StatusOK, "import", "Import subscribers", s, d)
}
