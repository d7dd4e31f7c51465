package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"

	_ "modernc.org/sqlite" // registers driver "sqlite", for a second process's lock
)

// postText posts a signed inbound text and returns the status, without
// failing the test (so goroutines may call it).
func (b *bundle) postText(from, body, sid string) (int, error) {
	v := url.Values{"MessageSid": {sid}, "AccountSid": {twiliotest.AccountSID}, "From": {from},
		"To": {"+15005550006"}, "Body": {body}, "NumMedia": {"0"}}
	req, err := http.NewRequest(http.MethodPost, b.url+"/twilio/sms", strings.NewReader(v.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(twiliotest.AuthToken, b.url+"/twilio/sms", v))
	res, err := b.client.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// Twilio retries a text it thinks was not answered, and the retries can
// arrive together: however many copies of one MessageSid come at once,
// the reply is stored once, and every copy is answered 200. Fresh texts
// posted among them, which share their commits on SQLite, are each stored
// once too.
func TestTwilioConcurrentReplayStoredOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		sub := smsActive(b)
		const copies, fresh = 24, 24
		var wg sync.WaitGroup
		statuses := make(chan int, copies+fresh)
		for i := range copies + fresh {
			wg.Go(func() {
				sid, body := "SMreplayed000000000000000000001", "We walked by the river."
				if i >= copies {
					sid, body = "SMfresh"+strings.Repeat("0", 20)+string(rune('A'+i-copies)), "Fresh reply "+string(rune('A'+i-copies))
				}
				status, err := b.postText(phone, body, sid)
				if err != nil {
					t.Error(err)
				}
				statuses <- status
			})
		}
		wg.Wait()
		close(statuses)
		for s := range statuses {
			if s != http.StatusOK {
				t.Errorf("a copy was answered %d, want 200", s)
			}
		}
		rs, err := db.Replies(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		bySource := map[string]int{}
		for _, r := range rs {
			bySource[r.SourceID]++
		}
		if n := bySource["twilio:SMreplayed000000000000000000001"]; n != 1 {
			t.Errorf("the replayed text is stored %d times, want 1", n)
		}
		if len(rs) != 1+fresh {
			t.Errorf("%d replies stored, want %d (one replayed, %d fresh)", len(rs), 1+fresh, fresh)
		}
	})
}

// A reply answered 200 has committed: a second handle on the SQLite file,
// opened after the answer, finds it.
func TestTwilioAnsweredReplyIsInTheFile(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/steady.db"
	keys := storetest.Keyring(t)
	db := storetest.Open(t, path, store.WithKeyring(keys))
	b := setup(t, db, withSMS(db))
	sub := smsActive(b)
	for i, body := range []string{"First words.", "Second words.", "Third words."} {
		sid := "SMdurable00000000000000000000" + string(rune('0'+i))
		if status, err := b.postText(phone, body, sid); err != nil || status != http.StatusOK {
			t.Fatalf("text %d: %d %v", i, status, err)
		}
		other, err := store.Open(context.Background(), path, store.WithKeyring(keys))
		if err != nil {
			t.Fatal(err)
		}
		rs, err := other.Replies(context.Background(), sub.ID)
		other.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != i+1 || rs[i].Body != body {
			t.Fatalf("after text %d was answered, the file holds %d replies: %+v", i, len(rs), rs)
		}
	}
}

// With the database down, a text is answered 5xx, so Twilio retries it;
// the retry, once the database is back, is stored once, and a second
// retry stores nothing more.
func TestTwilioDatabaseDownAnswers5xxAndRetryStoredOnce(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		keys := storetest.Keyring(t)
		db := storetest.Open(t, dbURL, store.WithKeyring(keys))
		b := setup(t, db, withSMS(db))
		sub := smsActive(b)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		const sid = "SMdown000000000000000000000001"
		status, err := b.postText(phone, "Said while the database was down.", sid)
		if err != nil {
			t.Fatal(err)
		}
		if status < 500 {
			t.Fatalf("with the database down: %d, want 5xx so Twilio retries", status)
		}
		back := storetest.Open(t, dbURL, store.WithKeyring(keys))
		b2 := setup(t, back, withSMS(back))
		for i := range 2 {
			if status, err := b2.postText(phone, "Said while the database was down.", sid); err != nil || status != http.StatusOK {
				t.Fatalf("retry %d: %d %v", i, status, err)
			}
		}
		rs, err := back.Replies(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 {
			t.Errorf("%d replies stored after two retries, want 1", len(rs))
		}
	})
}

// While another process holds SQLite's write lock for longer than the
// busy timeout, a text is answered 5xx (Twilio retries it); the retry,
// once the lock is released, is stored once.
func TestTwilioSQLiteBusyAnswers5xxAndRetryStoredOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out SQLite's 10-second busy timeout")
	}
	t.Parallel()
	ctx := context.Background()
	path := t.TempDir() + "/steady.db"
	db := storetest.Open(t, path)
	b := setup(t, db, withSMS(db))
	sub := smsActive(b)
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	const sid = "SMbusy000000000000000000000001"
	status, err := b.postText(phone, "Said while the database was busy.", sid)
	if err != nil {
		t.Fatal(err)
	}
	if status < 500 {
		t.Fatalf("with the write lock held elsewhere: %d, want 5xx so Twilio retries", status)
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if status, err := b.postText(phone, "Said while the database was busy.", sid); err != nil || status != http.StatusOK {
			t.Fatalf("retry %d: %d %v", i, status, err)
		}
	}
	rs, err := db.Replies(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Errorf("%d replies stored after two retries, want 1", len(rs))
	}
}
