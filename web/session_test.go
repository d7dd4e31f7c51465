package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/summary"
	"github.com/steadyapp/steady/web"
)

// browser is an HTTP client on the bundle's server: with a cookie jar
// (cookies on) or without (cookies refused); it follows redirects and
// counts them.
type browser struct {
	b         *bundle
	c         *http.Client
	redirects int
}

func (b *bundle) browser(cookies bool) *browser {
	br := &browser{b: b}
	br.c = &http.Client{Transport: b.client.Transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		br.redirects++
		if br.redirects > 5 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	if cookies {
		jar, err := cookiejar.New(nil)
		if err != nil {
			b.t.Fatal(err)
		}
		br.c.Jar = jar
	}
	return br
}

// open GETs a link and returns the final answer and URL.
func (br *browser) open(link string) (response, *url.URL) {
	br.b.t.Helper()
	br.redirects = 0
	res, err := br.c.Get(br.b.url + pathOf(br.b.t, link))
	if err != nil {
		br.b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(body)}, res.Request.URL
}

func (br *browser) postForm(path string, v url.Values) response {
	br.b.t.Helper()
	res, err := br.c.PostForm(br.b.url+path, v)
	if err != nil {
		br.b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

var hiddenTRE = regexp.MustCompile(`name="t" value="([a-z2-7]+)"`)

// hiddenT is the value of the page's hidden t field.
func hiddenT(t *testing.T, page string) string {
	t.Helper()
	m := hiddenTRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no hidden t field in the page:\n%s", page)
	}
	return m[1]
}

// firstAnswer GETs a link without following the redirect.
func (b *bundle) firstAnswer(link string) *http.Response {
	b.t.Helper()
	c := &http.Client{Transport: b.client.Transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	res, err := c.Get(b.url + pathOf(b.t, link))
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// withSummaries serves summary pages through the server, as cmd/steady
// wires them, and returns a function that stores a summary of October
// 2026 for a subscriber.
func withSummaries(db *store.DB, svc **summary.Service) option {
	return func(c *web.Config) {
		s, err := summary.New(summary.Config{Store: db, Sender: messages.NewPreviewSender(db, c.Clock), Links: c.Links, Clock: c.Clock})
		if err != nil {
			panic(err)
		}
		pages := &summary.Pages{Store: db, Links: c.Links, Renderer: s.Renderer()}
		c.SummaryPage, c.SummaryChart = pages.ServePage, pages.ServeChart
		*svc = s
	}
}

const redFlag = "he lied about the money again"

// summarized stores sub's October summary (quoting one red flag) and
// returns its link.
func (b *bundle) summarized(svc *summary.Service, sub steady.Subscriber) string {
	b.t.Helper()
	ctx := context.Background()
	if _, _, err := b.db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelWeb, Body: redFlag,
		ReceivedAt: time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC), SourceID: "test-red-flag"}); err != nil {
		b.t.Fatal(err)
	}
	d, err := svc.BuildFor(ctx, sub, summary.Month{Year: 2026, Month: time.October})
	if err != nil {
		b.t.Fatal(err)
	}
	data, err := json.Marshal(d)
	if err != nil {
		b.t.Fatal(err)
	}
	rec, _, err := b.db.ClaimSummary(ctx, sub.ID, "2026-10", sub.Channel, data, b.clock.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	return b.links.SummaryURL(rec.ID)
}

// Opening a link answers 303 to the page without the token and sets a
// signed session cookie for that page alone; the page then renders from
// the cookie, its form still works, and the link's token is nowhere in it.
func TestLinkOpensASessionCookie(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.subscribe("ann@example.org")
		link := b.links.ConfirmURL(sub)

		first := b.firstAnswer(link)
		loc, err := first.Location()
		if first.StatusCode != http.StatusSeeOther || err != nil || loc.Path != "/confirm" || loc.Query().Has("t") {
			t.Fatalf("first answer: %d, Location %v (%v); want 303 to /confirm without t", first.StatusCode, loc, err)
		}
		if got := first.Header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("Referrer-Policy %q", got)
		}
		cookies := first.Cookies()
		if len(cookies) != 1 {
			t.Fatalf("cookies: %v", cookies)
		}
		c := cookies[0]
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/confirm" || c.Secure ||
			c.MaxAge <= 0 || c.MaxAge > 3600 || c.Value == "" || strings.Contains(c.Value, tokenOf(t, link)) {
			t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/confirm, not Secure on http, at most an hour, not the token", c)
		}

		br := b.browser(true)
		page, final := br.open(link)
		if page.status != http.StatusOK || !strings.Contains(page.body, ConfirmButton) {
			t.Fatalf("page: %d %s", page.status, page.body)
		}
		if final.Path != "/confirm" || final.RawQuery != "" {
			t.Errorf("the address bar shows %s, want the bare /confirm", final)
		}
		if strings.Contains(page.body, tokenOf(t, link)) {
			t.Error("the page carries the link's token")
		}
		// Reloading the bare page reads the cookie.
		again, _ := br.open(b.url + "/confirm")
		if again.status != http.StatusOK || !strings.Contains(again.body, ConfirmButton) {
			t.Errorf("reload: %d %s", again.status, again.body)
		}
		res := br.postForm("/confirm", url.Values{"t": {hiddenT(t, page.body)}})
		if res.status != http.StatusOK || !strings.Contains(res.body, "Your first prompt will arrive") {
			t.Fatalf("confirm from the page: %d %s", res.status, res.body)
		}
		if got := b.subscriber("ann@example.org").Status; got != steady.StatusActive {
			t.Errorf("status %s after confirming", got)
		}
	})
}

