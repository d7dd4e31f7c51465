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

// eventIsNew reports whether sourceID was not recorded yet (recording it).
func eventIsNew(t *testing.T, db *store.DB, sourceID string) bool {
	t.Helper()
	created, err := db.RecordInboundEvent(context.Background(), sourceID, t0)
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func exists(t *testing.T, db *store.DB, address string) bool {
	t.Helper()
	_, err := db.SubscriberByAddress(context.Background(), steady.ChannelEmail, address)
	if err != nil && !errors.Is(err, steady.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func TestAtomicallyErrorRollsBackEveryCall(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		boom := errors.New("boom")
		err := db.Atomically(context.Background(), func(ctx context.Context) error {
			if _, err := db.RecordInboundEvent(ctx, "test:1", t0); err != nil {
				return err
			}
			if _, err := db.RequestSubscription(ctx, request("a@example.org", t0)); err != nil {
				return err
			}
			// Inside, the calls see each other's writes.
			if created, err := db.RecordInboundEvent(ctx, "test:1", t0); err != nil || created {
				t.Errorf("second record inside: %v %v", created, err)
			}
			if _, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "a@example.org"); err != nil {
				t.Errorf("subscriber inside: %v", err)
			}
			return boom
		})
		if err != boom {
			t.Fatalf("Atomically returned %v, want fn's error as it is", err)
		}
		if exists(t, db, "a@example.org") || !eventIsNew(t, db, "test:1") {
			t.Error("a write of the failed Atomically survived")
		}
	})
}

func TestAtomicallyCommitsNestedCallsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var id int64
		err := db.Atomically(ctx, func(ctx context.Context) error {
			res, err := db.RequestSubscription(ctx, request("a@example.org", t0))
			if err != nil {
				return err
			}
			id = res.Subscriber.ID
			// A nested Atomically joins the outer transaction.
			if err := db.Atomically(ctx, func(ctx context.Context) error {
				_, err := db.ConfirmSubscription(ctx, id, steady.Consent{Method: "email-link"}, t0, at(t0.Add(time.Hour)))
				return err
			}); err != nil {
				return err
			}
			if _, err := db.RecordInboundEvent(ctx, "test:1", t0); err != nil {
				return err
			}
			if db.Dialect() == "postgres" {
				// Nothing is visible outside before the commit. (On SQLite
				// this call would wait for the write lock held here.)
				if _, err := db.Subscriber(context.Background(), id); !errors.Is(err, steady.ErrNotFound) {
					t.Errorf("seen outside before the commit: %v", err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sub, err := db.Subscriber(ctx, id)
		if err != nil || sub.Status != steady.StatusActive {
			t.Errorf("after commit: %+v %v", sub, err)
		}
		if eventIsNew(t, db, "test:1") {
			t.Error("the event was not committed")
		}
		if cs, err := db.Consents(ctx, id); err != nil || len(cs) != 2 {
			t.Errorf("consents %+v %v", cs, err)
		}
	})
}

// A store call that fails for a real database error inside fn undoes the
// calls before it, on both dialects.
func TestAtomicallyDatabaseFailureRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "a@example.org", t0.Add(time.Hour))
		failSubscriberUpdates(t, db)
		err := db.Atomically(ctx, func(ctx context.Context) error {
			if _, err := db.RecordInboundEvent(ctx, "test:stop", t0); err != nil {
				return err
			}
			_, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "sms"}, t0)
			return err
		})
		if err == nil {
			t.Fatal("Unsubscribe succeeded with updates failing")
		}
		if !eventIsNew(t, db, "test:stop") {
			t.Error("the event was committed without its effect")
		}
	})
}

// A context carrying one DB's transaction does not pull another DB's
// calls into it.
func TestAtomicallyOtherDBIsSeparate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		other := storetest.SQLite(t)
		boom := errors.New("boom")
		err := db.Atomically(context.Background(), func(ctx context.Context) error {
			if _, err := other.RecordInboundEvent(ctx, "test:other", t0); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatal(err)
		}
		if eventIsNew(t, other, "test:other") {
			t.Error("the other database's call was rolled back with this one's")
		}
	})
}

// failSubscriberUpdates makes every UPDATE of subscribers fail with a
// database error.
func failSubscriberUpdates(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	qs := []string{`CREATE TRIGGER injected_failure BEFORE UPDATE ON subscribers
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`}
	if db.Dialect() == "postgres" {
		qs = []string{
			`CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql
				AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
			`CREATE TRIGGER injected_failure BEFORE UPDATE ON subscribers
				FOR EACH ROW EXECUTE FUNCTION injected_failure()`,
		}
	}
	for _, q := range qs {
		if err := db.ExecForTest(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}
