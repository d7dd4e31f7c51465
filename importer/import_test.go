package importer_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/importer"
	"github.com/steadyapp/steady/importer/importertest"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

const secret = "importer-test-secret-0123456789abcdef"

func importOptions(t testing.TB) importer.Options {
	t.Helper()
	h, err := compliance.NewHasher([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	opts := options()
	opts.Hasher, opts.Source, opts.Operator = h, "list.csv", "ops"
	return opts
}

func parse(t *testing.T, data []byte, opts importer.Options) importer.Plan {
	t.Helper()
	plan, err := importer.Parse(bytes.NewReader(data), opts)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func count(t *testing.T, db *store.DB) int {
	t.Helper()
	subs, err := db.ListSubscribers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(subs)
}

func TestImportWritesNothingWithProblemsThenTheGoodRowsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opts := importOptions(t)
		data, _ := importertest.Generate(10_000, 50, false)
		plan := parse(t, data, opts)

		var calls []int
		tally, err := importer.Import(ctx, db, plan, opts, func(done, total int) { calls = append(calls, done) })
		if !errors.Is(err, importer.ErrProblems) || tally.Imported != 0 || tally.BadSkipped != 50 || len(calls) != 0 {
			t.Fatalf("import with problems: %+v, %v, progress %v", tally, err, calls)
		}
		if n := count(t, db); n != 0 {
			t.Fatalf("%d subscribers written by a refused import", n)
		}

		opts.SkipBad = true
		var totals []int
		tally, err = importer.Import(ctx, db, plan, opts, func(done, total int) { calls = append(calls, done); totals = append(totals, total) })
		if err != nil {
			t.Fatal(err)
		}
		want := importer.Tally{Imported: 9_950, BadSkipped: 50, ConfirmsQueued: 9_950}
		if tally != want {
			t.Fatalf("tally %+v, want %+v", tally, want)
		}
		if len(calls) != 5 || calls[4] != 9_950 || totals[0] != 9_950 || calls[0] != importer.DefaultBatch {
			t.Errorf("progress %v of %v", calls, totals)
		}
		if n := count(t, db); n != 9_950 {
			t.Fatalf("%d subscribers after the import", n)
		}
		again, err := importer.Import(ctx, db, plan, opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := (importer.Tally{AlreadyThere: 9_950, BadSkipped: 50}); again != want {
			t.Fatalf("rerun %+v, want %+v", again, want)
		}
		if n := count(t, db); n != 9_950 {
			t.Fatalf("%d subscribers after the rerun", n)
		}
	})
}

func TestImportedConfirmationLinkWorks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opts := importOptions(t)
		plan := parse(t, []byte("email,timezone,cadence,days,time\nana@example.org,Europe/London,weekly,\"mon,thu\",07:15\n"), opts)
		if _, err := importer.Import(ctx, db, plan, opts, nil); err != nil {
			t.Fatal(err)
		}
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "ana@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if sub.Status != steady.StatusPending || sub.Discreet {
			t.Fatalf("imported %+v", sub)
		}
		cs, err := db.Consents(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Method != importer.Method || cs[0].Wording != "Imported from list.csv by ops on 2026-03-01." {
			t.Fatalf("consents %+v", cs)
		}
		// The link the queued confirmation carries (templates compose it
		// with Links.ConfirmURL) confirms, as a sign-up's does.
		clock := steady.NewManualClock(now.Add(time.Hour))
		lk, err := links.New("https://steady.example", "prompts@steady.example", []byte(secret), clock)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(lk.ConfirmURL(sub))
		if err != nil {
			t.Fatal(err)
		}
		id, requested, err := lk.VerifyConfirm(u.Query().Get("t"))
		if err != nil || id != sub.ID {
			t.Fatalf("verify: %d, %v", id, err)
		}
		got, err := db.ConfirmLink(ctx, id, requested, steady.Consent{Method: "web", Wording: "confirmed"}, clock.Now(),
			func(s steady.Subscriber) (time.Time, error) {
				loc, err := s.Location()
				if err != nil {
					return time.Time{}, err
				}
				return s.Schedule.Next(clock.Now(), loc), nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != steady.StatusActive || got.NextSlot.IsZero() {
			t.Fatalf("after confirming: %+v", got)
		}
	})
}

