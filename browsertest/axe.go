package browsertest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core's axe.min.js, vendored (see testdata/axe-core.VERSION
// and go generate) so the tests need no network.
//
//go:embed testdata/axe.min.js
var axeSource string

// AxeViolation is one rule axe-core found broken, with the elements that
// break it.
type AxeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one element that breaks a rule.
type AxeNode struct {
	Target         []string `json:"target"`
	HTML           string   `json:"html"`
	FailureSummary string   `json:"failureSummary"`
}

// Rule sets for AxeViolations: the WCAG 2.x A and AA rules, and those with
// axe's best practices (landmarks, one h1), which pages keep and emails,
// which are not pages, need not.
var (
	AxeWCAG  = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}
	AxePages = append(AxeWCAG[:len(AxeWCAG):len(AxeWCAG)], "best-practice")
)

// axeRun runs axe-core on the document with the rules of the tags (a JSON
// array) and returns its violations. The message frame of the
// outbox is sandboxed without scripts, so frames are left out: they hold
// an email's HTML, not a page of ours.
const axeRun = `axe.run(document, {
	iframes: false,
	resultTypes: ["violations"],
	runOnly: {type: "tag", values: %s}
}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, failureSummary: n.failureSummary || ""}))
})))`

// AxeViolations injects axe-core into the page (once per document) and
// returns what the rules of AxePages find.
func (p *Page) AxeViolations() []AxeViolation {
	p.t.Helper()
	return p.AxeViolationsOf(AxePages)
}

// AxeViolationsOf is AxeViolations with the rules of the tags (AxeWCAG, or
// axe-core's own tags).
func (p *Page) AxeViolationsOf(tags []string) []AxeViolation {
	p.t.Helper()
	if !run(p, "look for axe-core", chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		p.do("inject axe-core", chromedp.Evaluate[chromedp.Void](axeSource))
	}
	js, err := json.Marshal(tags)
	if err != nil {
		p.t.Fatal(err)
	}
	return run(p, "run axe-core", chromedp.Evaluate[[]AxeViolation](fmt.Sprintf(axeRun, js), chromedp.EvalAwaitPromise))
}

// Axe fails the test when axe-core finds any violation on the page,
// listing each rule, its help page and the elements that break it.
func (p *Page) Axe(where string) {
	p.t.Helper()
	vs := p.AxeViolations()
	if len(vs) == 0 {
		return
	}
	p.t.Errorf("browsertest: axe-core found %d accessibility violation(s) on %s (%s):\n%s", len(vs), where, p.url(), FormatViolations(vs))
}

// FormatViolations lists violations one rule a paragraph.
func FormatViolations(vs []AxeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "- %s (%s): %s\n  %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "  at %s: %s\n", strings.Join(n.Target, " "), n.HTML)
			if n.FailureSummary != "" {
				fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(n.FailureSummary, "\n", "\n    "))
			}
		}
	}
	return b.String()
}
