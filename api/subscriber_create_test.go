package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/api"
	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

const partnerWording = "Yes, send me reflection prompts from Partner."

// A create is sign-up on the person's behalf: pending, a confirmation
// queued and the sender woken, the caller's wording kept in the consent
// record under api:KEY, and never shown back.
func TestCreateSubscriber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		ctx := context.Background()
		res := b.post("/api/v1/subscribers", `{"email":"  New.Person@Example.ORG ","timezone":"london","cadence":"weekly",`+
			`"days":["thu","Monday"],"time":"7:05","consent_text":"`+partnerWording+`"}`)
		if res.status != http.StatusCreated {
			t.Fatalf("%d %s", res.status, res.body)
		}
		var out struct {
			Subscriber         subscriberJSON
			Created            bool
			ConfirmationQueued bool `json:"confirmation_queued"`
		}
		res.decode(t, &out)
		s := out.Subscriber
		if !out.Created || !out.ConfirmationQueued || s.Status != "pending" || s.Address != "new.person@example.org" ||
			s.Channel != "email" || s.TimeZone != "Europe/London" || s.Schedule.Text != "weekly mon,thu 07:05" ||
			s.Schedule.Cadence != "weekly" || strings.Join(s.Schedule.Days, ",") != "mon,thu" || s.Schedule.Time != "07:05" ||
			s.NextPromptAt != nil || s.ConfirmedAt != nil || s.Discreet {
			t.Fatalf("created %+v", out)
		}
		if loc := res.header.Get("Location"); loc != "/api/v1/subscribers/"+itoa(s.ID) {
			t.Errorf("Location %q", loc)
		}
		if strings.Contains(string(res.body), "Partner") {
			t.Errorf("the answer shows the consent wording: %s", res.body)
		}
		if b.wakes.Load() != 1 {
			t.Errorf("woke the sender %d times", b.wakes.Load())
		}
		ds, err := db.Deliveries(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Kind != steady.KindConfirm || ds[0].Status != steady.DeliveryQueued {
			t.Fatalf("deliveries %+v", ds)
		}
		consents, err := db.Consents(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(consents) != 1 || consents[0].Action != steady.ConsentRequested || consents[0].Method != "api:"+keyName ||
			consents[0].Wording != api.ConsentPrefix+partnerWording {
			t.Fatalf("consents %+v", consents)
		}
		logs := b.logs.String()
		b.audited("create (pending, confirmation queued)", "subscriber "+itoa(s.ID))
		if !strings.Contains(logs, `msg="api change"`) || !strings.Contains(logs, "key="+keyName) ||
			!strings.Contains(logs, "key_prefix="+apikeys.Prefix(b.key)) || strings.Contains(logs, b.key) || strings.Contains(logs, "new.person") {
			t.Errorf("the change is not recorded as it should be:\n%s", logs)
		}

		// The same address again: known, and no second confirmation
		// within ten minutes.
		res = b.post("/api/v1/subscribers", `{"email":"new.person@example.org","timezone":"Europe/London","cadence":"daily","time":"20:00","consent_text":"Again."}`)
		res.decode(t, &out)
		if res.status != http.StatusOK || out.Created || out.ConfirmationQueued || out.Subscriber.ID != s.ID {
			t.Fatalf("again: %d %+v", res.status, out)
		}

		// A phone number is discreet by default, but this server has no SMS.
		b.do(call{method: http.MethodPost, path: "/api/v1/subscribers", body: `{"phone":"+447700900123","timezone":"UTC","cadence":"daily","time":"20:00","consent_text":"x"}`}).
			wantError(t, http.StatusBadRequest, "invalid", "phone")
	})
}