func TestImportConsentedRecordsTheEvidenceAndActivates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opts := importOptions(t)
		opts.Consented = true
		in := "email,phone,timezone,cadence,time,consent_text,consented_at\n" +
			"ana@example.org,,Europe/London,daily,20:30,Yes please (paper form),2026-01-15\n" +
			",07400 123456,Europe/London,daily,08:00,Ticked the box,2026-02-01T09:30:00+01:00\n" +
			"bo@example.org,,Europe/London,daily,20:30,,\n"
		plan := parse(t, []byte(in), opts)
		if plan.Bad() != 1 || plan.Problems[0].Line != 4 {
			t.Fatalf("problems %+v", plan.Problems)
		}
		opts.SkipBad = true
		tally, err := importer.Import(ctx, db, plan, opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := (importer.Tally{Imported: 2, BadSkipped: 1}); tally != want {
			t.Fatalf("tally %+v, want %+v", tally, want)
		}
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "ana@example.org")
		if err != nil {
			t.Fatal(err)
		}
		// Active at once, first prompt at the next 20:30 London time, as a
		// confirmation at now would make it.
		if sub.Status != steady.StatusActive || !sub.NextSlot.Equal(time.Date(2026, 3, 1, 20, 30, 0, 0, time.UTC)) ||
			!sub.ConfirmedAt.Equal(now) {
			t.Errorf("imported %+v", sub)
		}
		cs, err := db.Consents(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Action != steady.ConsentConfirmed || !cs[0].At.Equal(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)) ||
			!strings.Contains(cs[0].Wording, "Yes please (paper form)") || !strings.Contains(cs[0].Wording, "Imported from list.csv by ops on 2026-03-01.") {
			t.Errorf("consents %+v", cs)
		}
		if ds, err := db.Deliveries(ctx, sub.ID); err != nil || len(ds) != 0 {
			t.Errorf("deliveries %+v (%v)", ds, err)
		}
		text, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, "+447400123456")
		if err != nil {
			t.Fatal(err)
		}
		cs, err = db.Consents(ctx, text.ID)
		if err != nil {
			t.Fatal(err)
		}
		if text.Status != steady.StatusActive || !text.Discreet || len(cs) != 1 || !cs[0].At.Equal(time.Date(2026, 2, 1, 8, 30, 0, 0, time.UTC)) {
			t.Errorf("texted subscriber %+v, consents %+v", text, cs)
		}
	})
}

func TestImportSkipsAddressesThatAskedToStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opts := importOptions(t)
		// One unsubscribed, one erased after asking to stop.
		for _, addr := range []string{"left@example.org", "erased@example.org"} {
			res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail, Address: addr,
				TimeZone: "Europe/London", Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 8},
				Consent: steady.Consent{Method: "web", Wording: "I agree."}, Now: now.Add(-48 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Unsubscribe(ctx, res.Subscriber.ID, steady.Consent{Method: "one-click"}, now.Add(-24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if addr == "erased@example.org" {
				if err := db.DeleteSubscriber(ctx, res.Subscriber.ID, opts.Hasher); err != nil {
					t.Fatal(err)
				}
			}
		}
		in := "email,timezone,cadence,time\nLeft@example.org,Europe/London,daily,08:00\nerased@example.org,Europe/London,daily,08:00\nnew@example.org,Europe/London,daily,08:00\n"
		tally, err := importer.Import(ctx, db, parse(t, []byte(in), opts), opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := (importer.Tally{Imported: 1, OptedOut: 2, ConfirmsQueued: 1}); tally != want {
			t.Fatalf("tally %+v, want %+v", tally, want)
		}
		if _, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "erased@example.org"); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("the erased address was added back (%v)", err)
		}
		left, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "left@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if ds, err := db.Deliveries(ctx, left.ID); err != nil || left.Status != steady.StatusUnsubscribed || len(ds) != 1 {
			t.Errorf("the unsubscribed address is %s with deliveries %+v (%v)", left.Status, ds, err)
		}
	})
}

func TestImportRefusesWithoutAHasher(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	opts := options()
	plan := parse(t, []byte("email,timezone,cadence,time\na@example.org,Europe/London,daily,08:00\n"), opts)
	if _, err := importer.Import(context.Background(), db, plan, opts, nil); err == nil || !strings.Contains(err.Error(), "hasher") {
		t.Fatalf("import without a hasher: %v", err)
	}
}
