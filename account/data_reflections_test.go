package account_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestReflectionsListedNewestFirstAndSearched(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := dataSetup(t, db)
		_, s, _ := b.subscriber(t, "me@example.com", "First words, about the Lighthouse", "Second <b>bold</b> words", "Third, lighthouse again")
		_, other, _ := b.subscriber(t, "other@example.com", "someone else's lighthouse")

		res, page := b.get(t, "/settings/reflections", s)
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
		}
		third, second, first := strings.Index(page, "Third, lighthouse"), strings.Index(page, "Second &lt;b&gt;bold&lt;/b&gt;"), strings.Index(page, "First words")
		if third < 0 || second < 0 || first < 0 || !(third < second && second < first) {
			t.Errorf("not newest first, or not escaped: third %d, second %d, first %d", third, second, first)
		}
		for _, want := range []string{"Prompt 1: did you feel heard?", "Prompt 3: did you feel heard?", "Monday 2 March 2026", `name="t" value="` + s + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(page, "someone else") || strings.Contains(page, "<b>bold") {
			t.Error("page shows another subscriber's words, or unescaped HTML")
		}

		_, found := b.get(t, "/settings/reflections?q=LIGHTHOUSE", s)
		if !strings.Contains(found, "First words") || !strings.Contains(found, "Third, lighthouse") ||
			strings.Contains(found, "Second") || !strings.Contains(found, "2 reflections match") {
			t.Errorf("search for LIGHTHOUSE:\n%s", found)
		}
		if _, none := b.get(t, "/settings/reflections?q=nowhere-at-all", s); !strings.Contains(none, "Nothing you wrote matches") {
			t.Error("an empty search says nothing")
		}
		if _, theirs := b.get(t, "/settings/reflections", other); strings.Contains(theirs, "First words") {
			t.Error("the other subscriber sees my words")
		}
		// With cookies refused, the page's links and search carry the
		// session value; with the cookie they do not.
		_, bare := b.get(t, "/settings/reflections", "header:"+s)
		for _, want := range []string{`name="s" value="` + s + `"`, `href="/settings/export?s=` + s + `"`} {
			if !strings.Contains(bare, want) {
				t.Errorf("without a cookie, the page lacks %s", want)
			}
		}
		if strings.Contains(page, "?s=") || strings.Contains(page, `name="s"`) {
			t.Error("with the cookie, the page still carries the session value in a URL")
		}
		if res, _ := b.get(t, "/settings/reflections", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("without a session: %d", res.StatusCode)
		}
	})
}

func TestReflectionsPaged(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := dataSetup(t, db)
		sub, s, _ := b.subscriber(t, "many@example.com")
		ctx := context.Background()
		for i := range 52 {
			if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelSMS,
				Body: fmt.Sprintf("text number %02d.", i), ReceivedAt: t0.Add(time.Duration(i) * time.Hour), SourceID: "sms-" + strconv.Itoa(i)}); err != nil {
				t.Fatal(err)
			}
		}
		_, one := b.get(t, "/settings/reflections", s)
		if n := strings.Count(one, `class="card reflection"`); n != 50 {
			t.Errorf("page 1 shows %d, want 50", n)
		}
		if !strings.Contains(one, "text number 51.") || strings.Contains(one, "text number 01.") || !strings.Contains(one, `href="/settings/reflections?page=2"`) {
			t.Error("page 1 is not the newest 50 with a link to page 2")
		}
		_, two := b.get(t, "/settings/reflections?page=2", s)
		if n := strings.Count(two, `class="card reflection"`); n != 2 || !strings.Contains(two, "text number 00.") || !strings.Contains(two, `rel="prev"`) {
			t.Errorf("page 2 shows %d:\n%s", n, two)
		}
		if res, far := b.get(t, "/settings/reflections?page=99999999999", s); res.StatusCode != http.StatusOK || strings.Contains(far, `class="card reflection"`) {
			t.Errorf("a page far past the end: %d", res.StatusCode)
		}
	})
}

