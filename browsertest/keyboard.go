package browsertest

import (
	"fmt"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TabStop is one place the Tab key reaches: what it is and whether a
// person can see that it has the focus.
type TabStop struct {
	Tag  string `json:"tag"`  // "a", "input", "button", ...
	Name string `json:"name"` // its label, aria-label or text
	// FocusVisible: it shows an outline (or a box shadow) while focused,
	// or the focus is on a part the browser draws inside it (the clock
	// button of a time field), which has the browser's own focus ring.
	FocusVisible bool `json:"focusVisible"`
}

func (s TabStop) String() string { return fmt.Sprintf("%s %q", s.Tag, s.Name) }

// describeFocus reads the focused element as a TabStop, or null when the
// focus is on the page itself.
const describeFocus = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body || el === document.documentElement) return null;
	const label = (el.labels && el.labels.length) ? el.labels[0].innerText
		: (el.getAttribute("aria-label") || el.innerText || el.value || "");
	const cs = getComputedStyle(el);
	const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
	const inner = !el.matches(":focus") && el.matches(":focus-within");
	return {tag: el.tagName.toLowerCase(), name: label.trim().replace(/\s+/g, " "), focusVisible: outline || cs.boxShadow !== "none" || inner};
})()`

// TabStops presses Tab from the top of the page until the focus leaves the
// page (or limit presses) and returns each stop in order: the keyboard
// path through the page, as a person who cannot use a mouse meets it.
func (p *Page) TabStops(limit int) []TabStop {
	p.t.Helper()
	p.do("focus the top of the page", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`))
	var stops []TabStop
	for range limit {
		p.do("press Tab", chromedp.KeyEvent(kb.Tab))
		s := run(p, "read the focus", chromedp.Evaluate[*TabStop](describeFocus))
		if s == nil {
			break
		}
		stops = append(stops, *s)
	}
	return stops
}
