package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/api"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// PATCH changes an active subscriber's schedule at once, as their settings
// page would; what is left out stays; a pending one is 409.
func TestUpdateSubscriber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		s := b.active("patch@example.org") // daily 20:30, Europe/London

		res := b.patch(path("/api/v1/subscribers/", s.ID), `{"time":"13:15"}`)
		var got subscriberJSON
		res.decode(t, &got)
		if res.status != http.StatusOK || got.Schedule.Text != "daily 13:15" || got.TimeZone != "Europe/London" ||
			!got.NextPromptAt.Equal(time.Date(2026, 11, 26, 13, 15, 0, 0, time.UTC)) {
			t.Fatalf("time: %d %s", res.status, res.body)
		}
		res = b.patch(path("/api/v1/subscribers/", s.ID), `{"timezone":"America/New_York","cadence":"weekly","days":["sat"]}`)
		res.decode(t, &got)
		// Saturday 28 November 13:15 in New York is 18:15 UTC.
		if res.status != http.StatusOK || got.Schedule.Text != "weekly sat 13:15" || got.TimeZone != "America/New_York" ||
			!got.NextPromptAt.Equal(time.Date(2026, 11, 28, 18, 15, 0, 0, time.UTC)) {
			t.Fatalf("zone and cadence: %d %s", res.status, res.body)
		}
		if stored, err := db.Subscriber(context.Background(), s.ID); err != nil || stored.Schedule.String() != "weekly sat 13:15" {
			t.Fatalf("stored %v %v", stored.Schedule, err)
		}
		b.audited("change schedule to weekly sat 13:15 (America/New_York)", "subscriber "+itoa(s.ID))

		for body, field := range map[string]string{
			`{"cadence":"hourly"}`:               "cadence",
			`{"cadence":"every_n_days"}`:         "every",
			`{"timezone":"Atlantis"}`:            "timezone",
			`{"time":"noon"}`:                    "time",
			`{}`:                                 "",
			`{"address":"x@example.org"}`:        "address",
			`{"timezone":"Europe/London\u0000"}`: "timezone",
			`{"days":"mon"}`:                     "days",
		} {
			b.do(call{method: http.MethodPatch, path: path("/api/v1/subscribers/", s.ID), body: body, bad: true}).
				wantError(t, http.StatusBadRequest, "invalid", field)
		}
		if again := b.subscriber(s.ID); again.Schedule.Text != "weekly sat 13:15" {
			t.Errorf("bad input changed the schedule to %s", again.Schedule.Text)
		}
		pending := b.create("pending@example.org")
		b.patch(path("/api/v1/subscribers/", pending.ID), `{"time":"08:00"}`).wantError(t, http.StatusConflict, "conflict", "")
		b.patch("/api/v1/subscribers/999999", `{"time":"08:00"}`).wantError(t, http.StatusNotFound, "not_found", "")
	})
}

// Pause for weeks or until a date, resume, and the refusals.
func TestPauseAndResume(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		s := b.active("pause@example.org")
		p := path("/api/v1/subscribers/", s.ID)

		var got subscriberJSON
		res := b.post(p+"/pause", `{"weeks":2}`)
		res.decode(t, &got)
		if res.status != http.StatusOK || got.PausedUntil == nil || !got.PausedUntil.Equal(start.Add(14*24*time.Hour)) ||
			!got.NextPromptAt.Equal(time.Date(2026, 12, 10, 20, 30, 0, 0, time.UTC)) {
			t.Fatalf("weeks: %d %s", res.status, res.body)
		}
		// A date is the start of that day in the subscriber's zone.
		res = b.post(p+"/pause", `{"until":"2026-12-24"}`)
		res.decode(t, &got)
		if res.status != http.StatusOK || !got.PausedUntil.Equal(time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("date: %d %s", res.status, res.body)
		}
		res = b.post(p+"/pause", `{"until":"2026-12-01T09:00:00+01:00"}`)
		res.decode(t, &got)
		if res.status != http.StatusOK || !got.PausedUntil.Equal(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)) {
			t.Fatalf("time: %d %s", res.status, res.body)
		}
		for body, field := range map[string]string{
			`{}`:                               "until",
			`{"weeks":0}`:                      "weeks",
			`{"weeks":53}`:                     "weeks",
			`{"weeks":1,"until":"2026-12-24"}`: "until",
			`{"until":"2026-11-01"}`:           "until",
			`{"until":"2028-01-01"}`:           "until",
			`{"until":"next week"}`:            "until",
			`{"days":3}`:                       "days",
		} {
			b.do(call{method: http.MethodPost, path: p + "/pause", body: body, bad: true}).wantError(t, http.StatusBadRequest, "invalid", field)
		}
		b.do(call{method: http.MethodPost, path: p + "/pause", bad: true}).wantError(t, http.StatusUnsupportedMediaType, "invalid", "")

		res = b.post(p+"/resume", "")
		res.decode(t, &got)
		if res.status != http.StatusOK || got.PausedUntil != nil || !got.NextPromptAt.Equal(time.Date(2026, 11, 26, 20, 30, 0, 0, time.UTC)) {
			t.Fatalf("resume: %d %s", res.status, res.body)
		}
		if res := b.post(p+"/resume", "{}"); res.status != http.StatusOK {
			t.Errorf("resume with {}: %d %s", res.status, res.body)
		}
		b.do(call{method: http.MethodPost, path: p + "/resume", body: `{"now":true}`, bad: true}).wantError(t, http.StatusBadRequest, "invalid", "now")
		if res := b.do(call{method: http.MethodPost, path: p + "/resume", contentType: "application/json"}); res.status != http.StatusOK {
			t.Errorf("resume with a JSON type and no body: %d %s", res.status, res.body)
		}
		b.do(call{method: http.MethodPost, path: p + "/resume", body: "now=1", contentType: "application/x-www-form-urlencoded", bad: true}).
			wantError(t, http.StatusUnsupportedMediaType, "invalid", "")

		pending := b.create("pending@example.org")
		b.post(path("/api/v1/subscribers/", pending.ID, "/pause"), `{"weeks":1}`).wantError(t, http.StatusConflict, "conflict", "")
		b.post(path("/api/v1/subscribers/", pending.ID, "/resume"), "").wantError(t, http.StatusConflict, "conflict", "")
		b.post("/api/v1/subscribers/999999/pause", `{"weeks":1}`).wantError(t, http.StatusNotFound, "not_found", "")
		b.post("/api/v1/subscribers/999999/resume", "").wantError(t, http.StatusNotFound, "not_found", "")
		b.audited("pause until 2026-12-10T12:00:00Z", "subscriber "+itoa(s.ID))
		b.audited("resume", "subscriber "+itoa(s.ID))
	})
}

