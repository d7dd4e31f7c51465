package apikeys_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestKeysAreRandomWellFormedAndHashed(t *testing.T) {
	t.Parallel()
	a, err := apikeys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := apikeys.Generate()
	if a == b || !apikeys.WellFormed(a) || len(a) != 57 || !strings.HasPrefix(a, "stdy_") {
		t.Fatalf("keys %q %q", a, b)
	}
	if h := apikeys.Hash(a); len(h) != 64 || h == apikeys.Hash(b) || strings.Contains(h, a[5:]) {
		t.Errorf("hash %q", h)
	}
	for _, bad := range []string{"", a[:56], a + "a", strings.ToUpper(a), "stdy_" + strings.Repeat("1", 52), "xxxx_" + a[5:], a[:20] + " " + a[21:]} {
		if apikeys.WellFormed(bad) {
			t.Errorf("%q is well-formed", bad)
		}
	}
	if apikeys.Prefix(a) != a[:12] {
		t.Errorf("prefix %q", apikeys.Prefix(a))
	}
	for name, ok := range map[string]bool{"partner": true, "Site_2.example-org": true, "": false, "a b": false, "api:x": false, strings.Repeat("n", 65): false, "ünï": false} {
		if err := apikeys.CheckName(name); (err == nil) != ok {
			t.Errorf("CheckName(%q) = %v", name, err)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
		keys := &apikeys.Keys{Store: db, Clock: clock}
		key, rec, err := keys.Create(ctx, "partner")
		if err != nil || rec.Hash != apikeys.Hash(key) || rec.Prefix != key[:12] {
			t.Fatalf("create %+v %v", rec, err)
		}
		if _, _, err := keys.Create(ctx, "bad name"); !steady.IsInvalid(err) {
			t.Errorf("bad name: %v", err)
		}
		clock.Advance(time.Hour)
		if name, ok, err := keys.Authenticate(ctx, key); !ok || err != nil || name != "partner" {
			t.Errorf("good key: %q %v %v", name, ok, err)
		}
		for _, bad := range []string{"", "stdy_", key + "x", "stdy_" + strings.Repeat("a", 52)} {
			if _, ok, err := keys.Authenticate(ctx, bad); ok || err != nil {
				t.Errorf("%q: %v %v", bad, ok, err)
			}
		}
		if _, err := db.RevokeAPIKey(ctx, "partner", clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := keys.Authenticate(ctx, key); ok || err != nil {
			t.Errorf("revoked key: %v %v", ok, err)
		}
		ks, _ := db.APIKeys(ctx)
		if len(ks) != 1 || !ks[0].LastUsedAt.Equal(clock.Now()) {
			t.Errorf("keys %+v", ks)
		}
	})
}
