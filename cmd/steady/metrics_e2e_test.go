package main

import (
	"context"
	"github.com/steadyapp/steady/sealed"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// scrapeMetrics GETs u (a /metrics URL), with the API key when key is
// set, and parses the exposition.
func scrapeMetrics(t *testing.T, u, key string) map[string]*dto.MetricFamily {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the exposition does not parse: %v", err)
	}
	return fams
}

// counter is the value of the counter name whose one label is label=value.
func counter(t *testing.T, fams map[string]*dto.MetricFamily, name, label, value string) float64 {
	t.Helper()
	for _, m := range fams[name].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == label && l.GetValue() == value && len(m.GetLabel()) == 1 {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no series %s{%s=%q}", name, label, value)
	return 0
}

// TestMetricsOnTheMainListener runs the whole program: /metrics answers
// only with an API key, and its counters follow a sign-up, its
// confirmation, a reply over HTTP and a refused sign-up. /readyz says
// ready.
func TestMetricsOnTheMainListener(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mail := smtptest.Start(t)
		r := startApp(t, db, steady.NewManualClock(time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)), map[string]string{
			"STEADY_SMTP_URL": mail.URL(), "STEADY_FROM": "Steady <steady@example.org>", "STEADY_LIMIT_PER_IP": "1",
		})
		ctx := context.Background()
		metricsURL := r.listenURL + "/metrics"

		for _, auth := range []string{"", "Bearer stdy_not-a-key", "Basic c3RlYWR5OnN0ZWFkeQ=="} {
			req, _ := http.NewRequest(http.MethodGet, metricsURL, nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized || strings.Contains(string(body), "steady_") {
				t.Errorf("/metrics with Authorization %q: %d %s; want 401 and no metrics", auth, resp.StatusCode, body)
			}
		}
		key, _, err := (&apikeys.Keys{Store: db, Clock: r.clock}).Create(ctx, "prometheus")
		if err != nil {
			t.Fatal(err)
		}
		fams := scrapeMetrics(t, metricsURL, key)
		if v := counter(t, fams, "steady_signups_requested_total", "channel", "email"); v != 0 {
			t.Fatalf("before any sign-up: %v", v)
		}

		// Sign up; the confirmation goes out over SMTP; confirm it.
		resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"email":"kim@example.org","timezone":"UTC","cadence":"daily","time":"20:00"}`)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("subscribe: %d %s", resp.StatusCode, readAll(t, resp))
		}
		confirmURL := findLink(t, parseMail(t, mail.WaitMessages(t, 1, 10*time.Second)[0]).text, r.baseURL+"/confirm")
		if resp := postForm(t, r.baseURL+"/confirm", url.Values{"t": {mustQuery(t, confirmURL, "t")}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm: %d %s", resp.StatusCode, readAll(t, resp))
		}
		// The prompt at 20:00, answered on the reply page.
		r.clock.Set(time.Date(2026, 11, 26, 20, 1, 0, 0, time.UTC))
		if n, err := r.app.scheduler.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("tick: %d, %v", n, err)
		}
		replyURL := findLink(t, parseMail(t, mail.WaitMessages(t, 2, 10*time.Second)[1]).text, r.baseURL+"/reply")
		page := readAll(t, get(t, replyURL))
		nonce := regexp.MustCompile(`name="nonce" value="([^"]+)"`).FindStringSubmatch(page)
		if nonce == nil {
			t.Fatalf("reply page has no nonce:\n%s", page)
		}
		form := url.Values{"t": {mustQuery(t, replyURL, "t")}, "nonce": {nonce[1]}, "reply": {"We walked by the river."}}
		for range 2 { // a double click is one reply
			if resp := postForm(t, r.baseURL+"/reply", form); resp.StatusCode != http.StatusOK {
				t.Fatalf("reply: %d %s", resp.StatusCode, readAll(t, resp))
			}
		}
		eventually(t, "the prompt is counted as sent", func() bool {
			return promptsSent(t, scrapeMetrics(t, metricsURL, key)) == 1
		})
		// One sign-up from this IP an hour: the second is refused.
		post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"email":"lee@example.org","timezone":"UTC","cadence":"daily","time":"20:00"}`)
		if resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"email":"max@example.org","timezone":"UTC","cadence":"daily","time":"20:00"}`); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("third sign-up: %d, want 429", resp.StatusCode)
		}

		fams = scrapeMetrics(t, metricsURL, key)
		for _, c := range []struct {
			name, label, value string
			want               float64
		}{
			{"steady_signups_requested_total", "channel", "email", 2},
			{"steady_signups_confirmed_total", "channel", "email", 1},
			{"steady_replies_total", "channel", "web", 1},
			{"steady_replies_total", "channel", "email", 0},
			{"steady_rate_limit_refusals_total", "scope", "ip", 1},
		} {
			if v := counter(t, fams, c.name, c.label, c.value); v != c.want {
				t.Errorf("%s{%s=%q} = %v, want %v", c.name, c.label, c.value, v, c.want)
			}
		}
		// After real sends to real addresses, no label value holds one.
		for name, f := range fams {
			for _, m := range f.GetMetric() {
				for _, l := range m.GetLabel() {
					if v := l.GetValue(); strings.Contains(v, "@") || regexp.MustCompile(`\d{7,}`).MatchString(v) {
						t.Errorf("%s{%s=%q} looks like an address", name, l.GetName(), v)
					}
				}
			}
		}
		if resp := get(t, r.listenURL+"/readyz"); resp.StatusCode != http.StatusOK || strings.TrimSpace(readAll(t, resp)) != "ready" {
			t.Errorf("/readyz: %d", resp.StatusCode)
		}
	})
}

