package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// withReplies makes an active subscriber with n prompts, answered in
// order a minute after each was due, reply i saying bodies[i].
func withReplies(t *testing.T, db *store.DB, address string, bodies ...string) (steady.Subscriber, []steady.Reply) {
	t.Helper()
	ctx := context.Background()
	sub := active(t, db, address, t0)
	var out []steady.Reply
	for i, body := range bodies {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		if _, err := db.ClaimDue(ctx, at, 10, planDaily); err != nil {
			t.Fatal(err)
		}
		ds := mustDeliveries(t, db, sub.ID)
		r, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, DeliveryID: ds[len(ds)-1].ID,
			Channel: steady.ChannelWeb, Body: body, ReceivedAt: at.Add(time.Minute), SourceID: fmt.Sprintf("%s-%d", address, i)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return sub, out
}

func bodiesOf(rs []store.Reflection) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Reply.Body)
	}
	return out
}

func TestReflectionsNewestFirstSearchedAndPaged(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub, _ := withReplies(t, db, "mine@example.com", "first: an Umbrella day", "second", "third: umbrellas again", "fourth")
		withReplies(t, db, "theirs@example.com", "umbrella of someone else")
		// A text that answers no prompt is listed too, with no prompt.
		if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelSMS,
			Body: "loose text", ReceivedAt: t0.Add(10 * 24 * time.Hour), SourceID: "loose"}); err != nil {
			t.Fatal(err)
		}

		all, total, err := db.Reflections(ctx, sub.ID, "", 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"loose text", "fourth", "third: umbrellas again", "second", "first: an Umbrella day"}
		if got := bodiesOf(all); strings.Join(got, "|") != strings.Join(want, "|") || total != 5 {
			t.Fatalf("all = %q (total %d), want %q (5)", got, total, want)
		}
		if all[0].PromptText != "" || all[1].PromptText != "Did you feel heard today? YES or NO" || all[1].Theme != "honesty" {
			t.Errorf("prompts = %q, %q (%q)", all[0].PromptText, all[1].PromptText, all[1].Theme)
		}

		// Case-insensitive, over the opened (sealed at rest) text, and
		// never another subscriber's.
		found, total, err := db.Reflections(ctx, sub.ID, "  umBRELLA ", 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := bodiesOf(found); strings.Join(got, "|") != "third: umbrellas again|first: an Umbrella day" || total != 2 {
			t.Errorf("search = %q (total %d)", got, total)
		}
		// The prompt's words are searched too.
		if _, total, _ := db.Reflections(ctx, sub.ID, "feel heard", 50, 0); total != 4 {
			t.Errorf("search of the prompt: total %d, want 4", total)
		}

		page, total, err := db.Reflections(ctx, sub.ID, "", 2, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got := bodiesOf(page); strings.Join(got, "|") != "third: umbrellas again|second" || total != 5 {
			t.Errorf("page 2 = %q (total %d)", got, total)
		}
		if page, total, _ := db.Reflections(ctx, sub.ID, "", 2, 6); len(page) != 0 || total != 5 {
			t.Errorf("past the end: %d, total %d", len(page), total)
		}
		for _, bad := range [][2]int{{0, 0}, {store.MaxReflectionsPage + 1, 0}, {10, -1}} {
			if _, _, err := db.Reflections(ctx, sub.ID, "", bad[0], bad[1]); !steady.IsInvalid(err) {
				t.Errorf("limit %d offset %d: err = %v, want invalid", bad[0], bad[1], err)
			}
		}
	})
}

func TestDeleteReplyOnlyTheSubscribersOwn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		me, mine := withReplies(t, db, "me@example.com", "keep this", "remove this")
		other, theirs := withReplies(t, db, "other@example.com", "not yours")

		if _, err := db.DeleteReply(ctx, me.ID, theirs[0].ID); !errors.Is(err, steady.ErrNotFound) {
			t.Fatalf("deleting another subscriber's reply: err = %v, want not found", err)
		}
		if rs, _ := db.Replies(ctx, other.ID); len(rs) != 1 {
			t.Fatalf("the other subscriber's reply went: %v", rs)
		}

		gone, err := db.DeleteReply(ctx, me.ID, mine[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if gone.Reply.Body != "remove this" || gone.Theme != "honesty" || gone.PromptText == "" {
			t.Errorf("deleted = %+v", gone)
		}
		rs, err := db.Replies(ctx, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Body != "keep this" {
			t.Errorf("left = %v", rs)
		}
		if _, err := db.DeleteReply(ctx, me.ID, mine[1].ID); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("deleting again: err = %v, want not found", err)
		}
	})
}

// A deleted reply's words are in none of SQLite's files once checkpointed.
// The database is opened without a key, so the words are there in plain
// text before the delete and the check can fail.
func TestDeletedReplyIsInNoSQLiteFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "steady.db")
	db := storetest.Open(t, path, store.WithKeyring(nil))
	const marker = "reflection-delete-marker-83c1e2"
	sub, rs := withReplies(t, db, "files@example.com", "kept words", "NO. "+marker)
	if found := storetest.SQLiteFilesContaining(t, path, marker); len(found) == 0 {
		t.Fatal("the marker is in no SQLite file before the delete; the check would prove nothing")
	}
	if _, err := db.DeleteReply(ctx, sub.ID, rs[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if found := storetest.SQLiteFilesContaining(t, path, marker); len(found) != 0 {
		t.Errorf("after the delete: the marker is in %v", found)
	}
	if found := storetest.SQLiteFilesContaining(t, path, "kept words"); len(found) == 0 {
		t.Error("the other reply went too")
	}
}

func TestRedactSummary(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		me, _ := withReplies(t, db, "me@example.com", "words")
		other, _ := withReplies(t, db, "other@example.com", "words")
		rec, _, err := db.ClaimSummary(ctx, me.ID, "2026-03", steady.ChannelEmail, []byte(`{"evidence":["quoted"]}`), t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RedactSummary(ctx, other.ID, rec.ID, []byte(`{}`)); !errors.Is(err, steady.ErrNotFound) {
			t.Fatalf("another subscriber's summary: err = %v, want not found", err)
		}
		if err := db.RedactSummary(ctx, me.ID, rec.ID, []byte(`{"evidence":[]}`)); err != nil {
			t.Fatal(err)
		}
		got, err := db.Summary(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Data) != `{"evidence":[]}` || got.Month != "2026-03" || got.Status != rec.Status {
			t.Errorf("after redacting: %+v", got)
		}
	})
}
