package metrics_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/steadyapp/steady/metrics"
)

// exposition is one scrape, parsed.
type exposition map[string]*dto.MetricFamily

// scrape fetches the Recorder's exposition over HTTP, as Prometheus does,
// and parses it with the text parser (which refuses a malformed page).
func scrape(t *testing.T, rec *metrics.Recorder) exposition {
	t.Helper()
	srv := httptest.NewServer(rec.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: HTTP %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("scrape: Content-Type %q, want the text format", ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the exposition does not parse: %v", err)
	}
	return fams
}

// value is the value of the series of name whose labels are exactly
// labels ("channel=email,outcome=sent"; "" for none); a histogram's is its
// sample count. It fails the test when there is no such series.
func (e exposition) value(t *testing.T, name, labels string) float64 {
	t.Helper()
	v, ok := e.lookup(name, labels)
	if !ok {
		t.Fatalf("no series %s{%s} in the exposition", name, labels)
	}
	return v
}

func (e exposition) lookup(name, labels string) (float64, bool) {
	f, ok := e[name]
	if !ok {
		return 0, false
	}
	for _, m := range f.GetMetric() {
		if labelString(m) != labels {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		case m.Untyped != nil:
			return m.Untyped.GetValue(), true
		}
	}
	return 0, false
}

func labelString(m *dto.Metric) string {
	var parts []string
	for _, l := range m.GetLabel() {
		parts = append(parts, l.GetName()+"="+l.GetValue())
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// phoneLike is a run of seven or more digits, optionally after a +.
var phoneLike = regexp.MustCompile(`\+?\d{7,}`)

// checkLabelsPrivate fails the test when a label value could be an
// address: an email address (an @) or a phone number (a long digit run).
func checkLabelsPrivate(t *testing.T, e exposition) {
	t.Helper()
	n := 0
	for name, f := range e {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				n++
				if v := l.GetValue(); strings.Contains(v, "@") || phoneLike.MatchString(v) {
					t.Errorf("%s{%s=%q}: a label value that looks like an address", name, l.GetName(), v)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no labels at all: nothing was checked")
	}
}

func TestPhoneLikeCatchesNumbers(t *testing.T) {
	t.Parallel()
	// The check itself must be able to fail.
	for _, v := range []string{"+15005550006", "447700900123", "5550006123"} {
		if !phoneLike.MatchString(v) {
			t.Errorf("%q is not caught", v)
		}
	}
	for _, v := range []string{"go1.26.0", "confirm-hour:sms", "rejected_permanent", "0.25"} {
		if phoneLike.MatchString(v) {
			t.Errorf("%q is caught", v)
		}
	}
}

func ExampleRecorder() {
	rec := metrics.New()
	rec.RateLimited("ip")
	rec.RateLimited("somebody@example.org") // not a scope: counted as other
	fmt.Println("ok")
	// Output: ok
}
