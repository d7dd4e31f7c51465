package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/sealed"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// rawContains reports where the database at dbURL holds marker in its raw
// form: for SQLite the names of the files (database, -wal, -shm) whose
// bytes contain it; for PostgreSQL "pg_dump" when the schema's pg_dump
// contains it, or each table whose rows, read as text, do.
func rawContains(t *testing.T, dbURL, marker string) []string {
	t.Helper()
	if !strings.HasPrefix(dbURL, "postgres") {
		return storetest.SQLiteFilesContaining(t, dbURL, marker)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	var found []string
	if path, err := exec.LookPath("pg_dump"); err == nil {
		q.Del("search_path")
		u.RawQuery = q.Encode()
		out, err := exec.Command(path, "--data-only", "--schema="+schema, u.String()).Output()
		if err != nil {
			t.Fatalf("pg_dump: %v", err)
		}
		if !strings.Contains(string(out), "COPY "+schema+".replies") {
			t.Fatalf("pg_dump did not dump the replies table:\n%s", out)
		}
		if strings.Contains(string(out), marker) {
			found = append(found, "pg_dump")
		}
	}
	raw, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var tables []string
	rows, err := raw.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, schema)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(tables) < 5 {
		t.Fatalf("only tables %v in schema %s", tables, schema)
	}
	for _, table := range tables {
		var text sql.NullString
		if err := raw.QueryRow(`SELECT string_agg(t::text, E'\n') FROM "` + table + `" t`).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text.String, marker) {
			found = append(found, table)
		}
	}
	return found
}