// ConfirmButton is the confirm page's button text.
const ConfirmButton = web.ConfirmWording

// The unsubscribe, reply and summary pages work the same way, and the
// summary's chart is served from the cookie.
func TestEveryLinkPageRendersFromItsCookie(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var svc *summary.Service
		b := setup(t, db, withSummaries(db, &svc))
		sub, d := b.prompted("bo@example.org")
		summaryLink := b.summarized(svc, sub)
		br := b.browser(true)
		for _, tc := range []struct{ link, path, want string }{
			{b.links.UnsubscribeURL(sub), "/unsubscribe", web.UnsubscribeWording},
			{b.links.ReplyURL(d), "/reply", promptText},
			{summaryLink, "/summary", "Your summary for October 2026"},
		} {
			page, final := br.open(tc.link)
			if page.status != http.StatusOK || !strings.Contains(page.body, tc.want) {
				t.Errorf("%s: %d %s", tc.path, page.status, page.body)
				continue
			}
			if final.Path != tc.path || final.RawQuery != "" {
				t.Errorf("%s: the address bar shows %s", tc.path, final)
			}
			if strings.Contains(page.body, tokenOf(t, tc.link)) {
				t.Errorf("%s: the page carries the link's token", tc.path)
			}
		}
		chart, err := br.c.Get(b.url + "/summary/chart.png")
		if err != nil {
			t.Fatal(err)
		}
		chart.Body.Close()
		if chart.StatusCode != http.StatusOK || chart.Header.Get("Content-Type") != "image/png" {
			t.Errorf("chart from the cookie: %d %s", chart.StatusCode, chart.Header.Get("Content-Type"))
		}
		if res, err := b.client.Get(b.url + "/summary/chart.png"); err != nil || res.StatusCode == http.StatusOK {
			t.Errorf("chart without cookie or token: %v %v", res.StatusCode, err)
		}
		// The reply form posts from the page.
		page, _ := br.open(b.links.ReplyURL(d))
		res := br.postForm("/reply", url.Values{"t": {hiddenT(t, page.body)}, "nonce": {nonceIn(t, page.body)}, "reply": {"YES"}})
		if res.status != http.StatusOK {
			t.Errorf("reply from the page: %d %s", res.status, res.body)
		}
	})
}