// Bad input is answered 400 (413, 415) in the error shape naming the
// field, as sign-up would, and stores nothing.
func TestCreateSubscriberRefusesBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		const ok = `"timezone":"UTC","cadence":"daily","time":"20:00","consent_text":"I agree."`
		for _, c := range []struct {
			name, body, contentType string
			status                  int
			field                   string
		}{
			{"bad email", `{"email":"not-an-address",` + ok + `}`, "", 400, "email"},
			{"no address", `{` + ok + `}`, "", 400, "email"},
			{"both", `{"email":"a@example.org","phone":"+447700900123",` + ok + `}`, "", 400, "phone"},
			{"bad zone", `{"email":"a@example.org","timezone":"Mars/Base","cadence":"daily","time":"20:00","consent_text":"x"}`, "", 400, "timezone"},
			{"abbreviation", `{"email":"a@example.org","timezone":"EST","cadence":"daily","time":"20:00","consent_text":"x"}`, "", 400, "timezone"},
			{"bad cadence", `{"email":"a@example.org","timezone":"UTC","cadence":"hourly","time":"20:00","consent_text":"x"}`, "", 400, "cadence"},
			{"weekly, no days", `{"email":"a@example.org","timezone":"UTC","cadence":"weekly","time":"20:00","consent_text":"x"}`, "", 400, "days"},
			{"bad day", `{"email":"a@example.org","timezone":"UTC","cadence":"weekly","days":["someday"],"time":"20:00","consent_text":"x"}`, "", 400, "days"},
			{"every 99", `{"email":"a@example.org","timezone":"UTC","cadence":"every_n_days","every":99,"time":"20:00","consent_text":"x"}`, "", 400, "every"},
			{"bad time", `{"email":"a@example.org","timezone":"UTC","cadence":"daily","time":"25:00","consent_text":"x"}`, "", 400, "time"},
			{"no consent_text", `{"email":"a@example.org","timezone":"UTC","cadence":"daily","time":"20:00"}`, "", 400, "consent_text"},
			{"blank consent_text", `{"email":"a@example.org","timezone":"UTC","cadence":"daily","time":"20:00","consent_text":"  "}`, "", 400, "consent_text"},
			{"long consent_text", `{"email":"a@example.org","timezone":"UTC","cadence":"daily","time":"20:00","consent_text":"` + strings.Repeat("é", 2001) + `"}`, "", 400, "consent_text"},
			{"control character", `{"email":"a@example.org","timezone":"UTC","cadence":"daily","time":"20:00","consent_text":"a\u0007b"}`, "", 400, "consent_text"},
			{"NUL escaped", `{"email":"a@example.org","timezone":"UTC","cadence":"daily","time":"20:00","consent_text":"I agree\u0000"}`, "", 400, "consent_text"},
			{"NUL in a list", `{"email":"a@example.org","timezone":"UTC","cadence":"weekly","days":["mon\u0000"],"time":"20:00","consent_text":"x"}`, "", 400, "days"},
			{"NUL byte", "{\"email\":\"a@example.org\x00\"," + ok + "}", "", 400, ""},
			{"confirmed without when", `{"email":"a@example.org",` + ok + `,"confirmed":true}`, "", 400, "consented_at"},
			{"consented_at alone", `{"email":"a@example.org",` + ok + `,"consented_at":"2026-01-01T00:00:00Z"}`, "", 400, "consented_at"},
			{"consented_at, not confirmed", `{"email":"a@example.org",` + ok + `,"confirmed":false,"consented_at":"2026-01-01"}`, "", 400, "consented_at"},
			{"consented in the future", `{"email":"a@example.org",` + ok + `,"confirmed":true,"consented_at":"2026-11-27"}`, "", 400, "consented_at"},
			{"consented when?", `{"email":"a@example.org",` + ok + `,"confirmed":true,"consented_at":"last spring"}`, "", 400, "consented_at"},
			{"confirmed, no consent_text", `{"email":"a@example.org","timezone":"UTC","cadence":"daily","time":"20:00","confirmed":true,"consented_at":"2026-01-01"}`, "", 400, "consent_text"},
			{"unknown field", `{"email":"a@example.org",` + ok + `,"status":"active"}`, "", 400, "status"},
			{"wrong type", `{"email":"a@example.org",` + ok + `,"every":"three"}`, "", 400, "every"},
			{"not JSON", `{"email":`, "", 400, ""},
			{"an array", `[{"email":"a@example.org"}]`, "", 400, ""},
			{"two objects", `{"email":"a@example.org",` + ok + `} {}`, "", 400, ""},
			{"empty", ``, "application/json", 400, ""},
			{"form", `email=a%40example.org`, "application/x-www-form-urlencoded", 415, ""},
			{"too large", `{"email":"a@example.org",` + ok + `,"days":["` + strings.Repeat("x", 17<<10) + `"]}`, "", 413, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				res := b.do(call{method: http.MethodPost, path: "/api/v1/subscribers", body: c.body, contentType: c.contentType, bad: true})
				e := res.wantError(t, c.status, "invalid", c.field)
				if c.name == "NUL escaped" && !strings.Contains(e.Error.Message, "NUL") {
					t.Errorf("message %q does not say NUL", e.Error.Message)
				}
			})
		}
		if n := b.count(); n != 0 {
			t.Errorf("bad input stored %d subscribers", n)
		}
		if b.wakes.Load() != 0 {
			t.Errorf("bad input woke the sender")
		}
	})
}

