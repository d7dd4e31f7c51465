package web_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// openWithRaw opens and migrates the database at url, and opens a second,
// plain connection pool to the same database for reaching past the store
// (installing a trigger). Both are closed when the test ends.
func openWithRaw(t *testing.T, url string) (*store.DB, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	driver, dsn := "pgx", url
	if db.Dialect() == "sqlite" {
		driver, dsn = "sqlite", "file:"+url+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return db, raw
}

// failUpdates makes every UPDATE of subscribers fail, a real error from
// the database, until the returned function drops the trigger again.
func failUpdates(t *testing.T, raw *sql.DB, dialect string) (heal func()) {
	t.Helper()
	ctx := context.Background()
	install := []string{`CREATE TRIGGER injected_failure BEFORE UPDATE ON subscribers
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`}
	drop := `DROP TRIGGER injected_failure`
	if dialect == "postgres" {
		// Unqualified, both land in the test's own schema (search_path).
		install = []string{
			`CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql
				AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
			`CREATE TRIGGER injected_failure BEFORE UPDATE ON subscribers
				FOR EACH ROW EXECUTE FUNCTION injected_failure()`,
		}
		drop = `DROP TRIGGER injected_failure ON subscribers`
	}
	for _, q := range install {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("installing the failure: %v", err)
		}
	}
	return func() {
		t.Helper()
		if _, err := raw.ExecContext(ctx, drop); err != nil {
			t.Fatalf("dropping the failure: %v", err)
		}
	}
}

// A keyword whose effect fails leaves no trace, so Twilio's retry of the
// same MessageSid is a first delivery: the STOP (or PAUSE, YES, ...) is
// not lost (issue 8: "STOP during a database failure, retried by Twilio:
// unsubscribed").
func TestSMSKeywordRetriedAfterDatabaseFailure(t *testing.T) {
	const stranger = "+447400999888"
	for _, c := range []struct {
		name, from, body string
		// before brings the number to the state the keyword acts on.
		before func(b *bundle)
		// answer is part of the retry's answer.
		answer string
		// wakes is how often the retry wakes the dispatcher (after the
		// commit, never for the failed attempt).
		wakes int32
		check func(t *testing.T, b *bundle, sub steady.Subscriber)
	}{
		{
			name: "STOP unsubscribes", from: phone, body: "STOP",
			before: func(b *bundle) { smsActive(b) },
			answer: "you are unsubscribed",
			check: func(t *testing.T, b *bundle, sub steady.Subscriber) {
				if sub.Status != steady.StatusUnsubscribed || !sub.NextSlot.IsZero() {
					t.Errorf("after the retried STOP: %+v", sub)
				}
				lastConsent(t, b, sub.ID, steady.ConsentUnsubscribed, `Texted "STOP"`)
			},
		},
		{
			name: "PAUSE pauses", from: phone, body: "PAUSE",
			before: func(b *bundle) { smsActive(b) },
			answer: "paused until",
			check: func(t *testing.T, b *bundle, sub steady.Subscriber) {
				if want := b.clock.Now().Add(14 * 24 * time.Hour); sub.Status != steady.StatusActive ||
					!sub.PausedUntil.Equal(want) || sub.NextSlot.Before(want) {
					t.Errorf("after the retried PAUSE: %+v", sub)
				}
			},
		},
		{
			name: "RESUME resumes", from: phone, body: "RESUME",
			before: func(b *bundle) {
				smsActive(b)
				if res := b.text(phone, "PAUSE", ""); !strings.Contains(res.body, "paused until") {
					b.t.Fatalf("PAUSE: %d %s", res.status, res.body)
				}
			},
			answer: "prompts start again",
			check: func(t *testing.T, b *bundle, sub steady.Subscriber) {
				if !sub.PausedUntil.IsZero() || sub.NextSlot.After(b.clock.Now().Add(24*time.Hour)) {
					t.Errorf("after the retried RESUME: %+v", sub)
				}
			},
		},
		{
			name: "YES confirms", from: phone, body: "YES",
			before: func(b *bundle) {
				res := b.postJSON(`{"phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
				if res.status != http.StatusAccepted {
					b.t.Fatalf("subscribe: %d %s", res.status, res.body)
				}
			},
			answer: "you&#39;re subscribed",
			check: func(t *testing.T, b *bundle, sub steady.Subscriber) {
				if sub.Status != steady.StatusActive || sub.NextSlot.IsZero() {
					t.Errorf("after the retried YES: %+v", sub)
				}
				lastConsent(t, b, sub.ID, steady.ConsentConfirmed, `Replied "YES" by SMS`)
			},
		},
		{
			name: "START rejoins", from: phone, body: "START",
			before: func(b *bundle) {
				smsActive(b)
				if res := b.text(phone, "STOP", ""); !strings.Contains(res.body, "you are unsubscribed") {
					b.t.Fatalf("STOP: %d %s", res.status, res.body)
				}
			},
			answer: "welcome back",
			check: func(t *testing.T, b *bundle, sub steady.Subscriber) {
				if sub.Status != steady.StatusActive || !sub.UnsubscribedAt.IsZero() {
					t.Errorf("after the retried START: %+v", sub)
				}
				lastConsent(t, b, sub.ID, steady.ConsentConfirmed, `Texted "START" to join again`)
			},
		},
		{
			name: "START asks to join", from: stranger, body: "START",
			before: func(b *bundle) {},
			answer: "<Response></Response>", // the confirmation text is queued instead
			wakes:  1,
			check: func(t *testing.T, b *bundle, sub steady.Subscriber) {
				if sub.Status != steady.StatusPending || confirmsOf(b, sub.ID) != 1 {
					t.Errorf("after the retried START: %+v, %d confirmations", sub, confirmsOf(b, sub.ID))
				}
				lastConsent(t, b, sub.ID, steady.ConsentRequested, `Texted "START" to the programme number`)
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			storetest.EachURL(t, func(t *testing.T, url string) {
				db, raw := openWithRaw(t, url)
				b := setup(t, db, withSMS(db))
				c.before(b)
				b.clock.Advance(time.Minute)
				before := b.counts()
				subBefore, errBefore := smsState(b, c.from)
				wakes := b.wakes.Load()

				heal := failUpdates(t, raw, db.Dialect())
				const sid = "SMretried000000000000000000000001"
				if res := b.text(c.from, c.body, sid); res.status != http.StatusInternalServerError {
					t.Fatalf("%s while updates fail: %d %s, want 500", c.body, res.status, res.body)
				}
				b.unchanged(before)
				if sub, err := smsState(b, c.from); !reflect.DeepEqual(sub, subBefore) || !errors.Is(err, errBefore) {
					t.Errorf("the failed %s changed the subscriber:\n before %+v %v\n after  %+v %v", c.body, subBefore, errBefore, sub, err)
				}
				if n := b.wakes.Load(); n != wakes {
					t.Errorf("the failed %s woke the dispatcher", c.body)
				}
				heal()

				// Twilio retries the same MessageSid.
				res := b.text(c.from, c.body, sid)
				if res.status != http.StatusOK || !strings.Contains(res.body, c.answer) {
					t.Fatalf("retried %s: %d %s, want 200 with %q", c.body, res.status, res.body, c.answer)
				}
				if n := b.wakes.Load() - wakes; n != c.wakes {
					t.Errorf("the retried %s woke the dispatcher %d times, want %d", c.body, n, c.wakes)
				}
				sub, err := smsState(b, c.from)
				if err != nil {
					t.Fatal(err)
				}
				c.check(t, b, sub)
				// Done once: a further copy is a replay.
				after := b.counts()
				if res := b.text(c.from, c.body, sid); res.status != http.StatusOK || strings.Contains(res.body, "<Message>") {
					t.Errorf("replayed %s: %d %s", c.body, res.status, res.body)
				}
				b.unchanged(after)
			})
		})
	}
}

// smsState is the SMS subscriber at number, or the not-found error.
func smsState(b *bundle, number string) (steady.Subscriber, error) {
	b.t.Helper()
	sub, err := b.db.SubscriberByAddress(context.Background(), steady.ChannelSMS, number)
	if err != nil && !errors.Is(err, steady.ErrNotFound) {
		b.t.Fatal(err)
	}
	if err != nil {
		err = steady.ErrNotFound
	}
	return sub, err
}

// lastConsent fails unless the subscriber's latest consent record is
// action, with wording starting with the given text.
func lastConsent(t *testing.T, b *bundle, id int64, action steady.ConsentAction, wording string) {
	t.Helper()
	cs, err := b.db.Consents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) == 0 {
		t.Fatalf("no consent records")
	}
	if last := cs[len(cs)-1]; last.Action != action || !strings.HasPrefix(last.Wording, wording) {
		t.Errorf("last consent %+v, want %s %q", last, action, wording)
	}
}