// Unsubscribe is idempotent, cancels what was queued and records the
// opt-out once, under the key.
func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		ctx := context.Background()
		s := b.create("leave@example.org") // its confirmation is queued
		p := path("/api/v1/subscribers/", s.ID, "/unsubscribe")
		for i := range 2 {
			var got subscriberJSON
			res := b.post(p, "")
			res.decode(t, &got)
			if res.status != http.StatusOK || got.Status != "unsubscribed" || !got.UnsubscribedAt.Equal(start) {
				t.Fatalf("unsubscribe %d: %d %s", i, res.status, res.body)
			}
		}
		consents, err := db.Consents(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		var outs []steady.Consent
		for _, c := range consents {
			if c.Action == steady.ConsentUnsubscribed {
				outs = append(outs, c)
			}
		}
		if len(outs) != 1 || outs[0].Method != "api:"+keyName || outs[0].Wording != api.UnsubscribeWording {
			t.Fatalf("opt-outs %+v", outs)
		}
		ds, err := db.Deliveries(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Status != steady.DeliveryCancelled {
			t.Errorf("deliveries %+v", ds)
		}
		b.audited("unsubscribe", "subscriber "+itoa(s.ID))
		b.post("/api/v1/subscribers/999999/unsubscribe", "").wantError(t, http.StatusNotFound, "not_found", "")
	})
}

// DELETE erases the subscriber and keeps what compliance needs of their
// consent records under the keyed hash of the address.
func TestDeleteSubscriberKeepsComplianceRecords(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		ctx := context.Background()
		s := b.active("erase@example.org")
		keep := b.active("keep@example.org")
		res := b.del(path("/api/v1/subscribers/", s.ID))
		if res.status != http.StatusNoContent || len(res.body) != 0 {
			t.Fatalf("delete: %d %s", res.status, res.body)
		}
		b.get(path("/api/v1/subscribers/", s.ID)).wantError(t, http.StatusNotFound, "not_found", "")
		b.del(path("/api/v1/subscribers/", s.ID)).wantError(t, http.StatusNotFound, "not_found", "")
		if _, err := db.Subscriber(ctx, s.ID); err == nil {
			t.Fatal("the subscriber is still stored")
		}
		hash, err := b.hasher.HashAddress(steady.ChannelEmail, "erase@example.org")
		if err != nil {
			t.Fatal(err)
		}
		records, err := db.ComplianceRecords(ctx, steady.ChannelEmail, hash)
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 1 || records[0].Action != store.ComplianceConsented || !records[0].At.Equal(start) {
			t.Fatalf("compliance records %+v", records)
		}
		if got := b.subscriber(keep.ID); got.Status != "active" {
			t.Errorf("the other subscriber is %s", got.Status)
		}
		b.audited("delete", "subscriber "+itoa(s.ID))
		if logs := b.logs.String(); strings.Contains(logs, "erase@") {
			t.Errorf("the log names the address:\n%s", logs)
		}
	})
}
