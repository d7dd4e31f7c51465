package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	twclient "github.com/twilio/twilio-go/client"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// benchSubscribers is how many active SMS subscribers the webhook
// benchmark seeds; the texts come from them in turn.
const benchSubscribers = 200

// BenchmarkSMSWebhook posts n Twilio-signed inbound texts (STEADY_BENCH_N,
// default 2000) to a real HTTP server, c at a time, each a reply from one
// of the seeded subscribers with its own MessageSid, and reports the
// throughput and the 99th percentile of the answer time. Every request
// must be answered 200 and every reply stored exactly once.
//
//	TEST_DATABASE_URL=… STEADY_BENCH_N=20000 go test -run '^$' -bench SMSWebhook -benchtime 1x ./web
func BenchmarkSMSWebhook(b *testing.B) {
	n := 2000
	if s := os.Getenv("STEADY_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("STEADY_BENCH_N=%q is not a positive number", s)
		}
		n = v
	}
	for _, dbName := range []string{"sqlite", "postgres"} {
		for _, c := range []int{16, 64} {
			b.Run(fmt.Sprintf("%s/c=%d", dbName, c), func(b *testing.B) {
				var db *store.DB
				if dbName == "postgres" {
					db = storetest.Postgres(b)
				} else {
					db = storetest.SQLite(b)
				}
				benchWebhook(b, db, n, c)
			})
		}
	}
}

func benchWebhook(b *testing.B, db *store.DB, n, c int) {
	ctx := context.Background()
	clock := steady.NewManualClock(start)
	subs := seedSMS(b, db, benchSubscribers)
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	l, err := links.New(base, "steady@example.org", secret, clock)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(web.Config{
		Store: db, Links: l, Clock: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SMS: &web.SMSConfig{
			Store: db, AuthToken: twiliotest.AuthToken, BaseURL: base,
			Phones: phones.Rules{DefaultRegion: "GB", Countries: []string{"GB"}},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	b.Cleanup(ts.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: c, MaxIdleConnsPerHost: c}}
	b.Cleanup(client.CloseIdleConnections)

	// The requests are built and signed before the clock starts; the
	// signatures are checked once with twilio-go's own validator, as the
	// server checks them.
	type request struct {
		form, sig string
	}
	target := base + "/twilio/sms"
	validator := twclient.NewRequestValidator(twiliotest.AuthToken)
	reqs := make([][]request, b.N)
	for round := range b.N {
		reqs[round] = make([]request, n)
		for i := range n {
			v := url.Values{
				"MessageSid": {fmt.Sprintf("SMbench%08d%08d", round, i)}, "AccountSid": {twiliotest.AccountSID},
				"From": {subs[i%len(subs)].Address}, "To": {"+15005550006"}, "NumMedia": {"0"},
				"Body": {fmt.Sprintf("Reply %d of round %d: we talked over dinner.", i, round)},
			}
			sig := twiliotest.Sign(twiliotest.AuthToken, target, v)
			if i == 0 {
				params := map[string]string{}
				for k := range v {
					params[k] = v.Get(k)
				}
				if !validator.Validate(target, params, sig) {
					b.Fatal("twilio-go does not accept the benchmark's signature")
				}
			}
			reqs[round][i] = request{form: v.Encode(), sig: sig}
		}
	}

	lat := make([]time.Duration, 0, n*b.N)
	var failed atomic.Int64
	b.ResetTimer()
	for round := range b.N {
		var next atomic.Int64
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range c {
			wg.Go(func() {
				var mine []time.Duration
				for {
					i := int(next.Add(1)) - 1
					if i >= n {
						break
					}
					r := reqs[round][i]
					t0 := time.Now()
					req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(r.form))
					if err != nil {
						panic(err)
					}
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("X-Twilio-Signature", r.sig)
					res, err := client.Do(req)
					if err != nil {
						failed.Add(1)
						continue
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						failed.Add(1)
					}
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d requests were not answered 200", f, n*b.N)
	}
	stored := 0
	for _, sub := range subs {
		rs, err := db.Replies(ctx, sub.ID)
		if err != nil {
			b.Fatal(err)
		}
		stored += len(rs)
	}
	if stored != n*b.N {
		b.Fatalf("%d replies stored for %d texts", stored, n*b.N)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// seedSMS signs up and confirms n SMS subscribers with British mobile
// numbers.
func seedSMS(tb testing.TB, db *store.DB, n int) []steady.Subscriber {
	tb.Helper()
	ctx := context.Background()
	sched := steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20}
	next := func(s steady.Subscriber) (time.Time, error) { return start.Add(8 * time.Hour), nil }
	subs := make([]steady.Subscriber, n)
	for i := range n {
		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
			Channel: steady.ChannelSMS, Address: fmt.Sprintf("+4474009%05d", i), TimeZone: "Europe/London",
			Schedule: sched, Consent: steady.Consent{Method: "sms", Wording: "benchmark"}, Now: start,
		})
		if err != nil {
			tb.Fatal(err)
		}
		sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "sms", Wording: "YES"}, start, next)
		if err != nil {
			tb.Fatal(err)
		}
		subs[i] = sub
	}
	return subs
}
