package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// testHasher is the compliance hasher of the store's tests.
func testHasher(t testing.TB) *compliance.Hasher {
	t.Helper()
	h, err := compliance.NewHasher([]byte("store-test-secret-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func hashOf(t testing.TB, ch steady.Channel, addr string) string {
	t.Helper()
	h, err := testHasher(t).HashAddress(ch, addr)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Erasure keeps, under the address's keyed hash, when the subscriber
// consented (with the programme's wording) and when they asked to stop:
// never the address, their IP or their words. Before, it kept nothing.
func TestErasureKeepsConsentsAndOptOutsByHash(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "Kept@Example.org", t0.Add(24*time.Hour))
		if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "sms", IP: "198.51.100.7", Wording: `Texted "STOP, my private words"`}, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSubscriber(ctx, sub.ID, nil); err == nil {
			t.Fatal("erased without a hasher, keeping nothing")
		}
		if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		recs, err := db.ComplianceRecords(ctx, steady.ChannelEmail, hashOf(t, steady.ChannelEmail, "KEPT@example.ORG"))
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 {
			t.Fatalf("records %+v, want consented and opted_out", recs)
		}
		c, o := recs[0], recs[1]
		if c.Action != store.ComplianceConsented || !c.At.Equal(t0.Truncate(time.Microsecond)) || c.Method != "web; confirmed by email-link" ||
			c.Wording != "Signed up with: Send me prompts\nConfirmed with:" {
			t.Errorf("consented %+v", c)
		}
		if o.Action != store.ComplianceOptedOut || !o.At.Equal(t0.Add(time.Hour).Truncate(time.Microsecond)) || o.Method != "sms" || o.Wording != "" {
			t.Errorf("opted out %+v", o)
		}
		for _, r := range recs {
			if strings.Contains(r.AddressHash, "@") || len(r.AddressHash) != 64 || r.Channel != steady.ChannelEmail {
				t.Errorf("record %+v", r)
			}
		}
		// Another channel, another address: nothing.
		if recs, err := db.ComplianceRecords(ctx, steady.ChannelSMS, hashOf(t, steady.ChannelEmail, "kept@example.org")); err != nil || len(recs) != 0 {
			t.Errorf("sms records %+v %v", recs, err)
		}
	})
}

// On SQLite, the erased address, IP and words are in none of the files;
// the compliance records are, by hash.
func TestErasedAddressIsInNoSQLiteFileButItsHashIs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "steady.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const addr, words = "erased-person-6102@example.org", "my-private-stop-words-6102"
	sub := active(t, db, addr, t0.Add(24*time.Hour))
	if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "sms", Wording: words}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if found := storetest.SQLiteFilesContaining(t, path, addr); len(found) == 0 {
		t.Fatal("the address is in no file before the erasure; the check proves nothing")
	}
	if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
		t.Fatal(err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{addr, words, "192.0.2.1"} {
		if found := storetest.SQLiteFilesContaining(t, path, s); len(found) != 0 {
			t.Errorf("%q is still in %v", s, found)
		}
	}
	if found := storetest.SQLiteFilesContaining(t, path, hashOf(t, steady.ChannelEmail, addr)); len(found) == 0 {
		t.Error("the address's hash is in no file: nothing was kept")
	}
}