// promptsSent is steady_prompts_total{channel="email",outcome="sent"}.
func promptsSent(t *testing.T, fams map[string]*dto.MetricFamily) float64 {
	t.Helper()
	for _, m := range fams["steady_prompts_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["channel"] == "email" && labels["outcome"] == "sent" {
			return m.GetCounter().GetValue()
		}
	}
	t.Fatal("no steady_prompts_total{channel=email,outcome=sent}")
	return 0
}

// TestServeWithMetricsAddr runs `steady serve --metrics-addr` as the
// binary does: the separate listener serves /metrics without a key, and
// the main listener then has no /metrics at all.
func TestServeWithMetricsAddr(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		mainAddr, metricsAddr := freeAddr(t), freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		var out, errOut lockedBuffer
		// The key file goes in the test's own directory: left to its
		// default, a PostgreSQL serve writes ./steady.key into the package
		// directory, where later tests would find it.
		keyFile := filepath.Join(t.TempDir(), "steady.key")
		if err := os.WriteFile(keyFile, []byte(sealed.Generate().Line()+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		e := env{
			getenv: func(k string) string {
				return map[string]string{"STEADY_DATABASE_URL": dbURL, "STEADY_METRICS_ADDR": metricsAddr, "STEADY_LOG_FORMAT": "json",
					"STEADY_ENCRYPTION_KEY_FILE": keyFile}[k]
			},
			stdout: &out, stderr: &errOut,
			clock: steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)),
		}
		done := make(chan error, 1)
		go func() { done <- run(ctx, e, []string{"serve", "--addr", mainAddr}) }()
		defer func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v\n%s", err, errOut.String())
			}
		}()
		eventually(t, "serve starts", func() bool { return strings.Contains(out.String(), "Steady is running") })

		fams := scrapeMetrics(t, "http://"+metricsAddr+"/metrics", "")
		for _, name := range []string{"steady_prompts_total", "steady_deliveries_queued", "steady_tick_duration_seconds", "go_goroutines", "process_cpu_seconds_total"} {
			if fams[name] == nil {
				t.Errorf("the metrics listener has no %s", name)
			}
		}
		if resp := get(t, "http://"+mainAddr+"/metrics"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("/metrics on the main listener with --metrics-addr: %d, want 404", resp.StatusCode)
		}
		if resp := get(t, "http://"+mainAddr+"/readyz"); resp.StatusCode != http.StatusOK {
			t.Errorf("/readyz: %d", resp.StatusCode)
		}
		// steady healthcheck asks the same /readyz.
		var hcOut, hcErr lockedBuffer
		he := env{getenv: func(string) string { return "" }, stdout: &hcOut, stderr: &hcErr, clock: e.clock}
		if err := run(context.Background(), he, []string{"healthcheck", "--addr", mainAddr}); err != nil || strings.TrimSpace(hcOut.String()) != "ready" {
			t.Errorf("healthcheck: %v, %q", err, hcOut.String())
		}
		// --log-format json: every log line is one JSON object.
		eventually(t, "a log line", func() bool { return errOut.String() != "" })
		for _, line := range strings.Split(strings.TrimSpace(errOut.String()), "\n") {
			if !strings.HasPrefix(line, "{") || !strings.HasSuffix(line, "}") {
				t.Errorf("not a JSON log line: %s", line)
			}
		}
	})
}

// TestHealthcheckFailsWithoutAServer: nothing listening is exit 1.
func TestHealthcheckFailsWithoutAServer(t *testing.T) {
	t.Parallel()
	_, _, err := runCLI(t, map[string]string{"STEADY_ADDR": freeAddr(t)}, "healthcheck")
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "not ready") {
		t.Errorf("healthcheck with no server: %v (exit %d), want exit 1, not ready", err, exitCode(err))
	}
}

// freeAddr is a loopback host:port that nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestReadyzSaysSMTPIsDown: serve with an SMTP server that is not there is
// ready at first (the grace after start), and not ready once a send has
// failed and the grace is over; the line names smtp and no host.
func TestReadyzSaysSMTPIsDown(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)
	r := startApp(t, storetest.SQLite(t), steady.NewManualClock(start), map[string]string{
		"STEADY_SMTP_URL": "smtp://steady:hunter2-secret@" + freeAddr(t) + "?tls=none", "STEADY_FROM": "Steady <steady@example.org>",
	})
	if resp := get(t, r.listenURL+"/readyz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz at start: %d %s", resp.StatusCode, readAll(t, resp))
	}
	if resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
		`{"email":"kim@example.org","timezone":"UTC","cadence":"daily","time":"20:00"}`); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("subscribe: %d", resp.StatusCode)
	}
	eventually(t, "the confirmation's send fails", func() bool {
		_, failed := r.app.smtp.LastContact()
		return !failed.IsZero()
	})
	r.clock.Set(start.Add(11 * time.Minute))
	resp := get(t, r.listenURL+"/readyz")
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(body, "smtp: not reached since start") ||
		strings.Contains(body, "hunter2") || strings.Contains(body, "127.0.0.1") {
		t.Errorf("/readyz with SMTP down: %d %q", resp.StatusCode, body)
	}
}
