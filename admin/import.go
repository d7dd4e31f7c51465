package admin

import (
	"bytes"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/steadyapp/steady/importer"
)

type importData struct {
	// Available: the upload is configured (Config.Addresses).
	Available bool
	Columns   []string
	// After a check: the file's name and text (carried back by the
	// confirmation form), what was read, and every problem.
	Checked   bool
	Name      string
	CSV       string
	Consented bool
	Read      int
	Good      int
	Problems  []importer.Problem
	Problem   string
	Tally     string
}

// importPage handles GET /admin/import: the upload form.
func (c *Console) importPage(w http.ResponseWriter, r *http.Request, s session) {
	c.render(w, r, http.StatusOK, "import", "Import subscribers", s,
		importData{Available: c.cfg.Addresses != nil, Columns: importer.Columns})
}

// importCheck handles POST /admin/import: the uploaded CSV is checked
// row by row with sign-up's rules (importer.Parse) and every bad row is
// shown (line, column, reason); nothing is written. The page offers to
// import the good rows.
func (c *Console) importCheck(w http.ResponseWriter, r *http.Request, s session) {
	if c.cfg.Addresses == nil {
		c.importPage(w, r, s)
		return
	}
	d := importData{Available: true, Columns: importer.Columns, Consented: r.PostFormValue("consented") == "on"}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		d.Problem = "Choose a CSV file to check."
		c.render(w, r, http.StatusUnprocessableEntity, "import", "Import subscribers", s, d)
		return
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	d.Name = fileName(hdr.Filename)
	c.check(w, r, s, d, raw)
}

// check parses raw into d and shows the result. A row that is not
// UTF-8 text is one of its problems, like any other.
func (c *Console) check(w http.ResponseWriter, r *http.Request, s session, d importData, raw []byte) {
	plan, err := importer.Parse(bytes.NewReader(raw), c.importOptions(s, d))
	if err != nil {
		d.Problem = err.Error() // the file as a whole: no header, a missing column
		c.render(w, r, http.StatusUnprocessableEntity, "import", "Import subscribers", s, d)
		return
	}
	d.Checked, d.CSV, d.Read, d.Good, d.Problems = true, string(raw), plan.Read, len(plan.Rows), plan.Problems
	c.render(w, r, http.StatusOK, "import", "Import subscribers", s, d)
}

// importOptions are the importer's options for this operator's upload.
func (c *Console) importOptions(s session, d importData) importer.Options {
	return importer.Options{Addresses: c.cfg.Addresses, Hasher: c.cfg.Hasher, Consented: d.Consented,
		Source: d.Name, Operator: s.Operator, Clock: c.cfg.Clock}
}

// fileName is an uploaded file's base name as the consent records name
// it: no directories, at most 100 characters.
func fileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	if name == "." || name == "/" || name == "" {
		return "upload.csv"
	}
	return name
}
