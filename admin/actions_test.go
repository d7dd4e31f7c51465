package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// TestSubscriberActions: each action changes what it says, on the page
// and in the database, and is audited.
func TestSubscriberActions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		c := b.client(t)
		c.login()
		ctx := t.Context()
		page := "/admin/subscribers/" + itoa(b.active.ID)

		code, loc, _ := c.post(page, page+"/pause", url.Values{"for": {"1w"}})
		if code != http.StatusSeeOther || loc != page+"?done=paused" {
			t.Fatalf("pause = %d → %q", code, loc)
		}
		sub, _ := db.Subscriber(ctx, b.active.ID)
		if want := b.clock.Now().AddDate(0, 0, 7); !sub.PausedUntil.Equal(want) {
			t.Errorf("paused until %v, want %v", sub.PausedUntil, want)
		}
		if _, body := c.get(loc); !strings.Contains(body, "paused until "+sub.PausedUntil.Format("2006-01-02")) || !strings.Contains(body, "Paused:") {
			t.Errorf("the page does not say paused: %.2000s", body)
		}

		if code, loc, _ = c.post(page, page+"/resume", nil); code != http.StatusSeeOther {
			t.Fatalf("resume = %d", code)
		}
		sub, _ = db.Subscriber(ctx, b.active.ID)
		if !sub.PausedUntil.IsZero() || sub.NextSlot.IsZero() {
			t.Errorf("after resume: paused until %v, next %v", sub.PausedUntil, sub.NextSlot)
		}
		if _, body := c.get(loc); !strings.Contains(body, `<dd id="status">active</dd>`) {
			t.Error("the page does not say active")
		}
		// Resuming what is not paused is refused, not pretended.
		if code, _, _ = c.post(page, page+"/pause", nil); code != http.StatusSeeOther {
			t.Fatal(code)
		}

		code, loc, _ = c.post(page, page+"/unsubscribe", nil)
		sub, _ = db.Subscriber(ctx, b.active.ID)
		if code != http.StatusSeeOther || sub.Status != steady.StatusUnsubscribed {
			t.Errorf("unsubscribe = %d, status %s", code, sub.Status)
		}
		if _, body := c.get(loc); !strings.Contains(body, `<dd id="status">unsubscribed</dd>`) || strings.Contains(body, "/unsubscribe\"") {
			t.Error("the page does not say unsubscribed, or still offers it")
		}
		if code, _, _ = c.post(page, page+"/pause", nil); code != http.StatusConflict {
			t.Errorf("pausing an unsubscribed subscriber = %d", code)
		}

		// Export: their own download.
		code, _, body := c.post(page, page+"/export", nil)
		var ex struct {
			Subscriber struct{ Address string } `json:"subscriber"`
		}
		if code != http.StatusOK || json.Unmarshal([]byte(body), &ex) != nil || ex.Subscriber.Address != b.active.Address {
			t.Errorf("export = %d: %.300s", code, body)
		}

		// Delete: refused without the word, done with it.
		code, _, body = c.post(page+"/delete", page+"/delete", url.Values{"confirm": {"yes"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Type DELETE") {
			t.Errorf("delete without DELETE = %d", code)
		}
		if _, err := db.Subscriber(ctx, b.active.ID); err != nil {
			t.Fatalf("deleted without confirmation: %v", err)
		}
		code, loc, _ = c.post(page+"/delete", page+"/delete", url.Values{"confirm": {"DELETE"}})
		if code != http.StatusSeeOther || loc != "/admin/subscribers?done=deleted" {
			t.Fatalf("delete = %d → %q", code, loc)
		}
		if _, err := db.Subscriber(ctx, b.active.ID); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		hash, _ := b.hasher.HashAddress(steady.ChannelEmail, b.active.Address)
		recs, err := db.ComplianceRecords(ctx, steady.ChannelEmail, hash)
		if err != nil || len(recs) < 2 {
			t.Errorf("compliance records kept: %d, %v", len(recs), err)
		}
		if code, _ := c.get(page); code != http.StatusNotFound {
			t.Errorf("the deleted subscriber's page = %d", code)
		}

		target := "subscriber " + itoa(b.active.ID)
		want := []string{"sam login", "sam pause " + target, "sam resume " + target, "sam pause " + target,
			"sam unsubscribe " + target, "sam export without replies " + target, "sam delete " + target}
		if got := b.auditActions(t); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("audit:\n%v\nwant\n%v", got, want)
		}
	})
}

