package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestRecordReply(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "r@example.com", t0)
		other := active(t, db, "other@example.com", t0)
		if _, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil {
			t.Fatal(err)
		}
		mine := prompts(t, db, sub.ID)[0]
		theirs := prompts(t, db, other.ID)[0]
		good := steady.Reply{SubscriberID: sub.ID, DeliveryID: mine.ID, Channel: steady.ChannelEmail,
			Body: "4 — better this week", ReceivedAt: t0, SourceID: "msg-1@mail"}

		tests := []struct {
			name    string
			edit    func(r *steady.Reply)
			invalid bool
			err     error
		}{
			{"no subscriber", func(r *steady.Reply) { r.SubscriberID = 0 }, true, nil},
			{"no source", func(r *steady.Reply) { r.SourceID = "" }, true, nil},
			{"empty", func(r *steady.Reply) { r.Body = "" }, true, nil},
			{"too long", func(r *steady.Reply) { r.Body = strings.Repeat("x", steady.MaxReplyLength+1) }, true, nil},
			{"bad channel", func(r *steady.Reply) { r.Channel = "fax" }, true, nil},
			{"no time", func(r *steady.Reply) { r.ReceivedAt = time.Time{} }, true, nil},
			{"someone else's delivery", func(r *steady.Reply) { r.DeliveryID = theirs.ID }, true, nil},
			{"missing delivery", func(r *steady.Reply) { r.DeliveryID = 9999 }, true, nil},
			{"missing subscriber", func(r *steady.Reply) { r.SubscriberID, r.DeliveryID = 9999, 0 }, false, steady.ErrNotFound},
		}
		for _, tt := range tests {
			r := good
			r.SourceID = "src-" + tt.name
			tt.edit(&r)
			_, _, err := db.RecordReply(ctx, r)
			if tt.invalid && !steady.IsInvalid(err) || tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("%s: err = %v", tt.name, err)
			}
		}
		if rs, _ := db.Replies(ctx, sub.ID); len(rs) != 0 {
			t.Fatalf("invalid replies were stored: %+v", rs)
		}

		stored, created, err := db.RecordReply(ctx, good)
		if err != nil || !created {
			t.Fatalf("RecordReply = %v, %v", created, err)
		}
		want := good
		want.ID, want.ReceivedAt = stored.ID, t0.Truncate(time.Microsecond)
		if stored != want {
			t.Errorf("stored %+v, want %+v", stored, want)
		}
		// A replay stores nothing and returns the first.
		replay := good
		replay.Body, replay.ReceivedAt = "changed", t0.Add(time.Hour)
		again, created, err := db.RecordReply(ctx, replay)
		if err != nil || created || again != stored {
			t.Errorf("replay = %+v, %v, %v; want the stored reply, false", again, created, err)
		}
		// The same source id for another subscriber is a conflict, not a leak.
		stolen := good
		stolen.SubscriberID, stolen.DeliveryID = other.ID, 0
		if got, _, err := db.RecordReply(ctx, stolen); !errors.Is(err, steady.ErrConflict) || got.Body != "" {
			t.Errorf("other subscriber's source id: %+v, %v", got, err)
		}
		// No delivery is fine.
		web := steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelWeb, Body: "YES", ReceivedAt: t0.Add(time.Minute), SourceID: "form-9"}
		if _, created, err := db.RecordReply(ctx, web); err != nil || !created {
			t.Errorf("reply without delivery: %v, %v", created, err)
		}
		rs, err := db.Replies(ctx, sub.ID)
		if err != nil || len(rs) != 2 || rs[0].ID != stored.ID || rs[1].DeliveryID != 0 {
			t.Errorf("Replies = %+v, %v", rs, err)
		}
	})
}

func TestRecordReplyConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "dup@example.com", t0)
		r := steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelSMS, Body: "NO", ReceivedAt: t0, SourceID: "SM123"}
		const callers = 8
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			created int
			ids     = map[int64]bool{}
		)
		for range callers {
			wg.Go(func() {
				got, c, err := db.RecordReply(ctx, r)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				ids[got.ID] = true
				if c {
					created++
				}
			})
		}
		wg.Wait()
		if created != 1 || len(ids) != 1 {
			t.Errorf("created %d times, %d distinct ids; want 1, 1", created, len(ids))
		}
		if rs, _ := db.Replies(ctx, sub.ID); len(rs) != 1 {
			t.Errorf("%d replies stored", len(rs))
		}
	})
}

// A reply with NUL bytes and invalid UTF-8 is stored cleaned, the same on
// both databases (PostgreSQL refuses such text outright), and a replay is
// recognised by its cleaned source id.
func TestRecordReplyCleansBadBytes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "bytes@example.com", t0)
		r := steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelSMS, ReceivedAt: t0,
			Body: "YES\x00 she listened \xff\xfe to me", SourceID: "twilio:SM\x00bad\xff1"}
		const wantBody, wantSource = "YES she listened \uFFFD to me", "twilio:SMbad\uFFFD1"
		stored, created, err := db.RecordReply(ctx, r)
		if err != nil || !created {
			t.Fatalf("RecordReply = %v, %v", created, err)
		}
		if stored.Body != wantBody || stored.SourceID != wantSource {
			t.Errorf("stored body %q, source %q; want %q, %q", stored.Body, stored.SourceID, wantBody, wantSource)
		}
		again, created, err := db.RecordReply(ctx, r)
		if err != nil || created || again.ID != stored.ID {
			t.Errorf("replay = %+v, %v, %v; want the stored reply, not created", again, created, err)
		}
		rs, err := db.Replies(ctx, sub.ID)
		if err != nil || len(rs) != 1 || rs[0].Body != wantBody || rs[0].SourceID != wantSource {
			t.Fatalf("Replies = %+v, %v", rs, err)
		}

		// Nothing left after cleaning is an empty reply; a text that grows
		// past the limit when cleaned is too long. Both are the usual
		// invalid-input errors, and store nothing.
		for name, body := range map[string]string{
			"only NULs":           "\x00\x00\x00",
			"too long when clean": strings.Repeat("a\xff", steady.MaxReplyLength/3+1),
		} {
			bad := r
			bad.Body, bad.SourceID = body, "src-"+name
			if _, _, err := db.RecordReply(ctx, bad); !steady.IsInvalid(err) {
				t.Errorf("%s: err = %v, want invalid", name, err)
			}
		}
		if rs, _ := db.Replies(ctx, sub.ID); len(rs) != 1 {
			t.Errorf("%d replies stored, want 1", len(rs))
		}
	})
}
