package browsertest

import (
	"strings"
	"testing"

	"github.com/steadyapp/steady/store/storetest"
)

// The privacy and Staying safe pages, reached from the sign-up page, pass
// axe-core at both widths and in the dark scheme; Leave quickly is the
// first Tab stop on each, and the support lines of /safety are tap-to-call
// links.
func TestPrivacyAndSafety(t *testing.T) {
	b := needBrowser(t)
	storetest.EachURL(t, func(t *testing.T, url string) {
		t.Parallel()
		app := StartApp(t, storetest.Open(t, url))
		p := b.NewPage(t, app.URL)

		p.Open("/")
		p.Link("How your information is kept")
		p.Heading("How your information is kept")
		p.Checkpoint("privacy")
		firstStopLeaves(t, p, "/privacy")

		p.Open("/")
		p.Link("Staying safe")
		p.Heading("Staying safe")
		p.See("Leave quickly", "Discreet mode", "People who can help")
		p.Checkpoint("safety")
		firstStopLeaves(t, p, "/safety")
		if tel := p.Links("tel:"); len(tel) == 0 {
			t.Errorf("/safety has no tel: link; it says:\n%s", p.Text())
		}
	})
}

// firstStopLeaves fails t unless the first Tab stop of the open page is the
// Leave quickly button.
func firstStopLeaves(t *testing.T, p *Page, page string) {
	t.Helper()
	if stops := p.TabStops(1); len(stops) == 0 || !strings.HasPrefix(stops[0].String(), `a "Leave quickly`) || !stops[0].FocusVisible {
		t.Errorf("the first Tab stop on %s is %v, want Leave quickly, visibly focused", page, stops)
	}
}
