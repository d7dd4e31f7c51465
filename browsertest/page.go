package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// EnvArtifacts names the directory screenshots are saved in; without it
// each test uses a t.TempDir() (printed with t.Log).
const EnvArtifacts = "STEADY_BROWSER_ARTIFACTS"

// Widths are the viewport widths every page is checked at: a small phone
// and a laptop.
var Widths = []int64{390, 1280}

// stepTimeout bounds one browser step (a navigation, a click and the page
// load it causes, a wait for text).
const stepTimeout = 20 * time.Second

// Page is one tab of its own browser context (its own cookies), driven by
// one test. Every method fails the test on error, saying what it was doing.
type Page struct {
	t         testing.TB
	ctx       context.Context
	base      string
	artifacts string
	step      int // marks elements found by text
	shot      int // numbers the checkpoints, in order
	width     int64
}

// NewPage opens a tab in a fresh browser context of b for a server at
// base ("http://127.0.0.1:port"), closed when the test ends.
func (b *Browser) NewPage(t testing.TB, base string) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	p := &Page{t: t, ctx: ctx, base: base, artifacts: artifactsDir(t)}
	p.SetWidth(Widths[len(Widths)-1])
	return p
}

// artifactsDir is where t's screenshots go: a folder named for the test
// under STEADY_BROWSER_ARTIFACTS, or a t.TempDir().
func artifactsDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if root := os.Getenv(EnvArtifacts); root != "" {
		dir = filepath.Join(root, regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("browsertest: artifacts: %v", err)
		}
	}
	t.Logf("browsertest: screenshots in %s", dir)
	return dir
}

// do runs steps with the step timeout, failing the test with what on error.
func (p *Page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("browsertest: %s: %v (page %s)", what, err, p.url())
	}
}

// run is do for an action with a value.
func run[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("browsertest: %s: %v", what, err)
	}
	return v
}

// url is the tab's location, for messages.
func (p *Page) url() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	u, _ := chromedp.Run(ctx, chromedp.Location())
	return u
}

// URL is the tab's current location.
func (p *Page) URL() string {
	p.t.Helper()
	return run(p, "read the location", chromedp.Location())
}

// Open loads path (on the server, "/outbox") or a whole URL, as typing it
// into the address bar does, and waits for the page to load.
func (p *Page) Open(pathOrURL string) {
	p.t.Helper()
	u := pathOrURL
	if strings.HasPrefix(u, "/") {
		u = p.base + u
	}
	p.do("open "+pathOrURL, chromedp.Navigate(u))
}

// Fill sets the value of the field matched by the CSS selector sel (what
// a person types; it replaces what was there, e.g. what a script filled in).
func (p *Page) Fill(sel, value string) {
	p.t.Helper()
	p.do("fill "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// Check ticks the checkbox or radio button matched by sel, by clicking it.
func (p *Page) Check(sel string) {
	p.t.Helper()
	p.do("check "+sel, chromedp.Click(chromedp.CSS(sel)))
	if !run(p, "read "+sel, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).checked`, sel))) {
		p.t.Fatalf("browsertest: %s is not checked after a click", sel)
	}
}

// ClickAndWait clicks the element matched by sel (a button, a link) and
// waits for the page it leads to to load.
func (p *Page) ClickAndWait(sel string) {
	p.t.Helper()
	p.do("click "+sel, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))(ctx, t)
		return chromedp.Void{}, err
	})
}

// Button clicks the button whose visible text is label and waits for the
// next page: what a person does, found by what they read.
func (p *Page) Button(label string) {
	p.t.Helper()
	sel := p.findByText("button", label)
	p.ClickAndWait(sel)
}

// Link clicks the link whose visible text contains text and waits for the
// page it opens.
func (p *Page) Link(text string) {
	p.t.Helper()
	p.ClickAndWait(p.findByText("a", text))
}

// findByText marks the first visible element of kind whose text contains
// text with a data attribute and returns a selector for it.
func (p *Page) findByText(kind, text string) string {
	p.t.Helper()
	p.step++
	mark := fmt.Sprintf("bt%d", p.step)
	js := fmt.Sprintf(`(() => {
		for (const el of document.querySelectorAll(%q)) {
			if (el.offsetParent !== null && el.innerText.includes(%q)) { el.setAttribute("data-browsertest", %q); return true; }
		}
		return false;
	})()`, kind, text, mark)
	if !run(p, "look for "+kind+" "+text, chromedp.Evaluate[bool](js)) {
		p.t.Fatalf("browsertest: no visible %s with the text %q on %s; the page says:\n%s", kind, text, p.url(), p.Text())
	}
	return fmt.Sprintf(`[data-browsertest=%q]`, mark)
}

// Text is what the page shows (document.body.innerText).
func (p *Page) Text() string {
	p.t.Helper()
	return run(p, "read the page", chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
}

// See fails the test unless the page shows every one of texts (visible
// text, not markup).
func (p *Page) See(texts ...string) {
	p.t.Helper()
	body := p.Text()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			p.t.Fatalf("browsertest: %s does not show %q; it says:\n%s", p.url(), s, body)
		}
	}
}

// Heading fails the test unless the page's h1 reads want.
func (p *Page) Heading(want string) {
	p.t.Helper()
	got := run(p, "read the h1", chromedp.Evaluate[string](`(document.querySelector("h1") || {innerText: ""}).innerText.trim()`))
	if got != want {
		p.t.Fatalf("browsertest: %s has the heading %q, want %q; it says:\n%s", p.url(), got, want, p.Text())
	}
}

// Links returns the href of every link on the page that starts with
// prefix (a path on the server, "/confirm", or a whole URL).
func (p *Page) Links(prefix string) []string {
	p.t.Helper()
	if strings.HasPrefix(prefix, "/") {
		prefix = p.base + prefix
	}
	all := run(p, "read the links", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href]"), a => a.href)`))
	var out []string
	for _, h := range all {
		if strings.HasPrefix(h, prefix) {
			out = append(out, h)
		}
	}
	return out
}

