package browsertest

import (
	"strings"
	"testing"

	"github.com/steadyapp/steady/store/storetest"
)

// The sign-up form can be filled by keyboard alone: the first stop is the
// Leave quickly button, then Tab reaches every field in reading order and
// the Sign up button, and only the footer's Staying safe link after it;
// each stop shows that it has the focus (WCAG 2.4.7, which axe-core
// cannot check).
func TestSignUpByKeyboard(t *testing.T) {
	b := needBrowser(t)
	storetest.EachURL(t, func(t *testing.T, url string) {
		t.Parallel()
		app := StartApp(t, storetest.Open(t, url))
		p := b.NewPage(t, app.URL)
		p.Open("/")
		checkTabStops(t, p.TabStops(40))
	})
}

func checkTabStops(t *testing.T, stops []TabStop) {
	t.Helper()
	if len(stops) == 0 {
		t.Fatal("Tab reaches nothing on the sign-up page")
	}

	var names []string
	for _, s := range stops {
		names = append(names, s.String())
		if !s.FocusVisible {
			t.Errorf("%s shows no focus outline", s)
		}
	}
	// Every day is chosen, so the script hides the days of the week and
	// the every-how-many-days box: Tab skips them.
	want := []string{`a "Leave quickly: open a neutral website instead of this page"`, `a "Steady"`, `input "Your email address"`, `input "Your time zone"`, `input "Every day"`,
		`input "At what time of day"`, `button "Sign up"`}
	got := strings.Join(names, "\n")
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("Tab does not reach %s after the stops before it; the stops in order:\n%s", w, got)
		}
		at += i + len(w)
	}
	for _, hidden := range []string{"Monday", "Every how many days"} {
		if strings.Contains(got, hidden) {
			t.Errorf("Tab reaches the hidden %q; the stops:\n%s", hidden, got)
		}
	}
	if first := stops[0]; !strings.HasPrefix(first.String(), `a "Leave quickly`) {
		t.Errorf("the first stop is %s, want Leave quickly; the stops:\n%s", first, got)
	}
	if len(stops) < 2 || stops[len(stops)-2].String() != `button "Sign up"` || stops[len(stops)-1].String() != `a "Staying safe"` {
		t.Errorf("the last stops are not the Sign up button then the footer's Staying safe; the stops:\n%s", got)
	}
}
