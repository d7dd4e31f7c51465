package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/sealed"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// countSealedWith counts the replies whose stored body is sealed with key
// id, read past the store.
func countSealedWith(t *testing.T, dbURL, id string) int {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if !strings.HasPrefix(dbURL, "postgres") {
		driver, dsn = "sqlite", "file:"+dbURL+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	prefix := "enc:v1:" + id + ":"
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM replies WHERE substr(body, 1, `+fmt.Sprint(len(prefix))+`) = $1`, prefix).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// 10,000 replies sealed with key A and a few plaintext rows from before
// sealing are rotated to key B in batches of 500; the run is interrupted
// after three batches and run again, while replies keep being written with
// A (serve not yet restarted). Afterwards every reply reads back as
// written with B alone, and none is lost.
func TestRotateKeys(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		keyA, keyB := sealed.Generate(), sealed.Generate()
		ringA, ringBA, ringB := keyring(t, keyA), keyring(t, keyB, keyA), keyring(t, keyB)

		// Plaintext rows, as an older Steady wrote them.
		plain, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		if err := plain.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		sub := active(t, plain, "rotate@example.com", t0)
		want := map[string]string{}
		record := func(db *store.DB, src, body string) {
			t.Helper()
			if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelWeb,
				Body: body, ReceivedAt: t0, SourceID: src}); err != nil {
				t.Fatal(err)
			}
			want[src] = body
		}
		for i := range 20 {
			record(plain, fmt.Sprintf("old:%d", i), fmt.Sprintf("plaintext reply %d", i))
		}
		plain.Close()

		dbA := storetest.Open(t, dbURL, store.WithKeyring(ringA))
		const n = 10_000
		if err := dbA.Atomically(ctx, func(ctx context.Context) error {
			for i := range n {
				if _, _, err := dbA.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelEmail,
					Body: fmt.Sprintf("reply %d: he keeps his word", i), ReceivedAt: t0, SourceID: fmt.Sprintf("a:%d", i)}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			want[fmt.Sprintf("a:%d", i)] = fmt.Sprintf("reply %d: he keeps his word", i)
		}
		if got := countSealedWith(t, dbURL, keyA.ID); got != n {
			t.Fatalf("%d replies sealed with A, want %d", got, n)
		}

		rot := storetest.Open(t, dbURL, store.WithKeyring(ringBA))
		// Before rotating, plaintext rows and A's read back with B current.
		before, err := rot.Replies(ctx, sub.ID)
		if err != nil || len(before) != n+20 || before[0].Body != "plaintext reply 0" || before[n+19].Body != want["a:9999"] {
			t.Fatalf("before rotating: %d replies, %v", len(before), err)
		}
		// Interrupted after three batches.
		runCtx, cancel := context.WithCancel(ctx)
		batches := 0
		p, err := rot.RotateKeys(runCtx, 500, func(p store.RotateProgress) {
			batches++
			if batches == 3 {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) || p.Done != 1500 {
			t.Fatalf("interrupted run: %+v, %v; want 1500 done and context.Canceled", p, err)
		}
		// 1,020 replies + 1 consent (the plaintext ones) + 10,000.
		if p.Total != n+20+2 {
			t.Errorf("total %d, want %d (replies and the subscriber's two consents)", p.Total, n+20+2)
		}
		if got := countSealedWith(t, dbURL, keyB.ID); got != 1500 {
			t.Errorf("%d replies sealed with B after the interruption, want 1500", got)
		}

		// Resumed, with replies still being written with A meanwhile.
		start := time.Now() // a measurement only, for the log
		written := 0
		var last store.RotateProgress
		p, err = rot.RotateKeys(ctx, 500, func(p store.RotateProgress) {
			last = p
			if written < 5 {
				record(dbA, fmt.Sprintf("during:%d", written), fmt.Sprintf("written during rotation %d", written))
				written++
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("rotated %d values in %v", p.Done, time.Since(start).Round(time.Millisecond))
		// The five written during the run were sealed with A after it
		// counted, and were rotated by it too.
		if p.Done != p.Total+int64(written) || p.Changed != 0 || last.Done != p.Done {
			t.Errorf("resumed run: %+v (last progress %+v)", p, last)
		}
		if p.Total != n+20+2-1500 {
			t.Errorf("resumed run counted %d to rotate, want %d", p.Total, n+20+2-1500)
		}
		if got := countSealedWith(t, dbURL, keyB.ID); got != len(want) {
			t.Errorf("%d replies sealed with B, want all %d", got, len(want))
		}

		onlyB := storetest.Open(t, dbURL, store.WithKeyring(ringB))
		rs, err := onlyB.Replies(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != len(want) {
			t.Errorf("%d replies after rotation, want %d", len(rs), len(want))
		}
		for _, r := range rs {
			if want[r.SourceID] != r.Body {
				t.Fatalf("reply %s reads %q, want %q", r.SourceID, r.Body, want[r.SourceID])
			}
		}
		cs, err := onlyB.Consents(ctx, sub.ID)
		if err != nil || len(cs) != 2 || cs[0].Wording != "Send me prompts" {
			t.Errorf("consents with B only: %+v, %v", cs, err)
		}
		if _, err := dbA.Replies(ctx, sub.ID); !errors.Is(err, sealed.ErrUnknownKey) {
			t.Errorf("A alone after rotation: %v, want ErrUnknownKey", err)
		}
		// Nothing left: a third run rotates nothing.
		if p, err := rot.RotateKeys(ctx, 500, nil); err != nil || p.Total != 0 || p.Done != 0 {
			t.Errorf("third run: %+v, %v", p, err)
		}
	})
}
