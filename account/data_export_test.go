package account_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func checkDownload(t *testing.T, res *http.Response, contentType, ext string) {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, contentType) {
		t.Errorf("Content-Type %q", got)
	}
	if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="my-data-2026-04-11.`+ext+`"`; got != want {
		t.Errorf("Content-Disposition %q, want %q", got, want)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
}

func TestExportJSON(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := dataSetup(t, db)
		sub, s, _ := b.subscriber(t, "export@example.com", "No. He lied to me about the money, json-marker-1", "No. He lied to me and hid the phone, json-marker-2")
		b.subscriber(t, "other@example.com", "other-marker")
		storeSummary(t, db, sub)

		res, page := b.get(t, "/settings/export", s)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `href="/settings/export/my-data.json"`) || !strings.Contains(page, `href="/settings/export/my-data.html"`) {
			t.Fatalf("export page %d:\n%s", res.StatusCode, page)
		}
		res, body := b.get(t, "/settings/export/my-data.json", s)
		checkDownload(t, res, "application/json", "json")
		var ex account.DataExport
		if err := json.Unmarshal([]byte(body), &ex); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, body)
		}
		if ex.Subscriber.ID != sub.ID || ex.Subscriber.Address != "export@example.com" || ex.Subscriber.TimeZone != "Europe/London" {
			t.Errorf("subscriber = %+v", ex.Subscriber)
		}
		if len(ex.Replies) != 2 || ex.Replies[0].Body != "No. He lied to me about the money, json-marker-1" || !strings.HasSuffix(ex.Replies[1].Body, "json-marker-2") {
			t.Errorf("replies = %+v", ex.Replies)
		}
		if len(ex.Consents) != 2 || len(ex.Deliveries) < 2 || ex.Deliveries[len(ex.Deliveries)-1].PromptText == "" {
			t.Errorf("consents %d, deliveries %+v", len(ex.Consents), ex.Deliveries)
		}
		if len(ex.Summaries) != 1 || !strings.Contains(string(ex.Summaries[0].Content), "json-marker-1") {
			t.Errorf("summaries = %d, %s", len(ex.Summaries), body)
		}
		if strings.Contains(body, "other-marker") || strings.Contains(strings.ToLower(body), "token") {
			t.Error("the export holds another subscriber's words, or a token")
		}
		for _, key := range []string{`"exported_at"`, `"safety_notices"`, `"bounces"`, `"preferences"`, `"discreet"`} {
			if !strings.Contains(body, key) {
				t.Errorf("the export lacks %s", key)
			}
		}
	})
}

// The HTML export is one document that loads nothing: no script, style
// sheet, image, frame or link of any kind, and a CSP that forbids them.
func TestExportHTMLIsSelfContained(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := dataSetup(t, db)
		sub, s, _ := b.subscriber(t, "html@example.com", "No. He lied to me about the money, html-marker", `<script src="https://evil.example/x.js"></script><img src=x>`)
		storeSummary(t, db, sub)
		res, body := b.get(t, "/settings/export/my-data.html", s)
		checkDownload(t, res, "text/html", "html")
		for _, want := range []string{"html-marker", "Prompt 1: did you feel heard?", "html@example.com", "March 2026", "Europe/London",
			`&lt;script src=&#34;https://evil.example/x.js&#34;&gt;`} {
			if !strings.Contains(body, want) {
				t.Errorf("the file lacks %q", want)
			}
		}
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		csp := false
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			switch n.Data {
			case "script", "link", "img", "iframe", "object", "embed", "video", "audio", "source", "picture", "form", "base":
				t.Errorf("the file has a <%s>", n.Data)
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "src", "href", "srcset", "action", "background", "poster", "data":
					t.Errorf("<%s %s=%q> points outside the file", n.Data, a.Key, a.Val)
				case "content":
					if strings.Contains(a.Val, "default-src 'none'") {
						csp = true
					}
				}
			}
		}
		if !csp {
			t.Error("no Content-Security-Policy forbidding loads in the file")
		}
		if strings.Contains(body, "url(") || strings.Contains(body, "@import") {
			t.Error("the styles load something")
		}
	})
}