// wordsEverywhere writes marker (with what it is appended) into every
// column that holds a subscriber's own words, through the store, and
// returns the subscriber.
func wordsEverywhere(t *testing.T, db *store.DB, marker string) steady.Subscriber {
	t.Helper()
	ctx := context.Background()
	req := request("words@example.com", t0)
	req.Consent.Wording = "consent " + marker
	res, err := db.RequestSubscription(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	sub := res.Subscriber
	for _, r := range []steady.Reply{
		{SubscriberID: sub.ID, Channel: steady.ChannelWeb, Body: "reply " + marker, ReceivedAt: t0, SourceID: "web:1"},
		{SubscriberID: sub.ID, Channel: steady.ChannelSMS, Body: "text " + marker, ReceivedAt: t0, SourceID: "twilio:SM1"},
	} {
		if _, _, err := db.RecordReply(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	evidence := fmt.Sprintf(`{"recurring":[{"theme":"trust","quotes":["summary %s"]}]}`, marker)
	if _, _, err := db.ClaimSummary(ctx, sub.ID, "2026-02", steady.ChannelEmail, []byte(evidence), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePreview(ctx, steady.Message{Channel: steady.ChannelEmail, To: "words@example.com",
		Subject: "subject " + marker, Text: "preview " + marker, HTML: "<p>preview " + marker + "</p>"}, t0); err != nil {
		t.Fatal(err)
	}
	return sub
}

// readsBack checks that every value wordsEverywhere wrote reads back as
// written, and returns the first error reading them.
func readsBack(t *testing.T, db *store.DB, sub steady.Subscriber, marker string) error {
	t.Helper()
	ctx := context.Background()
	rs, err := db.Replies(ctx, sub.ID)
	if err != nil {
		return err
	}
	cs, err := db.Consents(ctx, sub.ID)
	if err != nil {
		return err
	}
	sum, err := db.SummaryFor(ctx, sub.ID, "2026-02")
	if err != nil {
		return err
	}
	ps, err := db.Previews(ctx, 10)
	if err != nil {
		return err
	}
	if len(rs) != 2 || rs[0].Body != "reply "+marker || rs[1].Body != "text "+marker {
		t.Errorf("replies read back as %+v", rs)
	}
	if len(cs) != 1 || cs[0].Wording != "consent "+marker {
		t.Errorf("consents read back as %+v", cs)
	}
	if !strings.Contains(string(sum.Data), `"summary `+marker+`"`) {
		t.Errorf("summary data read back as %s", sum.Data)
	}
	if len(ps) != 1 || ps[0].Subject != "subject "+marker || ps[0].Text != "preview "+marker || ps[0].HTML != "<p>preview "+marker+"</p>" {
		t.Errorf("previews read back as %+v", ps)
	}
	return nil
}

// The subscriber's words (a reply, an inbound text, the consent wording, a
// summary's quotes, a preview's subject and bodies) are in no file of the
// database nor in a dump of it, and read back as written. It fails on the
// code before sealing (the marker is in steady.db-wal and in every dump).
func TestSubscribersWordsAreEncryptedAtRest(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		db := storetest.Open(t, dbURL)
		const marker = "MARKER-he-reads-my-phone-7f3a"
		sub := wordsEverywhere(t, db, marker)
		if err := readsBack(t, db, sub, marker); err != nil {
			t.Fatal(err)
		}
		if found := rawContains(t, dbURL, marker); len(found) > 0 {
			t.Errorf("the subscriber's words are readable at rest in %v", found)
		}
		if db.Dialect() == "sqlite" {
			if err := db.Checkpoint(context.Background()); err != nil {
				t.Fatal(err)
			}
			if found := rawContains(t, dbURL, marker); len(found) > 0 {
				t.Errorf("after a checkpoint, the subscriber's words are readable in %v", found)
			}
		}
	})
}

// Another key, a key that is not loaded, or no key at all gives an error
// that says so, never garbage; the values are bound to their rows.
func TestWrongKeyIsAClearError(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		a := sealed.Generate()
		db := storetest.Open(t, dbURL, store.WithKeyring(keyring(t, a)))
		sub := wordsEverywhere(t, db, "secret words")

		ctx := context.Background()
		for _, c := range []struct {
			name string
			keys *sealed.Keyring
			want error
		}{
			{"another key", keyring(t, sealed.Generate()), sealed.ErrUnknownKey},
			{"another key under the same id", keyring(t, sealed.Key{ID: a.ID, Secret: sealed.Generate().Secret}), sealed.ErrWrongKey},
			{"no key", nil, sealed.ErrNoKey},
		} {
			other, err := store.Open(ctx, dbURL, store.WithKeyring(c.keys))
			if err != nil {
				t.Fatal(err)
			}
			rs, err := other.Replies(ctx, sub.ID)
			if !errors.Is(err, c.want) || rs != nil || !strings.Contains(err.Error(), "replies.body of row") {
				t.Errorf("%s: Replies = %v, %v; want an error wrapping %v naming the row", c.name, rs, err, c.want)
			}
			for name, f := range map[string]func() error{
				"consents":  func() error { _, err := other.Consents(ctx, sub.ID); return err },
				"summaries": func() error { _, err := other.Summaries(ctx, sub.ID); return err },
				"previews":  func() error { _, err := other.Previews(ctx, 10); return err },
			} {
				if err := f(); !errors.Is(err, c.want) {
					t.Errorf("%s: %s: %v, want %v", c.name, name, err, c.want)
				}
			}
			other.Close()
		}

		// A sealed body moved to another row does not open there.
		if err := moveReplyBody(ctx, dbURL, "web:1", "twilio:SM1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Replies(ctx, sub.ID); !errors.Is(err, sealed.ErrWrongKey) {
			t.Errorf("a body moved to another row: %v, want ErrWrongKey", err)
		}
	})
}

func keyring(t *testing.T, keys ...sealed.Key) *sealed.Keyring {
	t.Helper()
	k, err := sealed.New(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// moveReplyBody copies the stored body of reply from onto reply to, past
// the store, as someone with the database but not the key could.
func moveReplyBody(ctx context.Context, dbURL, from, to string) error {
	driver, dsn, q := "pgx", dbURL, `UPDATE replies SET body = (SELECT body FROM replies WHERE source_id = $1) WHERE source_id = $2`
	if !strings.HasPrefix(dbURL, "postgres") {
		driver, dsn = "sqlite", "file:"+dbURL+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	_, err = raw.ExecContext(ctx, q, from, to)
	return err
}
