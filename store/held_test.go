package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestHoldInbound(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Not valid UTF-8 and with a NUL: raw bytes are kept as they came.
		raw := []byte("From: a@example.com\r\nMessage-ID: <m1@example.com>\r\n\r\nbody \xff\x00 end\r\n")
		m := store.HeldMessage{ReceivedAt: t0, Source: "smtp", Reason: "unauthenticated", Detail: "why", MessageID: "<m1@example.com>", Raw: raw}
		id, created, err := db.HoldInbound(ctx, m)
		if err != nil || !created || id == 0 {
			t.Fatalf("HoldInbound = %d, %v, %v", id, created, err)
		}
		// A retry of the same bytes is not held twice.
		again, created, err := db.HoldInbound(ctx, m)
		if err != nil || created || again != id {
			t.Fatalf("HoldInbound again = %d, %v, %v; want %d, false", again, created, err, id)
		}
		// The same bytes from another source, and other bytes with the same
		// Message-ID (which anyone can copy), are held too: nothing is lost.
		other := m
		other.Source = "imap"
		if _, created, err := db.HoldInbound(ctx, other); err != nil || !created {
			t.Fatalf("another source: %v, %v", created, err)
		}
		other = m
		other.Raw = append([]byte("X-Other: 1\r\n"), raw...)
		other.ReceivedAt = t0.Add(time.Minute)
		newest, created, err := db.HoldInbound(ctx, other)
		if err != nil || !created {
			t.Fatalf("other bytes, same Message-ID: %v, %v", created, err)
		}

		got, err := db.HeldMessage(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := m
		want.ID, want.ReceivedAt = id, t0.Truncate(time.Microsecond)
		if !got.ReceivedAt.Equal(want.ReceivedAt) || got.Source != want.Source || got.Reason != want.Reason ||
			got.Detail != want.Detail || got.MessageID != want.MessageID || string(got.Raw) != string(raw) || got.ID != id {
			t.Fatalf("HeldMessage = %+v\nwant %+v", got, want)
		}
		list, err := db.HeldMessages(ctx, 2)
		if err != nil || len(list) != 2 || list[0].ID != newest {
			t.Fatalf("HeldMessages(2) = %d messages, first %v, %v; want 2, newest first", len(list), list, err)
		}
		if err := db.DeleteHeld(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.HeldMessage(ctx, id); !errors.Is(err, steady.ErrNotFound) {
			t.Fatalf("HeldMessage after delete: %v, want not found", err)
		}
		if err := db.DeleteHeld(ctx, id); !errors.Is(err, steady.ErrNotFound) {
			t.Fatalf("DeleteHeld twice: %v, want not found", err)
		}
	})
}

func TestHoldInboundRefusesBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		good := store.HeldMessage{ReceivedAt: t0, Source: "smtp", Reason: "unmatched", Raw: []byte("x")}
		for name, m := range map[string]store.HeldMessage{
			"no source": {ReceivedAt: t0, Reason: "unmatched", Raw: []byte("x")},
			"no reason": {ReceivedAt: t0, Source: "smtp", Raw: []byte("x")},
			"no raw":    {ReceivedAt: t0, Source: "smtp", Reason: "unmatched"},
			"no time":   {Source: "smtp", Reason: "unmatched", Raw: []byte("x")},
		} {
			if _, _, err := db.HoldInbound(ctx, m); !steady.IsInvalid(err) {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
		if list, err := db.HeldMessages(ctx, 10); err != nil || len(list) != 0 {
			t.Fatalf("after refusals: %d held, %v", len(list), err)
		}
		if _, _, err := db.HoldInbound(ctx, good); err != nil {
			t.Fatal(err)
		}
	})
}
