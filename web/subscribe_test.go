package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

func TestSubscribeForm(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		res := b.postForm("/subscribe", url.Values{
			"email": {"Ana@Example.ORG"}, "timezone": {"Europe/London"}, "cadence": {"weekly"},
			"days": {"thu", "mon"}, "time": {"20:30"}, "every": {"3"},
		})
		if res.status != http.StatusOK {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		for _, want := range []string{"Check your inbox", "every Monday and Thursday at 20:30", "Europe/London"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the answer does not say %q:\n%s", want, res.body)
			}
		}
		sub := b.subscriber("ana@example.org") // addresses are lower-cased whole (steady.NormalizeEmail)
		if sub.Status != steady.StatusPending || sub.TimeZone != "Europe/London" ||
			sub.Schedule.String() != "weekly mon,thu 20:30" {
			t.Errorf("subscriber %+v", sub)
		}
		ds, err := db.Deliveries(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Kind != steady.KindConfirm || ds[0].Status != steady.DeliveryQueued {
			t.Errorf("deliveries %+v, want one queued confirmation", ds)
		}
		cs, err := db.Consents(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Action != steady.ConsentRequested || cs[0].Method != "web" ||
			cs[0].IP != "127.0.0.1" || cs[0].Wording != web.ConsentWording("Steady") {
			t.Errorf("consents %+v", cs)
		}
		if b.wakes.Load() != 1 {
			t.Errorf("Wake called %d times, want 1", b.wakes.Load())
		}
	})
}

func TestSubscribeAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		res := b.postJSON(`{"email":"bo@example.org","timezone":"America/New_York","cadence":"every_n_days","every":3,"time":"07:05"}`)
		if res.status != http.StatusAccepted {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(res.body), &got); err != nil {
			t.Fatal(err)
		}
		if got["status"] != "pending" || got["message"] == "" || got["schedule"] != "every 3 days at 07:05" {
			t.Errorf("answer %v", got)
		}
		sub := b.subscriber("bo@example.org")
		// 12:00 UTC is 07:00 in New York: the anchor is that local date.
		if want := "every 3 from 2026-11-26 07:05"; sub.Schedule.String() != want {
			t.Errorf("schedule %q, want %q", sub.Schedule, want)
		}
		ds, err := db.Deliveries(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Kind != steady.KindConfirm {
			t.Errorf("deliveries %+v, want one confirmation", ds)
		}
		cs, _ := db.Consents(context.Background(), sub.ID)
		if len(cs) != 1 || cs[0].Method != "api" || cs[0].Wording != web.APIConsentWording(steady.ChannelEmail) {
			t.Errorf("consents %+v", cs)
		}
	})
}

// The answer never tells whether an address was known.
func TestSubscribeSameAnswerForKnownAddress(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		const body = `{"email":"cy@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`
		form := url.Values{"email": {"cy@example.org"}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"20:30"}}
		first, firstForm := b.postJSON(body), b.postForm("/subscribe", form)
		same := func(state string) {
			t.Helper()
			b.clock.Advance(time.Minute)
			if again := b.postJSON(body); again.status != first.status || again.body != first.body {
				t.Errorf("API answer for a %s address: %d %s, want %d %s", state, again.status, again.body, first.status, first.body)
			}
			if again := b.postForm("/subscribe", form); again.status != firstForm.status || again.body != firstForm.body {
				t.Errorf("form answer for a %s address differs", state)
			}
		}
		same("pending")
		sub := b.subscriber("cy@example.org")
		if res := b.postForm("/confirm", url.Values{"t": {tokenOf(t, b.links.ConfirmURL(sub))}}); res.status != http.StatusOK {
			t.Fatalf("confirm: %d", res.status)
		}
		same("active")
		if res := b.postForm("/unsubscribe", url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(sub))}}); res.status != http.StatusOK {
			t.Fatalf("unsubscribe: %d", res.status)
		}
		same("unsubscribed")
	})
}

