package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

type subscriberPage struct {
	Subscribers []subscriberJSON
	Next        string
}

// Paging by the next cursor visits every subscriber once, in id order,
// and the last page has no next; filters narrow the list.
func TestListSubscribers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		var all, active []int64
		for i, addr := range []string{"ann@example.org", "bob@example.net", "cat@example.org", "dan@example.org",
			"eve@example.net", "fay@example.org", "gus@example.org"} {
			s := b.create(addr)
			if i%2 == 0 {
				b.confirm(s.ID)
				active = append(active, s.ID)
			}
			all = append(all, s.ID)
		}
		var seen []int64
		pages := 0
		for q := "/api/v1/subscribers?limit=3"; ; {
			var page subscriberPage
			res := b.get(q)
			res.decode(t, &page)
			if res.status != http.StatusOK || len(page.Subscribers) == 0 || len(page.Subscribers) > 3 {
				t.Fatalf("%s: %d %s", q, res.status, res.body)
			}
			pages++
			for _, s := range page.Subscribers {
				seen = append(seen, s.ID)
			}
			if page.Next == "" {
				break
			}
			q = "/api/v1/subscribers?limit=3&after=" + page.Next
		}
		if pages != 3 || !slices.Equal(seen, all) {
			t.Fatalf("%d pages, ids %v, want %v", pages, seen, all)
		}
		// A page that ends exactly at the last subscriber has no next.
		var page subscriberPage
		b.get("/api/v1/subscribers?limit=7").decode(t, &page)
		if len(page.Subscribers) != 7 || page.Next != "" {
			t.Errorf("limit 7 of 7: %d, next %q", len(page.Subscribers), page.Next)
		}

		ids := func(q string) []int64 {
			var page subscriberPage
			res := b.get(q)
			if res.status != http.StatusOK {
				t.Fatalf("%s: %d %s", q, res.status, res.body)
			}
			res.decode(t, &page)
			var out []int64
			for _, s := range page.Subscribers {
				out = append(out, s.ID)
			}
			return out
		}
		if got := ids("/api/v1/subscribers?status=active"); !slices.Equal(got, active) {
			t.Errorf("active: %v, want %v", got, active)
		}
		if got := ids("/api/v1/subscribers?address=EXAMPLE.NET"); !slices.Equal(got, []int64{all[1], all[4]}) {
			t.Errorf("example.net: %v", got)
		}
		if got := ids("/api/v1/subscribers?status=pending&address=.net"); !slices.Equal(got, []int64{all[1]}) {
			t.Errorf("pending .net: %v", got)
		}
		if got := ids("/api/v1/subscribers?channel=sms"); len(got) != 0 {
			t.Errorf("sms: %v", got)
		}
		if got := ids("/api/v1/subscribers?address=_"); len(got) != 0 {
			t.Errorf("_ is not a wildcard: %v", got)
		}

		for q, field := range map[string]string{
			"status=gone":                         "status",
			"channel=pigeon":                      "channel",
			"limit=0":                             "limit",
			"limit=501":                           "limit",
			"limit=ten":                           "limit",
			"after=-1":                            "after",
			"statuses=active":                     "statuses",
			"status=a&status=b":                   "status",
			"address=%00":                         "address",
			"address=" + strings.Repeat("a", 255): "address",
		} {
			b.do(call{method: http.MethodGet, path: "/api/v1/subscribers?" + q, bad: true}).wantError(t, http.StatusBadRequest, "invalid", field)
		}
	})
}

// One subscriber by id; an id that is none is 404, one that is not a
// number 400.
func TestGetSubscriber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		s := b.active("get@example.org")
		if s.Status != "active" || s.NextPromptAt == nil || s.ConfirmedAt == nil || s.Address != "get@example.org" {
			t.Fatalf("%+v", s)
		}
		// 20:30 in London on 26 November is 20:30 UTC.
		if got := s.NextPromptAt.Format("2006-01-02T15:04Z07:00"); got != "2026-11-26T20:30Z" {
			t.Errorf("next prompt %s", got)
		}
		b.get("/api/v1/subscribers/999999").wantError(t, http.StatusNotFound, "not_found", "")
		b.do(call{method: http.MethodGet, path: "/api/v1/subscribers/abc", bad: true}).wantError(t, http.StatusBadRequest, "invalid", "id")
		b.do(call{method: http.MethodGet, path: "/api/v1/subscribers/0", bad: true}).wantError(t, http.StatusBadRequest, "invalid", "id")
	})
}