// TestResendConfirmation: only a pending subscriber gets one, and not
// twice within the hour.
func TestResendConfirmation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		c := b.client(t)
		c.login()
		confirms := func() int {
			ds, err := db.ListDeliveries(t.Context(), store.DeliveryFilter{SubscriberID: b.pending.ID, Kind: steady.KindConfirm})
			if err != nil {
				t.Fatal(err)
			}
			return len(ds)
		}
		before := confirms()
		b.clock.Advance(2 * 3600e9) // the sign-up's own confirmation is two hours old
		page := "/admin/subscribers/" + itoa(b.pending.ID)
		if code, loc, _ := c.post(page, page+"/resend", nil); code != http.StatusSeeOther || loc != page+"?done=resent" {
			t.Fatalf("resend = %d → %q", code, loc)
		}
		if got := confirms(); got != before+1 || b.woke.Load() != 1 {
			t.Errorf("confirmations %d → %d, woke %d", before, got, b.woke.Load())
		}
		if _, loc, _ := c.post(page, page+"/resend", nil); loc != page+"?done=resend-later" || confirms() != before+1 {
			t.Errorf("a second resend at once → %q, %d confirmations", loc, confirms())
		}
		active := "/admin/subscribers/" + itoa(b.active.ID)
		code, _, body := c.do(http.MethodPost, active+"/resend", url.Values{"csrf": {c.csrf(active)}})
		if code != http.StatusConflict || strings.Contains(body, "is queued") {
			t.Errorf("resend to an active subscriber = %d", code)
		}
	})
}

// TestRequeueAndHeld: "send again" requeues a failed delivery and wakes
// the sender; held mail is discarded, or released through Release.
func TestRequeueAndHeld(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var filed bool
		var released []byte
		b := setup(t, db, func(cfg *Config) {
			cfg.Release = func(_ context.Context, raw []byte) (bool, string, error) {
				released = raw
				return filed, map[bool]string{true: "filed as a reply", false: "matched nobody"}[filed], nil
			}
		})
		c := b.client(t)
		c.login()
		ctx := t.Context()
		_, body := c.get("/admin/deliveries")
		if !strings.Contains(body, "smtp: 550 mailbox unavailable") || !strings.Contains(body, "al…@example.com") || strings.Contains(body, b.active.Address) {
			t.Errorf("deliveries page: %.3000s", body)
		}
		path := "/admin/deliveries/" + itoa(b.failed.ID) + "/requeue"
		if code, loc, _ := c.post("/admin/deliveries", path, nil); code != http.StatusSeeOther || loc != "/admin/deliveries?done=requeued" {
			t.Fatalf("requeue = %d → %q", code, loc)
		}
		d, err := db.Delivery(ctx, b.failed.ID)
		if err != nil || d.Status != steady.DeliveryQueued || b.woke.Load() != 1 {
			t.Errorf("after requeue: %s %v, woke %d", d.Status, err, b.woke.Load())
		}
		if code, _, _ := c.post("/admin/deliveries", path, nil); code != http.StatusConflict {
			t.Errorf("requeueing a queued delivery = %d", code)
		}

		_, body = c.get("/admin/held")
		if !strings.Contains(body, "unmatched") || !strings.Contains(body, "abcdef01") || strings.Contains(body, "held body text") {
			t.Errorf("held page: %.3000s", body)
		}
		rel := "/admin/held/" + itoa(b.heldID) + "/release"
		if _, loc, _ := c.post("/admin/held", rel, nil); loc != "/admin/held?done=still-held" || !strings.Contains(string(released), "held body text") {
			t.Errorf("release that matches nobody → %q", loc)
		}
		if _, err := db.HeldMessage(ctx, b.heldID); err != nil {
			t.Errorf("a release that filed nothing lost the message: %v", err)
		}
		filed = true
		if _, loc, _ := c.post("/admin/held", rel, nil); loc != "/admin/held?done=released" {
			t.Errorf("release → %q", loc)
		}
		if _, err := db.HeldMessage(ctx, b.heldID); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("a filed message is still held: %v", err)
		}
		id2, _, err := db.HoldInbound(ctx, store.HeldMessage{ReceivedAt: b.clock.Now(), Source: "smtp", Reason: "rejected", Raw: []byte("x")})
		if err != nil {
			t.Fatal(err)
		}
		if _, loc, _ := c.post("/admin/held", "/admin/held/"+itoa(id2)+"/discard", nil); loc != "/admin/held?done=discarded" {
			t.Errorf("discard → %q", loc)
		}
		if _, err := db.HeldMessage(ctx, id2); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("discarded message: %v", err)
		}
		got := strings.Join(b.auditActions(t), "|")
		for _, w := range []string{"sam send again delivery " + itoa(b.failed.ID), "sam release held mail: matched nobody held " + itoa(b.heldID),
			"sam release held mail: filed as a reply held " + itoa(b.heldID), "sam discard held mail held " + itoa(id2)} {
			if !strings.Contains(got, w) {
				t.Errorf("audit lacks %q: %s", w, got)
			}
		}
	})
}