func removeForm(s string, id int64) url.Values {
	return url.Values{"t": {s}, "id": {strconv.FormatInt(id, 10)}}
}

func TestRemoveAReflection(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := dataSetup(t, db)
		ctx := context.Background()
		me, s, mine := b.subscriber(t, "me@example.com", "keep these words", "remove these words")
		other, _, theirs := b.subscriber(t, "other@example.com", "not yours to remove")

		// Another subscriber's reply id, a form without the session value,
		// and a form with someone else's: nothing changes.
		if res, _ := b.post(t, "/settings/reflections/delete", s, removeForm(s, theirs[0].ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("someone else's id: %d, want 404", res.StatusCode)
		}
		if res, _ := b.post(t, "/settings/reflections/delete", s, url.Values{"id": {strconv.FormatInt(mine[1].ID, 10)}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("no session value in the form: %d, want 403", res.StatusCode)
		}
		if res, _ := b.post(t, "/settings/reflections/delete", s, removeForm("forged", mine[1].ID)); res.StatusCode != http.StatusForbidden {
			t.Errorf("a wrong session value in the form: %d, want 403", res.StatusCode)
		}
		if res, _ := b.post(t, "/settings/reflections/delete", s, url.Values{"t": {s}, "id": {"x"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("no id: %d, want 400", res.StatusCode)
		}
		if rs, _ := db.Replies(ctx, other.ID); len(rs) != 1 {
			t.Fatalf("the other subscriber has %d replies", len(rs))
		}
		if rs, _ := db.Replies(ctx, me.ID); len(rs) != 2 {
			t.Fatalf("I have %d replies", len(rs))
		}

		form := removeForm(s, mine[1].ID)
		form.Set("q", "words")
		res, _ := b.post(t, "/settings/reflections/delete", s, form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings/reflections?q=words&removed=1" {
			t.Fatalf("remove: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, page := b.get(t, res.Header.Get("Location"), s)
		if strings.Contains(page, "remove these words") || !strings.Contains(page, "keep these words") || !strings.Contains(page, "Removed.") {
			t.Errorf("after removing:\n%s", page)
		}
		rs, err := db.Replies(ctx, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Body != "keep these words" {
			t.Errorf("left in the database: %v", rs)
		}
		if res, _ := b.post(t, "/settings/reflections/delete", s, removeForm(s, mine[1].ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("removing again: %d, want 404", res.StatusCode)
		}
		// Without a cookie, the way back carries the session value.
		res, _ = b.post(t, "/settings/reflections/delete", "header:"+s, removeForm(s, mine[0].ID))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings/reflections?removed=1&s="+s {
			t.Errorf("remove without a cookie: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

// A reflection removed through the page is in none of SQLite's files. The
// database has no key, so the words are on disk in plain text before.
func TestRemovedReflectionIsInNoSQLiteFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "steady.db")
	db := storetest.Open(t, path, store.WithKeyring(nil))
	b := dataSetup(t, db)
	const marker = "account-remove-marker-4f1a9b"
	_, s, rs := b.subscriber(t, "disk@example.com", "still here", "NO. "+marker)
	if found := storetest.SQLiteFilesContaining(t, path, marker); len(found) == 0 {
		t.Fatal("the marker is in no SQLite file before; the check would prove nothing")
	}
	if res, _ := b.post(t, "/settings/reflections/delete", s, removeForm(s, rs[1].ID)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	// The handler checkpointed: no copy is left in the -wal while the
	// database is still open, as it is under serve.
	if found := storetest.SQLiteFilesContaining(t, path, marker); len(found) != 0 {
		t.Errorf("after removing, the marker is in %v", found)
	}
	if _, err := db.DeleteReply(context.Background(), rs[1].SubscriberID, rs[1].ID); !errors.Is(err, steady.ErrNotFound) {
		t.Errorf("the reply is still there: %v", err)
	}
}
