package chaos

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	_ "modernc.org/sqlite"             // registers driver "sqlite"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// rawDB is a plain database/sql handle on the database the workers use,
// for the bulk insert and for counting outcomes with one query each.
type rawDB struct {
	*sql.DB
	postgres bool
}

func openRaw(t *testing.T, url string) *rawDB {
	t.Helper()
	var (
		db  *sql.DB
		err error
	)
	postgres := isPostgres(url)
	if postgres {
		db, err = sql.Open("pgx", url)
	} else {
		db, err = sql.Open("sqlite", "file:"+url+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	}
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(2)
	t.Cleanup(func() { db.Close() })
	return &rawDB{DB: db, postgres: postgres}
}

func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// q rebinds ? placeholders to $1, $2… for PostgreSQL.
func (r *rawDB) q(query string) string {
	if !r.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ts is a time as the store writes it: timestamptz on PostgreSQL, fixed
// width UTC text on SQLite (store/time.go).
func (r *rawDB) ts(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if r.postgres {
		return t
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}

// subscriberAddress is the address of the i-th seeded subscriber.
func subscriberAddress(i int) string { return fmt.Sprintf("chaos-%05d@example.org", i) }

const signUpWording = "Send me prompts (chaos test)"

// seedDue migrates the database at url (through the store) and adds n
// active email subscribers whose daily slot, in UTC, is the whole minute
// before now, so all of them are due at the next tick. It returns their
// addresses.
//
// The store's own path (RequestSubscription then ConfirmSubscription) is
// two transactions per subscriber and queues a confirmation email each, so
// the rows are bulk-inserted instead; every one is then read back through
// the store and must equal, bar id and address, a subscriber made the
// store's way in a scratch database, consents included.
func seedDue(t *testing.T, url string, n int, now time.Time) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	slot := now.UTC().Add(-time.Minute).Truncate(time.Minute)
	sched := steady.Schedule{Cadence: steady.CadenceDaily, Hour: slot.Hour(), Minute: slot.Minute()}
	created := now.UTC().Add(-time.Hour).Truncate(time.Microsecond)
	confirmed := created.Add(time.Minute)

	raw := openRaw(t, url)
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	addrs := make([]string, n)
	for i := range addrs {
		addrs[i] = subscriberAddress(i + 1)
	}
	const batch = 250
	for from := 0; from < n; from += batch {
		part := addrs[from:min(from+batch, n)]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO subscribers (channel, address, timezone, schedule, status, next_slot,
			confirm_sent_at, created_at, confirmed_at) VALUES `)
		args := make([]any, 0, 9*len(part))
		for i, a := range part {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, string(steady.ChannelEmail), a, "UTC", sched.String(), string(steady.StatusActive),
				raw.ts(slot), raw.ts(created), raw.ts(created), raw.ts(confirmed))
		}
		if _, err := tx.ExecContext(ctx, raw.q(sb.String()), args...); err != nil {
			t.Fatalf("seed subscribers: %v", err)
		}
	}
	// The consents RequestSubscription and ConfirmSubscription record.
	for _, c := range []struct{ action, at, method, ip, wording string }{
		{"requested", "created_at", "web", "192.0.2.1", signUpWording},
		{"confirmed", "confirmed_at", "email-link", "", ""},
	} {
		if _, err := tx.ExecContext(ctx, raw.q(`INSERT INTO consents (subscriber_id, action, at, method, ip, wording)
			SELECT id, ?, `+c.at+`, ?, ?, ? FROM subscribers ORDER BY id`), c.action, c.method, c.ip, c.wording); err != nil {
			t.Fatalf("seed consents: %v", err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	ref, refConsents := referenceSubscriber(t, sched, slot, created, confirmed)
	subs, err := db.ListSubscribers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != n {
		t.Fatalf("seeded %d subscribers, the store lists %d", n, len(subs))
	}
	for _, s := range subs {
		want := ref
		want.ID, want.Address = s.ID, s.Address
		if !reflect.DeepEqual(s, want) {
			t.Fatalf("seeded subscriber differs from one the store makes:\n got %+v\nwant %+v", s, want)
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("seeded subscriber %d: %v", s.ID, err)
		}
	}
	for _, s := range []steady.Subscriber{subs[0], subs[len(subs)-1]} {
		cs, err := db.Consents(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := consentsWithoutIDs(cs), consentsWithoutIDs(refConsents); !reflect.DeepEqual(got, want) {
			t.Fatalf("seeded consents differ from the store's:\n got %+v\nwant %+v", got, want)
		}
	}
	return addrs
}

// referenceSubscriber signs one subscriber up and confirms them through the
// store, in a scratch SQLite file, with the seed's times and slot.
func referenceSubscriber(t *testing.T, sched steady.Schedule, slot, created, confirmed time.Time) (steady.Subscriber, []steady.Consent) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "reference.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel:     steady.ChannelEmail,
		Address:     "reference@example.org",
		TimeZone:    "UTC",
		Schedule:    sched,
		Consent:     steady.Consent{Method: "web", IP: "192.0.2.1", Wording: signUpWording},
		Now:         created,
		ResendAfter: 10 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, confirmed,
		func(steady.Subscriber) (time.Time, error) { return slot, nil })
	if err != nil {
		t.Fatal(err)
	}
	cs, err := db.Consents(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sub, cs
}

func consentsWithoutIDs(cs []steady.Consent) []steady.Consent {
	out := make([]steady.Consent, len(cs))
	for i, c := range cs {
		c.ID, c.SubscriberID = 0, 0
		out[i] = c
	}
	return out
}
