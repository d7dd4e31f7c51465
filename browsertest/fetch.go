package browsertest

import (
	"fmt"

	"github.com/chromedp/chromedp"
)

// Fetched is what the page's fetch() of a URL got back.
type Fetched struct {
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	Body        string `json:"body"`
}

// Fetch requests url from the open page with fetch(), with the page's
// cookies, as a download link does, and returns the answer: what a person
// who clicks a link with the download attribute would save.
func (p *Page) Fetch(url string) Fetched {
	p.t.Helper()
	js := fmt.Sprintf(`fetch(%s, {credentials: "same-origin"}).then(async r => ({status: r.status, contentType: r.headers.get("content-type") || "", body: await r.text()}))`, jsString(url))
	return run(p, "fetch "+url, chromedp.Evaluate[Fetched](js, chromedp.EvalAwaitPromise))
}
