package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// OpenEmail delivers what is queued, opens the preview outbox and then the
// newest message to to whose subject contains subject, as a person reading
// their mail would; it fails the test when there is none.
func (p *Page) OpenEmail(a *App, to, subject string) {
	p.t.Helper()
	a.Deliver()
	p.Open("/outbox")
	p.Heading("Outbox")
	mark := p.findRow(to, subject)
	p.ClickAndWait(mark)
	p.See(to)
}

// findRow marks the link of the first (newest) outbox row to to whose
// subject contains subject.
func (p *Page) findRow(to, subject string) string {
	p.t.Helper()
	p.step++
	js := `(() => {
		for (const tr of document.querySelectorAll("tbody tr")) {
			const cells = tr.querySelectorAll("td");
			const a = tr.querySelector("a");
			if (cells.length && a && cells[0].innerText.trim() === ` + jsString(to) + ` && a.innerText.includes(` + jsString(subject) + `)) {
				a.setAttribute("data-browsertest", "row` + itoa(p.step) + `"); return true;
			}
		}
		return false;
	})()`
	if !run(p, "look for the email", evalBool(js)) {
		p.t.Fatalf("browsertest: the outbox has no email to %s with %q in its subject; it shows:\n%s", to, subject, p.Text())
	}
	return `[data-browsertest="row` + itoa(p.step) + `"]`
}

// FollowEmailLink clicks the link of the open outbox message that starts
// with prefix ("/confirm", "/reply", "/unsubscribe"), as a person clicking
// it in their mail, and waits for the page it opens. Exactly one such link
// must be there.
func (p *Page) FollowEmailLink(prefix string) {
	p.t.Helper()
	found := p.Links(prefix)
	seen := map[string]bool{}
	for _, l := range found {
		seen[l] = true
	}
	if len(seen) != 1 {
		p.t.Fatalf("browsertest: want one link starting %s in the email, found %d: %s\n%s", prefix, len(seen), strings.Join(found, " "), p.Text())
	}
	p.Open(found[0])
}

// CheckEmails delivers what is queued and opens the HTML of every email in
// the outbox as a page of its
// own, saves a screenshot of it at each of Widths (email-NN-WIDTH.png) and
// fails the test on any WCAG violation axe-core finds in it (AxeWCAG: an
// email is not a page, so landmarks and a single h1 are not asked for).
func (p *Page) CheckEmails(a *App) {
	p.t.Helper()
	a.Deliver()
	list, err := a.DB.Previews(context.Background(), 200)
	if err != nil {
		p.t.Fatalf("browsertest: read the outbox: %v", err)
	}
	for _, m := range list {
		if m.HTML == "" {
			continue
		}
		p.Open("data:text/html;charset=utf-8," + url.PathEscape(m.HTML))
		for _, w := range Widths {
			p.SetWidth(w)
			p.Screenshot(fmt.Sprintf("email-%02d-%d", m.ID, w))
			if vs := p.AxeViolationsOf(AxeWCAG); len(vs) > 0 {
				p.t.Errorf("browsertest: axe-core found %d accessibility violation(s) in the email %q at %d px:\n%s", len(vs), m.Subject, w, FormatViolations(vs))
			}
		}
	}
	p.SetWidth(Widths[len(Widths)-1])
}

// OpenEmailHTML delivers what is queued and opens the HTML part of the
// newest email to to whose subject contains subject as a page of its own,
// as a mail program shows it, so a test can click its links by their text
// (Page.Link "Your settings"); it fails the test when there is none.
func (p *Page) OpenEmailHTML(a *App, to, subject string) {
	p.t.Helper()
	a.Deliver()
	list, err := a.DB.Previews(context.Background(), 200)
	if err != nil {
		p.t.Fatalf("browsertest: read the outbox: %v", err)
	}
	for _, m := range list {
		if m.To == to && strings.Contains(m.Subject, subject) && m.HTML != "" {
			p.Open("data:text/html;charset=utf-8," + url.PathEscape(m.HTML))
			return
		}
	}
	p.t.Fatalf("browsertest: the outbox has no HTML email to %s with %q in its subject", to, subject)
}
