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

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k, err := db.CreateAPIKey(ctx, "partner", "stdy_abcdefg", "hash-1", t0)
		if err != nil || k.Name != "partner" || !k.CreatedAt.Equal(t0.Truncate(time.Microsecond)) || !k.LastUsedAt.IsZero() {
			t.Fatalf("create %+v %v", k, err)
		}
		if _, err := db.CreateAPIKey(ctx, "partner", "stdy_other", "hash-2", t0); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("a second key named partner: %v", err)
		}
		if _, err := db.CreateAPIKey(ctx, "other", "stdy_abcdefg", "hash-3", t0); err != nil {
			t.Fatal(err)
		}
		used, err := db.UseAPIKey(ctx, "hash-1", t0.Add(time.Hour))
		if err != nil || used.Name != "partner" || !used.LastUsedAt.Equal(t0.Add(time.Hour).Truncate(time.Microsecond)) {
			t.Fatalf("use %+v %v", used, err)
		}
		if _, err := db.UseAPIKey(ctx, "nope", t0); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("unknown hash: %v", err)
		}
		// Both share a prefix: revoking by it is ambiguous; by name it works.
		if _, err := db.RevokeAPIKey(ctx, "stdy_abcdefg", t0); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("ambiguous prefix: %v", err)
		}
		if _, err := db.RevokeAPIKey(ctx, "missing", t0); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("missing: %v", err)
		}
		r, err := db.RevokeAPIKey(ctx, "partner", t0.Add(2*time.Hour))
		if err != nil || r.RevokedAt.IsZero() {
			t.Fatalf("revoke %+v %v", r, err)
		}
		again, err := db.RevokeAPIKey(ctx, "partner", t0.Add(3*time.Hour))
		if err != nil || !again.RevokedAt.Equal(r.RevokedAt) {
			t.Errorf("revoking again moved the time: %+v %v", again, err)
		}
		if _, err := db.UseAPIKey(ctx, "hash-1", t0.Add(4*time.Hour)); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("revoked key used: %v", err)
		}
		keys, err := db.APIKeys(ctx)
		if err != nil || len(keys) != 2 || keys[0].Name != "partner" || keys[0].RevokedAt.IsZero() || !keys[1].RevokedAt.IsZero() {
			t.Errorf("list %+v %v", keys, err)
		}
	})
}
