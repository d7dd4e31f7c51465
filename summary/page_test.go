package summary

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The web page behind the signed link renders the same data as the email.
func TestSummaryPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		sub := b.subscribe(t, "page@example.org", "Europe/London", 8, steady.ChannelEmail)
		b.reply(t, sub, time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC), "he lied about the money")
		b.reply(t, sub, time.Date(2026, 11, 17, 12, 0, 0, 0, time.UTC), "he lied again, and he listened to me for once")
		svc := b.service(t)
		res, err := svc.Send(context.Background(), sub, Month{2026, time.November}, false)
		if err != nil || res.Outcome != OutcomeSent {
			t.Fatalf("send: %v %v", res.Outcome, err)
		}
		pages := &Pages{Store: db, Links: b.links, Renderer: svc.Renderer(), ProgramName: "Harbor", LeaveURL: "https://weather.example/"}
		mux := http.NewServeMux()
		mux.HandleFunc("GET /summary", pages.ServePage)
		mux.HandleFunc("GET /summary/chart.png", pages.ServeChart)
		srv := httptest.NewServer(mux)
		defer srv.Close()
		get := func(url string) (int, string, []byte) {
			resp, err := http.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header.Get("Content-Type"), body
		}
		page := strings.Replace(b.links.SummaryURL(res.Record.ID), "https://steady.example", srv.URL, 1)
		code, _, body := get(page)
		if code != http.StatusOK {
			t.Fatalf("page: %d %s", code, body)
		}
		if !strings.Contains(string(body), `id="leave-quickly" href="https://weather.example/" rel="noreferrer"`) || strings.Contains(string(body), "Steady") {
			t.Errorf("the summary page lacks Leave quickly, or says Steady when renamed:\n%s", body)
		}
		mail := b.previews(t, sub.Address)[0]
		for _, want := range []string{"Your summary for November 2026", "Honesty: twice", "he lied about the money",
			"Signs of support", "/unsubscribe?t=", "/summary/chart.png?t="} {
			if !strings.Contains(string(body), want) {
				t.Errorf("page lacks %q", want)
			}
			if want != "/summary/chart.png?t=" && !strings.Contains(mail.HTML, want) {
				t.Errorf("email lacks %q", want)
			}
		}
		if !strings.Contains(string(body), "<title>Your Harbor summary for November 2026</title>") {
			t.Errorf("the page of a subscriber who is not discreet lacks its full title")
		}
		// Turned discreet after the summary was sent, the page follows:
		// its title is what browser tabs and history show.
		if _, err := db.SetPreferences(context.Background(), sub.ID, steady.Preferences{Discreet: true}); err != nil {
			t.Fatal(err)
		}
		if _, _, body := get(page); !strings.Contains(string(body), "<title>Your check-in</title>") ||
			!strings.Contains(string(body), "Your check-in for November 2026") || strings.Contains(string(body), "summary for") {
			t.Errorf("a discreet subscriber's page is not titled as a check-in:\n%s", body)
		}
		if _, err := db.SetPreferences(context.Background(), sub.ID, steady.Preferences{}); err != nil {
			t.Fatal(err)
		}
		code, ct, img := get(strings.Replace(page, "/summary?", "/summary/chart.png?", 1))
		if code != http.StatusOK || ct != "image/png" {
			t.Fatalf("chart: %d %s", code, ct)
		}
		if cfg, err := png.DecodeConfig(bytes.NewReader(img)); err != nil || cfg.Width != ChartWidth || cfg.Height != ChartHeight {
			t.Errorf("chart: %+v %v", cfg, err)
		}
		for _, bad := range []string{srv.URL + "/summary?t=nonsense", srv.URL + "/summary",
			srv.URL + "/summary?t=" + b.links.Token('u', res.Record.ID)} {
			code, _, body := get(bad)
			if code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", bad, code)
			}
			// A public page: the Leave quickly button, the programme's name.
			if !strings.Contains(string(body), `id="leave-quickly" href="https://weather.example/" rel="noreferrer"`) ||
				strings.Contains(string(body), "Steady") || !strings.Contains(string(body), "<title>Harbor</title>") {
				t.Errorf("%s: the error page lacks Leave quickly or the programme's name:\n%s", bad, body)
			}
		}
		b.clock.Set(now.Add(401 * 24 * time.Hour))
		if code, _, _ := get(page); code != http.StatusGone {
			t.Errorf("expired link: %d, want 410", code)
		}
	})
}
