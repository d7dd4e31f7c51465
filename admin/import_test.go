package admin

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/importer/importertest"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// upload posts file as the import form does (multipart), with the page's
// form token.
func (c *client) upload(name string, file []byte, consented bool) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf("/admin/import"))
	if consented {
		mw.WriteField("consented", "on")
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.b.srv.URL+"/admin/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.String()
}

var hiddenCSV = regexp.MustCompile(`name="csv" value="([^"]*)"`)

// TestImportUpload: a CSV of 1,000 rows, 20 of them bad, is checked and
// every bad row shown (line, column); confirming without skipping writes nothing; with
// skipping, the good rows are imported, pending, each with a
// confirmation; a second import adds nobody.
func TestImportUpload(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, func(cfg *Config) {
			cfg.Addresses = web.NewAddressRules(web.Config{SMS: &web.SMSConfig{
				Phones: phones.Rules{DefaultRegion: importertest.Region, Countries: []string{importertest.Region}}}})
		})
		c := b.client(t)
		c.login()
		data, want := importertest.Generate(1000, 20, false)
		kept := bytes.NewBuffer(data)
		n := 1000
		code, page := c.upload(`C:\lists\clients.csv`, kept.Bytes(), false)
		if code != http.StatusOK {
			t.Fatalf("check = %d: %s", code, page[strings.Index(page, "<main>"):])
		}
		if !strings.Contains(page, "clients.csv: "+fmt.Sprint(n)+" rows read") {
			t.Errorf("the check does not say what was read: %.2000s", page)
		}
		problems := strings.Count(page, `<tr><td class="n">`)
		if problems != len(want) {
			t.Errorf("%d bad rows shown, generated %d", problems, len(want))
		}
		for _, p := range want {
			if !strings.Contains(page, fmt.Sprintf(`<tr><td class="n">%d</td><td>%s</td>`, p.Line, p.Column)) {
				t.Errorf("line %d (%s) is not shown as bad", p.Line, p.Column)
			}
		}
		if count(t, db) != 2 {
			t.Fatal("the check wrote something")
		}
		m := hiddenCSV.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no confirmation form")
		}
		csv := html.UnescapeString(m[1])
		code, _, page = c.post("/admin/import", "/admin/import/confirm", url.Values{"name": {"clients.csv"}, "csv": {csv}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Nothing was imported") || count(t, db) != 2 {
			t.Fatalf("confirm with bad rows and no skip = %d, %d subscribers", code, count(t, db))
		}
		code, _, page = c.post("/admin/import", "/admin/import/confirm", url.Values{"name": {"clients.csv"}, "csv": {csv}, "skip_bad": {"on"}})
		good := n - problems
		if code != http.StatusOK || !strings.Contains(page, fmt.Sprintf("Imported: %d imported", good)) {
			t.Fatalf("confirm = %d: %.1500s", code, page)
		}
		subs, err := db.SearchSubscribers(t.Context(), store.SubscriberFilter{Status: steady.StatusPending, Limit: 500})
		if err != nil || len(subs) < min(good, 500) {
			t.Errorf("pending after import: %d, %v", len(subs), err)
		}
		if b.woke.Load() == 0 {
			t.Error("the sender was not woken for the confirmations")
		}
		_, _, page = c.post("/admin/import", "/admin/import/confirm", url.Values{"name": {"clients.csv"}, "csv": {csv}, "skip_bad": {"on"}})
		if !strings.Contains(page, "Imported: 0 imported") || count(t, db) != good+2 {
			t.Errorf("a second import: %d subscribers, want %d", count(t, db), good+2)
		}
		if got := strings.Join(b.auditActions(t), "|"); !strings.Contains(got, fmt.Sprintf("sam import %d subscribers", good)) || !strings.Contains(got, "file clients.csv") {
			t.Errorf("audit: %s", got)
		}
		if code, page := c.upload("x.csv", []byte("name,age\nx,1\n"), false); code != http.StatusUnprocessableEntity || !strings.Contains(page, "banner problem") {
			t.Errorf("a file without the columns = %d", code)
		}
	})
}

func count(t *testing.T, db *store.DB) int {
	t.Helper()
	subs, err := db.ListSubscribers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return len(subs)
}
