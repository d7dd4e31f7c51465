package summary

import (
	"strings"
	"testing"
)

func TestContactURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"call 1-800-799-7233":  "tel:18007997233",
		"call 0808 2000 247":   "tel:08082000247",
		"text START to 88788":  "sms:88788",
		"text 0458 737 732":    "sms:0458737732",
		"call 911":             "tel:911",
		"+44 808 2000 247":     "tel:+448082000247",
		"https://example.org/": "",
		"ask a friend":         "",
		"call 12":              "",
	} {
		if got := string(ContactURL(in)); got != want {
			t.Errorf("ContactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// The web page links hotline numbers for a phone, offers unsubscribing and
// follows the reader's dark mode; the email keeps its light inline styles.
func TestSummaryPageLinksAndDarkMode(t *testing.T) {
	t.Parallel()
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	res, _ := ResourcesFor("uk")
	d := Data{Title: "November 2026", Replies: 2, Safety: &Item{Theme: "safety", Name: "Safety", Count: 1}, Resources: res}
	page, err := r.Render(d, Links{ChartSrc: "/summary/chart.png?t=x", UnsubscribeURL: "https://s.example/unsubscribe?t=u", Page: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="tel:08082000247"`, `href="tel:999"`, `href="https://s.example/unsubscribe?t=u"`, "prefers-color-scheme: dark"} {
		if !strings.Contains(page.HTML, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	mail, err := r.Render(d, Links{ChartSrc: "cid:chart"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(mail.HTML, "prefers-color-scheme") {
		t.Error("the email carries the page's dark-mode style")
	}
}