// A number that texted STOP is not texted again at anyone else's request,
// unsubscribed or erased; only a request from the number itself (START)
// goes through. Before, an erased STOP could be signed up at once.
func TestStoppedNumberIsHeldBackUnlessTheOwnerAsks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const number = "+447400123456"
		hash := hashOf(t, steady.ChannelSMS, number)
		req := func(now time.Time, owner bool) store.SubscriptionRequest {
			r := request(number, now)
			r.Channel, r.AddressHash, r.FromOwner = steady.ChannelSMS, hash, owner
			return r
		}
		res, err := db.RequestSubscription(ctx, req(t0, false))
		if err != nil || !res.ConfirmQueued || res.HeldBack {
			t.Fatalf("first sign-up %+v %v", res, err)
		}
		sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "sms", Wording: `Replied "YES"`}, t0, at(t0.Add(time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "sms", Wording: `Texted "STOP"`}, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		// Unsubscribed: a web sign-up is held back and changes nothing.
		before := len(mustDeliveries(t, db, sub.ID))
		res, err = db.RequestSubscription(ctx, req(t0.Add(48*time.Hour), false))
		if err != nil || !res.HeldBack || res.ConfirmQueued {
			t.Fatalf("after STOP: %+v %v", res, err)
		}
		if got := mustSubscriber(t, db, sub.ID); got.Status != steady.StatusUnsubscribed || len(mustDeliveries(t, db, sub.ID)) != before {
			t.Errorf("held back, but %+v", got)
		}
		// Erased: the same.
		if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		res, err = db.RequestSubscription(ctx, req(t0.Add(72*time.Hour), false))
		if err != nil || !res.HeldBack || res.ConfirmQueued {
			t.Fatalf("after erasure: %+v %v", res, err)
		}
		if _, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, number); err == nil {
			t.Error("a held-back sign-up stored the number")
		}
		// Without the hash the store cannot know (so web always sends it).
		noHash := req(t0.Add(73*time.Hour), false)
		noHash.AddressHash = ""
		if res, err := db.RequestSubscription(ctx, noHash); err != nil || res.HeldBack {
			t.Fatalf("without a hash: %+v %v", res, err)
		} else if err := db.DeleteSubscriber(ctx, res.Subscriber.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		// The owner texting START: a confirmation is queued.
		res, err = db.RequestSubscription(ctx, req(t0.Add(74*time.Hour), true))
		if err != nil || res.HeldBack || !res.ConfirmQueued {
			t.Fatalf("owner's START: %+v %v", res, err)
		}
		// Once the owner has confirmed again, the old opt-out no longer
		// holds: a web sign-up (a new schedule) is an ordinary repeat.
		back, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "sms"}, t0.Add(75*time.Hour), at(t0.Add(76*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		res, err = db.RequestSubscription(ctx, req(t0.Add(80*time.Hour), false))
		if err != nil || res.HeldBack || !res.ConfirmQueued || res.Subscriber.RequestedTimeZone == "" {
			t.Fatalf("the owner's web sign-up after rejoining: %+v %v", res, err)
		}
		// Erased again after coming back: their last word was a consent,
		// so the opt-out before it holds nothing back.
		if err := db.DeleteSubscriber(ctx, back.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		if res, err := db.RequestSubscription(ctx, req(t0.Add(90*time.Hour), false)); err != nil || res.HeldBack {
			t.Fatalf("after a second erasure: %+v %v", res, err)
		}
	})
}

// An email address that asked to stop gets a confirmation (the owner's
// own opt-in) at most once per 30 days, erased or not.
func TestStoppedEmailGetsOneConfirmationPerMonth(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const addr = "left@example.org"
		req := func(now time.Time) store.SubscriptionRequest {
			r := request(addr, now)
			r.AddressHash = hashOf(t, steady.ChannelEmail, addr)
			return r
		}
		sub := active(t, db, addr, t0.Add(24*time.Hour))
		if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "one-click"}, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		now := t0.Add(2 * time.Hour)
		for i, c := range []struct {
			after time.Duration
			sent  bool
		}{{0, true}, {time.Hour, false}, {29 * 24 * time.Hour, false}, {30*24*time.Hour + time.Minute, true}} {
			res, err := db.RequestSubscription(ctx, req(now.Add(c.after)))
			if err != nil || res.HeldBack || res.ConfirmQueued != c.sent {
				t.Errorf("sign-up %d (+%v): %+v %v, want sent %v", i, c.after, res, err, c.sent)
			}
		}
	})
}
