package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// withLimits turns the abuse limits on with policy p, keyed as cmd/steady
// keys them, and trusts X-Forwarded-For so tests can choose the client IP.
func withLimits(db *store.DB, p abuse.Policy) option {
	return func(c *web.Config) {
		k, err := abuse.NewKeyer(abuse.DeriveKey(secret))
		if err != nil {
			panic(err)
		}
		c.Limits = &web.Limits{Store: db, Keyer: k, Policy: p}
		c.TrustProxy = true
	}
}

// from posts body to path as the client ip (behind the trusted proxy).
func (b *bundle) from(ip, path, contentType, body string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.url+path, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Forwarded-For", ip)
	return b.do(req)
}

func emailJSON(addr string) string {
	return `{"email":"` + addr + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`
}

func emailForm(addr string) string {
	return url.Values{"email": {addr}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}}.Encode()
}

// signUp signs addr up from ip, through the API when i is even and the
// form when it is odd, and says whether it was accepted; a refusal must
// be a 429 with a Retry-After within (0, max].
func (b *bundle) signUp(i int, ip, addr string, max time.Duration) bool {
	b.t.Helper()
	var res response
	if i%2 == 0 {
		res = b.from(ip, "/api/subscriptions", "application/json", emailJSON(addr))
	} else {
		res = b.from(ip, "/subscribe", "application/x-www-form-urlencoded", emailForm(addr))
	}
	switch res.status {
	case http.StatusAccepted, http.StatusOK:
		return true
	case http.StatusTooManyRequests:
		secs, err := strconv.Atoi(res.header.Get("Retry-After"))
		if err != nil || secs <= 0 || time.Duration(secs)*time.Second > max {
			b.t.Errorf("sign-up %d: Retry-After %q, want 1 to %.0f seconds", i, res.header.Get("Retry-After"), max.Seconds())
		}
		return false
	}
	b.t.Fatalf("sign-up %d (%s): %d %s", i, addr, res.status, res.body)
	return false
}

// confirms counts the confirmations queued, on every channel.
func (b *bundle) confirms() int {
	b.t.Helper()
	ctx := context.Background()
	subs, err := b.db.ListSubscribers(ctx)
	if err != nil {
		b.t.Fatal(err)
	}
	n := 0
	for _, s := range subs {
		ds, err := b.db.Deliveries(ctx, s.ID)
		if err != nil {
			b.t.Fatal(err)
		}
		for _, d := range ds {
			if d.Kind == steady.KindConfirm {
				n++
			}
		}
	}
	return n
}

// A burst of 200 sign-ups from one IP, each a different address: the
// per-IP allowance is accepted and queues exactly that many confirmations;
// the rest get 429 with Retry-After and leave nothing. An IPv6 client
// counts by its /64. Once the hour is over, sign-ups are accepted again.
func TestLimitBurstFromOneIP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withLimits(db, abuse.Defaults))
		b.clock.Set(start.Add(30 * time.Minute)) // 12:30: the hour's window frees at 13:00
		accepted := 0
		for i := range 200 {
			if b.signUp(i, "203.0.113.7", fmt.Sprintf("person%d@example.org", i), 30*time.Minute) {
				accepted++
			}
		}
		if accepted != abuse.Defaults.PerIP {
			t.Errorf("accepted %d of 200 from one IP, want %d", accepted, abuse.Defaults.PerIP)
		}
		if got := b.confirms(); got != abuse.Defaults.PerIP {
			t.Errorf("%d confirmations queued, want %d", got, abuse.Defaults.PerIP)
		}
		if got := b.counts().subscribers; got != abuse.Defaults.PerIP {
			t.Errorf("%d subscribers stored, want %d (a refused sign-up stores nothing)", got, abuse.Defaults.PerIP)
		}
		// The form says so kindly, keeps what was typed, and says when.
		res := b.from("203.0.113.7", "/subscribe", "application/x-www-form-urlencoded", emailForm("late@example.org"))
		if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "1800" ||
			!strings.Contains(res.body, "Too many sign-ups from here just now. Please try again in 30 minutes.") ||
			!strings.Contains(res.body, `value="late@example.org"`) {
			t.Errorf("form over the limit: %d Retry-After %q\n%s", res.status, res.header.Get("Retry-After"), res.body)
		}
		res = b.from("203.0.113.7", "/api/subscriptions", "application/json", emailJSON("late@example.org"))
		if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, `{"error":"Too many sign-ups from here just now. Please try again in 30 minutes."}`) {
			t.Errorf("API over the limit: %d %s", res.status, res.body)
		}
		// Another IP is not held back.
		if !b.signUp(0, "198.51.100.9", "other@example.org", 0) {
			t.Error("a sign-up from another IP was refused")
		}
		// IPv6: one /64 is one client, whichever address in it.
		for i := range abuse.Defaults.PerIP {
			if !b.signUp(i, fmt.Sprintf("2001:db8:1:2::%x", i+1), fmt.Sprintf("v6-%d@example.org", i), 0) {
				t.Fatalf("IPv6 sign-up %d refused", i)
			}
		}
		if b.signUp(1, "2001:db8:1:2:ffff::1", "v6-late@example.org", 30*time.Minute) {
			t.Error("an 11th sign-up from the same /64 was accepted")
		}
		if !b.signUp(0, "2001:db8:1:3::1", "v6-next@example.org", 0) {
			t.Error("a sign-up from the next /64 was refused")
		}
		// The counter is kept under the keyed hash, never the IP itself.
		k, _ := abuse.NewKeyer(abuse.DeriveKey(secret))
		ctx, at := context.Background(), start.Add(30*time.Minute)
		if n, err := db.RateCount(ctx, abuse.ScopeIP, k.Hash(abuse.ScopeIP, "203.0.113.7"), abuse.Hour, at); err != nil || n != abuse.Defaults.PerIP {
			t.Errorf("hashed IP counter = %d, %v; want %d", n, err, abuse.Defaults.PerIP)
		}
		if n, err := db.RateCount(ctx, abuse.ScopeIP, "203.0.113.7", abuse.Hour, at); err != nil || n != 0 {
			t.Errorf("a counter under the raw IP = %d, %v", n, err)
		}
		// The window frees when the hour is over.
		b.clock.Set(start.Add(time.Hour))
		if !b.signUp(0, "203.0.113.7", "next-hour@example.org", 0) {
			t.Error("a sign-up in the next hour was refused")
		}
	})
}

// 200 sign-ups from 50 IPs for one Gmail mailbox, written many ways: at
// most the per-mailbox allowance of confirmations is queued.
func TestLimitOneMailboxManyIPs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withLimits(db, abuse.Defaults))
		variants := []string{"bob+%d@gmail.com", "b.o.b+%d@gmail.com", "BOB+%d@googlemail.com", "bo.b@gmail.com", "B.O.B@googlemail.com", "bob@GMAIL.com"}
		refused := 0
		for i := range 200 {
			addr := variants[i%len(variants)]
			if strings.Contains(addr, "%d") {
				addr = fmt.Sprintf(addr, i)
			}
			if !b.signUp(i, fmt.Sprintf("192.0.2.%d", i%50+1), addr, 24*time.Hour) {
				refused++
			}
		}
		if got := b.confirms(); got != abuse.Defaults.PerMailbox {
			t.Errorf("%d confirmations queued for one mailbox, want %d", got, abuse.Defaults.PerMailbox)
		}
		if refused < 150 {
			t.Errorf("only %d of 200 refused", refused)
		}
		res := b.from("192.0.2.200", "/api/subscriptions", "application/json", emailJSON("bob+late@gmail.com"))
		if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "Too many sign-ups for this email address just now. Please try again in about 12 hours.") {
			t.Errorf("mailbox over the limit: %d %s", res.status, res.body)
		}
		// Another mailbox at the same provider is its own.
		if !b.signUp(0, "192.0.2.1", "alice@gmail.com", 0) {
			t.Error("another mailbox was refused")
		}
		// The next UTC day frees it.
		b.clock.Set(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
		if !b.signUp(0, "192.0.2.1", "bob+tomorrow@gmail.com", 0) {
			t.Error("the mailbox was still refused the next day")
		}
	})
}

// mobile is a valid mobile number of region, as libphonenumber gives
// for an example, in E.164.
func mobile(t *testing.T, region string) string {
	t.Helper()
	n := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE)
	if n == nil {
		t.Fatalf("no example mobile number for %s", region)
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// withCountries is withSMS with the allow-list cmd/steady gives by
// default with --sms-region GB: GB only.
func withCountries(db *store.DB, countries ...string) option {
	return func(c *web.Config) {
		withSMS(db)(c)
		c.SMS.Phones.Countries = countries
	}
}

// 12 sign-ups with numbers from 10 countries, only GB allowed: the GB ones
// are accepted, every other is 422 with nothing stored or sent, on the
// API, the form and text-to-join alike.
func TestLimitSMSCountries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withLimits(db, abuse.Defaults), withCountries(db, "GB"))
		numbers := []string{"+447400123456", "+447400123457", "+447400123458"}
		for _, region := range []string{"US", "FR", "DE", "NG", "IN", "BR", "PH", "RU", "ID"} {
			numbers = append(numbers, mobile(t, region))
		}
		if len(numbers) != 12 {
			t.Fatalf("%d numbers", len(numbers))
		}
		accepted := 0
		for i, n := range numbers {
			ip := fmt.Sprintf("198.51.100.%d", i+1)
			var res response
			if i%2 == 0 {
				res = b.from(ip, "/api/subscriptions", "application/json", `{"phone":"`+n+`","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
			} else {
				res = b.from(ip, "/subscribe", "application/x-www-form-urlencoded",
					url.Values{"phone": {n}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}}.Encode())
			}
			gb := strings.HasPrefix(n, "+44")
			switch {
			case gb && (res.status == http.StatusAccepted || res.status == http.StatusOK):
				accepted++
			case !gb && res.status == http.StatusUnprocessableEntity &&
				strings.Contains(res.body, "ext messages can only be sent to numbers in the United Kingdom, so this number cannot sign up"):
			default:
				t.Errorf("%s: %d %s", n, res.status, res.body)
			}
		}
		if accepted != 3 || b.confirms() != 3 || b.counts().subscribers != 3 {
			t.Errorf("accepted %d, %d confirmations, %+v; want the 3 GB numbers only", accepted, b.confirms(), b.counts())
		}
		// Text-to-join from a number abroad: nothing stored, nothing texted back.
		before := b.counts()
		for _, n := range numbers[3:6] {
			res := b.text(n, "START", "")
			if res.status != http.StatusOK || strings.Contains(res.body, "<Message>") {
				t.Errorf("START from %s: %d %s", n, res.status, res.body)
			}
		}
		b.unchanged(before)
		if res := b.text("+447400123459", "START", ""); res.status != http.StatusOK || b.confirms() != 4 {
			t.Errorf("START from GB: %d %s, %d confirmations", res.status, res.body, b.confirms())
		}
	})
}

