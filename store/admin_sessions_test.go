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

func TestAdminSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		exp := t0.Add(12 * time.Hour)
		if err := db.CreateAdminSession(ctx, "hash-a", "sam", t0, exp); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAdminSession(ctx, "hash-b", "kim", t0, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAdminSession(ctx, "hash-c", "kim", t0, t0); err == nil {
			t.Error("a session that has already expired was created")
		}
		s, err := db.UseAdminSession(ctx, "hash-a", t0.Add(time.Hour))
		if err != nil || s.Operator != "sam" || !s.LastSeenAt.Equal(t0.Add(time.Hour).Truncate(time.Microsecond)) ||
			!s.ExpiresAt.Equal(exp.Truncate(time.Microsecond)) || !s.CreatedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("use: %+v %v", s, err)
		}
		if _, err := db.UseAdminSession(ctx, "hash-b", t0.Add(time.Hour)); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("expired at its expiry: %v", err)
		}
		if _, err := db.UseAdminSession(ctx, "nope", t0); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("unknown: %v", err)
		}
		if err := db.DeleteAdminSession(ctx, "hash-a"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UseAdminSession(ctx, "hash-a", t0.Add(2*time.Hour)); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("after logout: %v", err)
		}
		if err := db.DeleteAdminSession(ctx, "hash-a"); err != nil {
			t.Errorf("deleting twice: %v", err)
		}
	})
}
