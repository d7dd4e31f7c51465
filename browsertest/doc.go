// Package browsertest drives the real Steady app in headless Chromium
// (chromedp) and checks what a person sees: visible text after each step,
// a screenshot of every page at 390 and 1280 px (and 390 px in the dark
// colour scheme), axe-core's accessibility rules on each, and the
// database's state at the end. Flows run on SQLite and PostgreSQL
// (storetest.EachURL).
//
// # Running
//
//	export TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//	STEADY_BROWSER_ARTIFACTS=/tmp/shots go test -count=1 -v ./browsertest
//
// The browser is the first of chromium, chromium-browser, google-chrome
// and google-chrome-stable on PATH, or STEADY_CHROMIUM; without one every
// test skips and says so (apt-get install chromium). One browser serves
// the whole package run (TestMain); each test has a tab in a browser
// context of its own, so its cookies are its own and tests may run in
// parallel. Screenshots go to a folder per test under
// STEADY_BROWSER_ARTIFACTS (.ci/run uses .ci/artifacts), else to a
// t.TempDir(); the test log says where.
//
// axe-core is vendored in testdata/ (MPL-2.0, licence beside it); refresh
// it with go generate ./browsertest.
//
// # Adding a flow
//
// A flow is a test in this package. StartApp gives the app as `steady
// serve` builds it with the preview outbox and a manual clock; nothing runs
// in the background (App.Deliver sends what is queued, App.Tick moves the
// clock and runs the scheduler). Page methods fail the test with what the
// page said:
//
//	func TestSettings(t *testing.T) {
//		b := needBrowser(t)
//		storetest.EachURL(t, func(t *testing.T, url string) {
//			t.Parallel()
//			app := StartApp(t, storetest.Open(t, url))
//			p := b.NewPage(t, app.URL)
//			p.SignUpAndConfirm(app, "kim@example.org") // a subscriber, active
//			p.OpenEmail(app, "kim@example.org", "Your reflection") // newest such email in /outbox
//			p.FollowEmailLink("/settings")                         // the one link starting so
//			p.Heading("Your settings")                             // the h1
//			p.Checkpoint("settings")                               // screenshots + axe
//			p.Check(`input[name=discreet]`)                        // tick a box
//			p.Fill("#program-name", "Notes")                       // type into a field
//			p.Button("Save")                                       // click by visible label, wait for the page
//			p.See("Saved")                                         // visible text
//			// then assert on app.DB (store methods), as flow_test.go does
//		})
//	}
//
// Call Checkpoint once on every new page: it is what keeps each page
// screenshotted and free of axe violations. Page.Link clicks a link by its
// text, Page.ClickAndWait by CSS selector, Page.Open opens a path or URL,
// Page.Text and Page.Links read the page, Page.OpenEmailHTML opens an
// email's HTML as its own page (to click "Your settings" in it), Page.Fetch
// gets a download with the page's cookies, Page.AxeViolations returns what
// axe-core found without failing, and Page.TabStops walks the page with the
// Tab key (keyboard_test.go checks order and visible focus, which axe-core
// cannot).
package browsertest

//go:generate ./update_axe.sh