// Sign-up's limits hold here too: over the per-mailbox limit a create is
// 429 rate_limited with Retry-After, and no confirmation is queued.
func TestCreateSubscriberKeepsSignUpLimits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		keyer, err := abuse.NewKeyer([]byte("limits-key"))
		if err != nil {
			t.Fatal(err)
		}
		policy := abuse.Defaults
		policy.PerMailbox = 1
		b := setup(t, db, func(c *api.Config) {
			c.Addresses = web.NewAddressRules(web.Config{Limits: &web.Limits{Store: db, Keyer: keyer, Policy: policy}})
		})
		s := b.create("limited@example.org")
		// Past the ten minutes between confirmations, the second one is
		// over the mailbox's limit of one a day.
		b.clock.Set(start.Add(11 * time.Minute))
		res := b.post("/api/v1/subscribers", `{"email":"limited@example.org","timezone":"UTC","cadence":"daily","time":"20:00","consent_text":"x"}`)
		res.wantError(t, http.StatusTooManyRequests, "rate_limited", "")
		if ra, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || ra < 1 {
			t.Errorf("Retry-After %q", res.header.Get("Retry-After"))
		}
		ds, err := db.Deliveries(context.Background(), s.ID)
		if err != nil || len(ds) != 1 {
			t.Errorf("deliveries %d, %v", len(ds), err)
		}
	})
}

// With text messages on, a phone number is read by sign-up's SMS rules
// (the default country, the allowed countries) and is discreet unless the
// caller says otherwise; with SMS only, an email address is refused.
func TestCreateSubscriberByPhone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sms := &web.SMSConfig{Phones: phones.Rules{DefaultRegion: "GB", Countries: []string{"GB", "IE"}}}
		b := setup(t, db, func(c *api.Config) {
			c.Addresses = web.NewAddressRules(web.Config{SMS: sms, SMSOnly: true})
		})
		res := b.post("/api/v1/subscribers", `{"phone":"07400 123456","timezone":"Europe/London","cadence":"every_n_days","every":3,"time":"19:00","consent_text":"Text me."}`)
		var out struct{ Subscriber subscriberJSON }
		res.decode(t, &out)
		s := out.Subscriber
		if res.status != http.StatusCreated || s.Channel != "sms" || s.Address != "+447400123456" || !s.Discreet ||
			s.Schedule.Cadence != "every_n_days" || s.Schedule.Every != 3 || s.Schedule.Text != "every 3 from 2026-11-26 19:00" {
			t.Fatalf("%d %s", res.status, res.body)
		}
		res = b.post("/api/v1/subscribers", `{"phone":"+447400999888","timezone":"UTC","cadence":"daily","time":"19:00","consent_text":"x","discreet":false}`)
		res.decode(t, &out)
		if res.status != http.StatusCreated || out.Subscriber.Discreet {
			t.Fatalf("discreet false: %d %s", res.status, res.body)
		}
		for body, field := range map[string]string{
			`{"phone":"12","timezone":"UTC","cadence":"daily","time":"19:00","consent_text":"x"}`:              "phone",
			`{"phone":"+1 212 555 0100","timezone":"UTC","cadence":"daily","time":"19:00","consent_text":"x"}`: "phone",
			`{"email":"a@example.org","timezone":"UTC","cadence":"daily","time":"19:00","consent_text":"x"}`:   "email",
		} {
			b.do(call{method: http.MethodPost, path: "/api/v1/subscribers", body: body}).wantError(t, http.StatusBadRequest, "invalid", field)
		}
		if n := b.count(); n != 2 {
			t.Errorf("%d subscribers", n)
		}
	})
}