// With an https base URL the cookie is Secure.
func TestSessionCookieIsSecureOnHTTPS(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.subscribe("cy@example.org")
		l, err := links.New("https://steady.example.org", "steady@example.org", secret, b.clock)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := web.New(web.Config{Store: db, Links: l, Clock: b.clock})
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, pathOf(t, l.ConfirmURL(sub)), nil))
		cookies := w.Result().Cookies()
		if w.Code != http.StatusSeeOther || len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
			t.Errorf("https: %d, cookies %+v", w.Code, cookies)
		}
	})
}

// A browser that refuses cookies is redirected once, then served the page
// with the session in its form (and chart), not sent round in a loop.
func TestLinkPagesWorkWithoutCookies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var svc *summary.Service
		b := setup(t, db, withSummaries(db, &svc))
		sub, d := b.prompted("di@example.org")
		br := b.browser(false)

		page, final := br.open(b.links.ReplyURL(d))
		if page.status != http.StatusOK || br.redirects != 1 || !strings.Contains(page.body, promptText) {
			t.Fatalf("reply page without cookies: %d after %d redirects: %s", page.status, br.redirects, page.body)
		}
		if final.Query().Has("t") {
			t.Errorf("the address bar still shows the link's token: %s", final)
		}
		res := br.postForm("/reply", url.Values{"t": {hiddenT(t, page.body)}, "nonce": {nonceIn(t, page.body)}, "reply": {"NO"}})
		if res.status != http.StatusOK {
			t.Errorf("reply without cookies: %d %s", res.status, res.body)
		}

		summaryPage, _ := br.open(b.summarized(svc, sub))
		if summaryPage.status != http.StatusOK || br.redirects != 1 {
			t.Fatalf("summary without cookies: %d after %d redirects", summaryPage.status, br.redirects)
		}
		src := regexp.MustCompile(`<img src="([^"]+)"`).FindStringSubmatch(summaryPage.body)
		if src == nil {
			t.Fatalf("no chart in the page:\n%s", summaryPage.body)
		}
		chart, err := br.c.Get(strings.ReplaceAll(src[1], "&amp;", "&"))
		if err != nil {
			t.Fatal(err)
		}
		chart.Body.Close()
		if chart.StatusCode != http.StatusOK || chart.Header.Get("Content-Type") != "image/png" {
			t.Errorf("chart without cookies (%s): %d", src[1], chart.StatusCode)
		}

		page, _ = br.open(b.links.UnsubscribeURL(sub))
		if page.status != http.StatusOK || br.redirects != 1 {
			t.Fatalf("unsubscribe page without cookies: %d after %d redirects", page.status, br.redirects)
		}
		res = br.postForm("/unsubscribe", url.Values{"t": {hiddenT(t, page.body)}})
		if res.status != http.StatusOK || b.subscriber("di@example.org").Status != steady.StatusUnsubscribed {
			t.Errorf("unsubscribe without cookies: %d %s", res.status, res.body)
		}
	})
}

// A session lasts an hour; after that the page asks for the link again
// and keeps what was written.
func TestSessionExpires(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		_, d := b.prompted("ed@example.org")
		br := b.browser(true)
		page, _ := br.open(b.links.ReplyURL(d))
		if page.status != http.StatusOK {
			t.Fatalf("reply page: %d", page.status)
		}
		b.clock.Advance(links.SessionTTL + time.Minute)
		if again, _ := br.open(b.url + "/reply"); again.status != http.StatusGone || strings.Contains(again.body, promptText) {
			t.Errorf("an hour later: %d %s", again.status, again.body)
		}
		res := br.postForm("/reply", url.Values{"t": {hiddenT(t, page.body)}, "nonce": {nonceIn(t, page.body)}, "reply": {"a long thought"}})
		if res.status != http.StatusGone || !strings.Contains(res.body, "a long thought") {
			t.Errorf("posting an hour later: %d %s", res.status, res.body)
		}
		// The link itself still opens the page afresh.
		if fresh, _ := br.open(b.links.ReplyURL(d)); fresh.status != http.StatusOK {
			t.Errorf("the link again: %d", fresh.status)
		}
	})
}