// The daily SMS cap stops sign-up texts on every path, tells the operator
// once (no numbers in the log), and is counted for metrics; the next UTC
// day they start again.
func TestSMSDailyCap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p := abuse.Defaults
		p.SMSDay = 4
		b := setup(t, db, withLimits(db, p), withSMS(db))
		number := func(i int) string { return fmt.Sprintf("+4474001234%02d", i) }
		for i := range 4 {
			if i%2 == 0 {
				b.text(number(i), "START", "")
			} else if res := b.from("198.51.100.1", "/api/subscriptions", "application/json",
				`{"phone":"`+number(i)+`","timezone":"Europe/London","cadence":"daily","time":"20:30"}`); res.status != http.StatusAccepted {
				t.Fatalf("sign-up %d: %d %s", i, res.status, res.body)
			}
		}
		if got := b.confirms(); got != 4 {
			t.Fatalf("%d confirmation texts before the cap, want 4", got)
		}
		before := b.counts()
		for i := 4; i < 10; i++ {
			if i%2 == 0 {
				res := b.text(number(i), "START", "")
				if res.status != http.StatusOK || strings.Contains(res.body, "<Message>") {
					t.Errorf("START over the cap: %d %s", res.status, res.body)
				}
				continue
			}
			res := b.from("198.51.100.2", "/api/subscriptions", "application/json",
				`{"phone":"`+number(i)+`","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
			if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "43200" ||
				!strings.Contains(res.body, "Sign-up by text message is closed for today.") {
				t.Errorf("API over the cap: %d %q %s", res.status, res.header.Get("Retry-After"), res.body)
			}
		}
		b.unchanged(before)
		// An email sign-up is not held back by the SMS cap.
		if res := b.from("198.51.100.3", "/api/subscriptions", "application/json", emailJSON("mail@example.org")); res.status != http.StatusAccepted {
			t.Errorf("email sign-up under the SMS cap: %d %s", res.status, res.body)
		}
		logs := b.logs.String()
		if n := strings.Count(logs, "daily SMS sign-up cap is reached"); n != 1 {
			t.Errorf("the cap was logged %d times, want once:\n%s", n, logs)
		}
		if strings.Contains(logs, "740012340") {
			t.Errorf("a phone number is in the log:\n%s", logs)
		}
		ctx := context.Background()
		if n, err := db.RateCount(ctx, abuse.ScopeSMSDay, "", abuse.Day, b.clock.Now()); err != nil || n != 4 {
			t.Errorf("sign-up texts today = %d, %v; want 4", n, err)
		}
		if n, err := db.RateCount(ctx, "refused:"+abuse.ScopeSMSDay, "", abuse.Day, b.clock.Now()); err != nil || n != 6 {
			t.Errorf("refused today = %d, %v; want 6", n, err)
		}
		// Midnight UTC: sign-up texts start again.
		b.clock.Set(time.Date(2026, 11, 27, 0, 0, 1, 0, time.UTC))
		b.text(number(20), "START", "")
		if got := b.confirms(); got != 6 { // 4 texts, the email, and this text
			t.Errorf("%d confirmations after midnight, want 6", got)
		}
	})
}

// Two web servers on one database (the several-workers case) share the
// limits: a burst from one IP spread over both, at once, gets the per-IP
// allowance in all.
func TestLimitsAcrossTwoServers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		servers := []*bundle{setup(t, db, withLimits(db, abuse.Defaults)), setup(t, db, withLimits(db, abuse.Defaults))}
		const n = 40
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				b := servers[i%2]
				req, err := http.NewRequest(http.MethodPost, b.url+"/api/subscriptions", strings.NewReader(emailJSON(fmt.Sprintf("w%d@example.org", i))))
				if err != nil {
					t.Error(err)
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", "203.0.113.50")
				res, err := b.client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				statuses[i] = res.StatusCode
				if res.StatusCode != http.StatusAccepted && res.StatusCode != http.StatusTooManyRequests {
					t.Errorf("sign-up %d: %d %s", i, res.StatusCode, body)
				}
			})
		}
		wg.Wait()
		accepted := 0
		for _, s := range statuses {
			if s == http.StatusAccepted {
				accepted++
			}
		}
		if accepted != abuse.Defaults.PerIP {
			t.Errorf("accepted %d over two servers, want %d", accepted, abuse.Defaults.PerIP)
		}
		if got := servers[0].confirms(); got != abuse.Defaults.PerIP {
			t.Errorf("%d confirmations, want %d", got, abuse.Defaults.PerIP)
		}
	})
}