// confirmed: true with consented_at creates an active subscriber at once:
// no confirmation is sent, the caller's wording and time are recorded as
// the confirmation, and kept in the compliance records when the
// subscriber is erased. Only a new address; one that asked to stop is
// refused.
func TestCreateConfirmedSubscriber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		ctx := context.Background()
		const body = `{"email":"paper@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30",` +
			`"consent_text":"Signed the paper form.","confirmed":true,"consented_at":"2026-03-01T09:30:00+01:00"}`
		res := b.post("/api/v1/subscribers", body)
		var out struct {
			Subscriber         subscriberJSON
			Created            bool
			ConfirmationQueued bool `json:"confirmation_queued"`
		}
		res.decode(t, &out)
		s := out.Subscriber
		if res.status != http.StatusCreated || !out.Created || out.ConfirmationQueued || s.Status != "active" ||
			s.ConfirmedAt == nil || !s.ConfirmedAt.Equal(start) || s.NextPromptAt == nil ||
			!s.NextPromptAt.Equal(time.Date(2026, 11, 26, 20, 30, 0, 0, time.UTC)) {
			t.Fatalf("%d %s", res.status, res.body)
		}
		if ds, err := db.Deliveries(ctx, s.ID); err != nil || len(ds) != 0 {
			t.Errorf("deliveries %+v, %v", ds, err)
		}
		if b.wakes.Load() != 0 {
			t.Error("woke the sender with nothing to send")
		}
		consents, err := db.Consents(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		consentedAt := time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)
		if len(consents) != 1 || consents[0].Action != steady.ConsentConfirmed || !consents[0].At.Equal(consentedAt) ||
			consents[0].Method != "api:"+keyName || consents[0].Wording != api.ConfirmedPrefix+"Signed the paper form." {
			t.Fatalf("consents %+v", consents)
		}
		b.audited("create (confirmed, consented 2026-03-01T08:30:00Z)", "subscriber "+itoa(s.ID))

		// Known already: 409, left as it was.
		b.post("/api/v1/subscribers", body).wantError(t, http.StatusConflict, "conflict", "")
		pending := b.create("pending@example.org")
		b.post("/api/v1/subscribers", strings.Replace(body, "paper@", "pending@", 1)).wantError(t, http.StatusConflict, "conflict", "")
		if got := b.subscriber(pending.ID); got.Status != "pending" {
			t.Errorf("the pending subscriber is now %s", got.Status)
		}

		// Erased: the confirmation is kept for compliance, and the
		// address, having asked to stop first, cannot be created
		// confirmed again.
		if res := b.post(path("/api/v1/subscribers/", s.ID, "/unsubscribe"), ""); res.status != http.StatusOK {
			t.Fatal(res)
		}
		if res := b.del(path("/api/v1/subscribers/", s.ID)); res.status != http.StatusNoContent {
			t.Fatal(res)
		}
		hash, err := b.hasher.HashAddress(steady.ChannelEmail, "paper@example.org")
		if err != nil {
			t.Fatal(err)
		}
		records, err := db.ComplianceRecords(ctx, steady.ChannelEmail, hash)
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 2 || records[0].Action != store.ComplianceConsented || !records[0].At.Equal(consentedAt) ||
			records[0].Method != "api:"+keyName || records[1].Action != store.ComplianceOptedOut {
			t.Fatalf("compliance records %+v", records)
		}
		before := b.count()
		b.post("/api/v1/subscribers", body).wantError(t, http.StatusConflict, "conflict", "")
		if b.count() != before {
			t.Error("an address that asked to stop was created again")
		}
	})
}
