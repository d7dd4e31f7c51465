package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestSubscribeAPIEdges(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withKeys)
		key := "Bearer " + b.apiKey("edges")
		before := b.counts()
		for _, c := range []struct {
			name, body, field, want string
		}{
			{"array body", `[1,2]`, "", "must be a JSON object"},
			{"string body", `"hello"`, "", "must be a JSON object"},
			{"every as string", `{"email":"a@example.org","timezone":"Europe/London","cadence":"every_n_days","every":"3","time":"20:30"}`, "every", "every must be a whole number, not a string"},
			{"every as an exponent", `{"email":"a@example.org","timezone":"Europe/London","cadence":"every_n_days","every":1e9,"time":"20:30"}`, "every", "every must be a whole number, not 1e9"},
			{"every with a fraction", `{"email":"a@example.org","timezone":"Europe/London","cadence":"every_n_days","every":3.5,"time":"20:30"}`, "every", "every must be a whole number, not 3.5"},
			{"days as string", `{"email":"a@example.org","timezone":"Europe/London","cadence":"weekly","days":"mon","time":"20:30"}`, "days", "days must be a list of strings, not a string"},
			{"EST", `{"email":"a@example.org","timezone":"EST","cadence":"daily","time":"20:30"}`, "timezone", "America/New_York"},
			{"EST5EDT", `{"email":"a@example.org","timezone":"EST5EDT","cadence":"daily","time":"20:30"}`, "timezone", "summer time"},
			{"consent text too long", `{"email":"a@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30","consent_text":"` + strings.Repeat("x", 2001) + `"}`, "consent_text", "longer than 2000"},
		} {
			res := b.postJSONAuth(key, c.body)
			var e struct{ Error, Field string }
			if err := json.Unmarshal([]byte(res.body), &e); err != nil || res.status != http.StatusBadRequest || e.Field != c.field || !strings.Contains(e.Error, c.want) {
				t.Errorf("%s: %d %s, want field %q and %q", c.name, res.status, res.body, c.field, c.want)
			}
			if strings.HasPrefix(e.Error, " ") {
				t.Errorf("%s: error starts with a blank: %q", c.name, e.Error)
			}
		}
		b.unchanged(before)

		// Any other method on the endpoint: a JSON 405 naming POST.
		for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
			req, _ := http.NewRequest(m, b.url+"/api/subscriptions", nil)
			res := b.do(req)
			if res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "POST" ||
				!strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || !strings.Contains(res.body, `"error"`) {
				t.Errorf("%s: %d %v %s", m, res.status, res.header, res.body)
			}
		}
		if res := b.get("/api/other"); res.status != http.StatusNotFound || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
			t.Errorf("/api/other: %d %s", res.status, res.body)
		}

		// The site's own wording is kept, marked as coming from the API.
		res := b.postJSONAuth(key, `{"email":"c@example.org","timezone":"UTC","cadence":"daily","time":"20:30","consent_text":"  Yes, email me prompts daily.  "}`)
		if res.status != http.StatusAccepted {
			t.Fatalf("consent_text: %d %s", res.status, res.body)
		}
		cs, err := db.Consents(context.Background(), b.subscriber("c@example.org").ID)
		if err != nil || len(cs) != 1 || cs[0].Wording != "As shown by the requesting site (JSON API): Yes, email me prompts daily." {
			t.Errorf("consents %+v %v", cs, err)
		}
	})
}

// A sign-up whose fields hold NUL bytes or invalid UTF-8 is never a 500:
// a NUL (a control character) is a clear 400 naming the field; invalid
// UTF-8, which JSON decoding already turns into U+FFFD, is kept as such.
func TestSubscribeAPIBadBytes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withKeys)
		key := "Bearer " + b.apiKey("bad-bytes")
		before := b.counts()
		for _, c := range []struct{ name, body, field string }{
			{"NUL in consent_text", `{"email":"n@example.org","timezone":"UTC","cadence":"daily","time":"20:30","consent_text":"Yes\u0000 please"}`, "consent_text"},
			{"NUL in email", `{"email":"n\u0000@example.org","timezone":"UTC","cadence":"daily","time":"20:30"}`, "email"},
			{"NUL in timezone", `{"email":"n@example.org","timezone":"Europe/London\u0000","cadence":"daily","time":"20:30"}`, "timezone"},
			{"NUL in phone", `{"phone":"+44 7400\u0000 123456","timezone":"UTC","cadence":"daily","time":"20:30"}`, "phone"},
		} {
			res := b.postJSONAuth(key, c.body)
			var e struct{ Error, Field string }
			if err := json.Unmarshal([]byte(res.body), &e); err != nil || res.status != http.StatusBadRequest || e.Field != c.field {
				t.Errorf("%s: %d %s, want 400 naming %q", c.name, res.status, res.body, c.field)
			}
		}
		b.unchanged(before)

		res := b.postJSONAuth(key, "{\"email\":\"u@example.org\",\"timezone\":\"UTC\",\"cadence\":\"daily\",\"time\":\"20:30\",\"consent_text\":\"Yes \xff\xfe please\"}")
		if res.status != http.StatusAccepted {
			t.Fatalf("invalid UTF-8 in consent_text: %d %s", res.status, res.body)
		}
		cs, err := db.Consents(context.Background(), b.subscriber("u@example.org").ID)
		if want := "As shown by the requesting site (JSON API): Yes \uFFFD\uFFFD please"; err != nil || len(cs) != 1 || cs[0].Wording != want {
			t.Errorf("consents %+v %v, want wording %q", cs, err, want)
		}
	})
}