func TestSubscribeRejectsBadInput(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 250) + "@example.org"
	good := map[string]any{"email": "ok@example.org", "timezone": "Europe/London", "cadence": "daily", "time": "20:30"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for k, v := range good {
			m[k] = v
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	every := func(n int) map[string]any { m := with("cadence", "every_n_days"); m["every"] = n; return m }
	days := func(d ...string) map[string]any { m := with("cadence", "weekly"); m["days"] = d; return m }
	tests := []struct {
		name  string
		in    map[string]any
		field string
	}{
		{"empty email", with("email", ""), "email"},
		{"no at", with("email", "no-at"), "email"},
		{"no dot in the domain", with("email", "a@b"), "email"},
		{"space", with("email", "a b@example.org"), "email"},
		{"angle brackets", with("email", "<x@example.org>"), "email"},
		{"display name", with("email", "X <x@example.org>"), "email"},
		{"very long", with("email", long), "email"},
		{"unknown time zone", with("timezone", "Mars/Olympus_Mons"), "timezone"},
		{"no time zone", with("timezone", ""), "timezone"},
		{"Local", with("timezone", "Local"), "timezone"},
		{"24:00", with("time", "24:00"), "time"},
		{"7:5", with("time", "7:5"), "time"},
		{"20:61", with("time", "20:61"), "time"},
		{"no time", with("time", ""), "time"},
		{"weekly without days", days(), "days"},
		{"not a weekday", days("mon", "funday"), "days"},
		{"unknown cadence", with("cadence", "hourly"), "cadence"},
		{"every N without N", with("cadence", "every_n_days"), "every"},
		{"every 1 day", every(1), "every"},
		{"every 31 days", every(31), "every"},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		before := b.counts()
		for _, tt := range tests {
			t.Run("json "+tt.name, func(t *testing.T) {
				body, _ := json.Marshal(tt.in)
				res := b.postJSON(string(body))
				if res.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %s", res.status, res.body)
				}
				var e struct{ Error, Field string }
				if err := json.Unmarshal([]byte(res.body), &e); err != nil || e.Error == "" || e.Field != tt.field {
					t.Errorf("error %s, want field %q", res.body, tt.field)
				}
			})
			t.Run("form "+tt.name, func(t *testing.T) {
				form := url.Values{}
				for k, v := range tt.in {
					switch v := v.(type) {
					case string:
						form.Set(k, v)
					case int:
						form.Set(k, strconv.Itoa(v))
					case []string:
						form[k] = v
					}
				}
				res := b.postForm("/subscribe", form)
				if res.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", res.status)
				}
				if !strings.Contains(res.body, `id="`+tt.field+`-error"`) {
					t.Errorf("no message next to %s:\n%s", tt.field, res.body)
				}
				if e, _ := tt.in["email"].(string); e != "" && !strings.Contains(res.body, html.EscapeString(e)) {
					t.Errorf("the typed email %q was not kept", e)
				}
			})
		}
		b.unchanged(before)
		if b.wakes.Load() != 0 {
			t.Errorf("Wake called %d times for bad input", b.wakes.Load())
		}
	})
}

func TestSubscribeAPIRejectsBadRequests(t *testing.T) {
	t.Parallel()
	const ok = `{"email":"ok@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`
	tests := []struct {
		name, contentType, body string
		status                  int
		field                   string
	}{
		{"unknown field", "application/json", `{"email":"ok@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30","admin":true}`, 400, "admin"},
		{"wrong type", "application/json", `{"email":"ok@example.org","timezone":"Europe/London","cadence":"every_n_days","every":"3","time":"20:30"}`, 400, "every"},
		{"not JSON", "application/json", `email=ok@example.org`, 400, ""},
		{"two objects", "application/json", ok + ok, 400, ""},
		{"empty body", "application/json", ``, 400, ""},
		{"form content type", "application/x-www-form-urlencoded", ok, 415, ""},
		{"text content type", "text/plain", ok, 415, ""},
		{"no content type", "", ok, 415, ""},
		{"oversized body", "application/json", `{"email":"ok@example.org","timezone":"` + strings.Repeat("x", 20<<10) + `"}`, 413, ""},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		before := b.counts()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := b.post("/api/subscriptions", tt.contentType, tt.body)
				if res.status != tt.status {
					t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
				}
				if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("content type %q", ct)
				}
				var e struct{ Error, Field string }
				if err := json.Unmarshal([]byte(res.body), &e); err != nil || e.Error == "" || e.Field != tt.field {
					t.Errorf("error body %s, want field %q", res.body, tt.field)
				}
			})
		}
		b.unchanged(before)
	})
}

func TestSubscribePage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		res := b.get("/")
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		for _, want := range []string{html.EscapeString(web.ConsentWording("Steady")), `type="time"`, `name="timezone"`, `/static/app.js`, `id="how-often"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		js := b.get("/static/app.js")
		if js.status != http.StatusOK || !strings.Contains(js.body, "resolvedOptions().timeZone") {
			t.Errorf("app.js: %d", js.status)
		}
	})
}

// The consent records the client's address; X-Forwarded-For counts only
// behind a proxy we run, and then only the entry that proxy added.
func TestSubscribeRecordsClientIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		trust bool
		want  string
	}{
		{"direct", false, "127.0.0.1"},
		{"behind a proxy", true, "203.0.113.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := storetest.SQLite(t)
			b := setup(t, db, func(c *web.Config) { c.TrustProxy = tt.trust })
			req, err := http.NewRequest(http.MethodPost, b.url+"/api/subscriptions",
				strings.NewReader(`{"email":"qi@example.org","timezone":"UTC","cadence":"daily","time":"08:00"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			req.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.7")
			if res := b.do(req); res.status != http.StatusAccepted {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			cs, err := db.Consents(context.Background(), b.subscriber("qi@example.org").ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 1 || cs[0].IP != tt.want {
				t.Errorf("consents %+v, want IP %s", cs, tt.want)
			}
		})
	}
}