// Checkpoint checks the page the way every page is checked: a screenshot at
// each of Widths saved as NN-name-WIDTH.png and axe-core run at each width,
// then once more at the first width in the dark colour scheme (its
// contrast), saved as NN-name-WIDTH-dark.png; any violation fails the test.
func (p *Page) Checkpoint(name string) {
	p.t.Helper()
	p.shot++
	for _, w := range Widths {
		p.SetWidth(w)
		p.Screenshot(fmt.Sprintf("%02d-%s-%d", p.shot, name, w))
		p.Axe(fmt.Sprintf("%s at %d px", name, w))
	}
	p.SetWidth(Widths[0])
	p.colorScheme("dark")
	p.Screenshot(fmt.Sprintf("%02d-%s-%d-dark", p.shot, name, Widths[0]))
	p.Axe(fmt.Sprintf("%s at %d px, dark", name, Widths[0]))
	p.colorScheme("light")
	p.SetWidth(Widths[len(Widths)-1])
}

// viewportHeight is the height of the emulated window.
const viewportHeight = 800

// SetWidth makes the viewport w CSS pixels wide (and 800 high).
func (p *Page) SetWidth(w int64) {
	p.t.Helper()
	p.do(fmt.Sprintf("set the width to %d", w), chromedp.EmulateViewport(w, viewportHeight))
	p.width = w
}

// colorScheme makes the page's prefers-color-scheme scheme ("light", "dark").
func (p *Page) colorScheme(scheme string) {
	p.t.Helper()
	p.do("prefer the "+scheme+" colour scheme", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

// Screenshot saves the whole page as name.png in the artifacts directory.
// It makes the viewport as tall as the page for the shot, since Chromium
// leaves a frame blank (the outbox's message) when it captures beyond the
// viewport.
func (p *Page) Screenshot(name string) {
	p.t.Helper()
	h := run(p, "measure the page", chromedp.Evaluate[int64](`Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.scrollHeight))`))
	p.do("grow the viewport", chromedp.EmulateViewport(p.width, max(h, viewportHeight)))
	png := run(p, "screenshot "+name, chromedp.CaptureScreenshot())
	p.SetWidth(p.width)
	file := filepath.Join(p.artifacts, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.t.Fatalf("browsertest: save %s: %v", file, err)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string { return fmt.Sprintf("%q", s) }

func itoa(n int) string { return fmt.Sprint(n) }

func evalBool(js string) chromedp.Action[bool] { return chromedp.Evaluate[bool](js) }

func evalString(js string) chromedp.Action[string] { return chromedp.Evaluate[string](js) }
