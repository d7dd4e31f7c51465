package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/steadyapp/steady/sealed"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Held-aside mail may be a subscriber's reply, so it is sealed like their
// words: what is stored is a sealed value, not the message or its base64,
// it reads back byte for byte (NUL and invalid UTF-8 included), another
// key cannot read it, and rotation re-seals it.
func TestHeldMailIsSealed(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		a := sealed.Generate()
		db := storetest.Open(t, dbURL, store.WithKeyring(keyring(t, a)))
		raw := []byte("From: someone@example.net\r\nSubject: re\r\n\r\nMARKER he reads my phone \x00\xff\r\n")
		id, created, err := db.HoldInbound(ctx, store.HeldMessage{ReceivedAt: t0, Source: "smtp", Reason: "unmatched", Raw: raw})
		if err != nil || !created {
			t.Fatal(created, err)
		}
		stored, err := db.QueryStringForTest(ctx, `SELECT raw FROM inbound_held WHERE id = ?`, id)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(stored, "enc:v1:"+a.ID+":") {
			t.Errorf("inbound_held.raw is stored as %.40q…, want a value sealed with key %s", stored, a.ID)
		}
		m, err := db.HeldMessage(ctx, id)
		if err != nil || !bytes.Equal(m.Raw, raw) {
			t.Fatalf("read back %q, %v; want the bytes held", m.Raw, err)
		}
		other, err := store.Open(ctx, dbURL, store.WithKeyring(keyring(t, sealed.Generate())))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := other.HeldMessages(ctx, 10); !errors.Is(err, sealed.ErrUnknownKey) {
			t.Errorf("another key: %v, want ErrUnknownKey", err)
		}
		b := sealed.Generate()
		rotated := storetest.Open(t, dbURL, store.WithKeyring(keyring(t, b, a)))
		if _, err := rotated.RotateKeys(ctx, 100, nil); err != nil {
			t.Fatal(err)
		}
		onlyB := storetest.Open(t, dbURL, store.WithKeyring(keyring(t, b)))
		if m, err := onlyB.HeldMessage(ctx, id); err != nil || !bytes.Equal(m.Raw, raw) {
			t.Errorf("after rotation, with the new key alone: %q, %v", m.Raw, err)
		}
	})
}