// TestReplyBodies: no page shows a reply body by default; with
// ShowReplies the replies page does, and the view is audited.
func TestReplyBodies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, show := range []bool{false, true} {
			b := setup(t, db, func(cfg *Config) { cfg.ShowReplies = show })
			c := b.client(t)
			c.login()
			page := "/admin/subscribers/" + itoa(b.active.ID)
			for _, p := range []string{"/admin", "/admin/subscribers", page, "/admin/deliveries", "/admin/held", "/admin/audit", "/admin/config"} {
				if _, body := c.get(p); strings.Contains(body, secretWords) {
					t.Errorf("show=%v: %s shows a reply", show, p)
				}
			}
			code, body := c.get(page + "/replies")
			if show != strings.Contains(body, secretWords) || show != (code == http.StatusOK) {
				t.Errorf("show=%v: replies page = %d, body shown %v", show, code, strings.Contains(body, secretWords))
			}
			// The export holds their words only with the setting.
			code, _, exported := c.post(page, page+"/export", nil)
			if code != http.StatusOK || show != strings.Contains(exported, secretWords) || show == strings.Contains(exported, `"words_withheld": true`) {
				t.Errorf("show=%v: export = %d, holds the reply %v: %.400s", show, code, strings.Contains(exported, secretWords), exported)
			}
			audited := strings.Contains(strings.Join(b.auditActions(t), "|"), "sam view replies subscriber "+itoa(b.active.ID))
			if audited != show {
				t.Errorf("show=%v: view audited %v", show, audited)
			}
			// The second round seeds the same addresses again: clear them.
			if !show {
				for _, id := range []int64{b.active.ID, b.pending.ID} {
					if err := db.DeleteSubscriber(t.Context(), id, b.hasher); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	})
}

// TestOverviewCounts: the overview's numbers come from the data.
func TestOverviewCounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		c := b.client(t)
		c.login()
		_, body := c.get("/admin")
		for _, want := range []string{"failed 1", "sent 0", "reply rate: no prompts sent yet", `<span class="figure">2</span>subscribers`, "<svg", "<rect",
			`<th scope="row">` + b.failed.Slot.UTC().Format("2006-01-02") + `</th><td class="n">0</td><td class="n">1</td>`,
			`<span class="figure">1</span><a href="/admin/held">`} {
			if !strings.Contains(body, want) {
				t.Errorf("overview lacks %q", want)
			}
		}
		if strings.Contains(body, b.active.Address) || strings.Contains(body, secretWords) {
			t.Error("the overview names someone")
		}
		_, body = c.get("/admin/subscribers?q=alex")
		if !strings.Contains(body, b.active.Address) || strings.Contains(body, b.pending.Address) {
			t.Error("search by address")
		}
		_, body = c.get("/admin/subscribers?status=pending")
		if strings.Contains(body, b.active.Address) || !strings.Contains(body, b.pending.Address) {
			t.Error("search by status")
		}
		if code, body := c.get("/admin/subscribers?status=bogus"); code != http.StatusBadRequest || !strings.Contains(body, "not a subscriber status") {
			t.Errorf("a bad status = %d", code)
		}
		_, body = c.get("/admin/config")
		if !strings.Contains(body, "STEADY_SECRET") || !strings.Contains(body, "<td>set</td>") {
			t.Error("config page")
		}
	})
}
