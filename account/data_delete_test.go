package account_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestDeleteEverything(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := dataSetup(t, db)
		ctx := context.Background()
		sub, s, _ := b.subscriber(t, "leaving@example.com", "delete-marker words")
		other, _, _ := b.subscriber(t, "staying@example.com", "staying words")
		hash, err := b.hasher.HashAddress(sub.Channel, sub.Address)
		if err != nil {
			t.Fatal(err)
		}

		res, page := b.get(t, "/settings/delete", s)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "cannot be undone") || !strings.Contains(page, `name="confirm"`) {
			t.Fatalf("confirmation page %d:\n%s", res.StatusCode, page)
		}
		// The confirmation step: nothing happens without the typed word,
		// or without the page's session value.
		for _, form := range []url.Values{{"t": {s}}, {"t": {s}, "confirm": {"yes"}}, {"confirm": {"delete"}}, {"t": {"forged"}, "confirm": {"delete"}}} {
			res, _ := b.post(t, "/settings/delete", s, form)
			if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusForbidden {
				t.Errorf("form %v: %d", form, res.StatusCode)
			}
			if _, err := db.Subscriber(ctx, sub.ID); err != nil {
				t.Fatalf("form %v deleted the subscriber: %v", form, err)
			}
		}

		res, page = b.post(t, "/settings/delete", s, url.Values{"t": {s}, "confirm": {" Delete "}})
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "Everything is deleted") {
			t.Fatalf("delete: %d\n%s", res.StatusCode, page)
		}
		for _, personal := range []string{"leaving@example.com", "delete-marker", s} {
			if strings.Contains(page, personal) {
				t.Errorf("the goodbye page shows %q", personal)
			}
		}
		cleared := false
		for _, c := range res.Cookies() {
			if c.Name == cookieName && c.MaxAge < 0 && c.Value == "" && c.Path == "/settings" {
				cleared = true
			}
		}
		if !cleared || !strings.Contains(res.Header.Get("Clear-Site-Data"), `"cache"`) {
			t.Errorf("session not cleared: Set-Cookie %q, Clear-Site-Data %q", res.Header.Values("Set-Cookie"), res.Header.Get("Clear-Site-Data"))
		}
		if _, err := db.Subscriber(ctx, sub.ID); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("the subscriber is still there: %v", err)
		}
		if rs, err := db.Replies(ctx, sub.ID); err != nil || len(rs) != 0 {
			t.Errorf("replies left: %v, %v", rs, err)
		}
		kept, err := db.ComplianceRecords(ctx, sub.Channel, hash)
		if err != nil || len(kept) == 0 {
			t.Fatalf("no compliance record kept: %v, %v", kept, err)
		}
		if rs, _ := db.Replies(ctx, other.ID); len(rs) != 1 {
			t.Errorf("the other subscriber lost replies: %v", rs)
		}

		// A second POST (the stub session outlives the erasure, as an open
		// page would) says goodbye again and changes nothing.
		res, page = b.post(t, "/settings/delete", s, url.Values{"t": {s}, "confirm": {"delete"}})
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "Everything is deleted") {
			t.Errorf("second delete: %d\n%s", res.StatusCode, page)
		}
		again, err := db.ComplianceRecords(ctx, sub.Channel, hash)
		if err != nil || len(again) != len(kept) {
			t.Errorf("compliance records after a second POST: %d, want %d (%v)", len(again), len(kept), err)
		}
	})
}

func TestNewDataNeedsStoreAndHasher(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	if _, err := account.NewData(account.DataConfig{Store: db}); err == nil {
		t.Error("no hasher: no error")
	}
	b := dataSetup(t, db)
	if _, err := account.NewData(account.DataConfig{Hasher: b.hasher}); err == nil {
		t.Error("no store: no error")
	}
}
