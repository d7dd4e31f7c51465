package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The finding, through the real program: a number signs up, confirms,
// texts STOP and is erased with `subscribers delete`. Before, erasure
// kept nothing, so `compliance lookup` could not answer a complaint and a
// stranger's web sign-up texted the number at once. Now the consent and
// the opt-out are kept under a keyed hash (the number is in no SQLite
// file), a stranger's sign-up sends no text, and a START from the phone
// brings it back.
func TestErasedStopEndToEnd(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		const number = "+447400123456"
		db, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		r, tw := startServeSMS(t, db, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
		sid := 0
		sms := func(body string) string {
			sid++
			v := url.Values{"MessageSid": {fmt.Sprintf("SMerase%026d", sid)}, "AccountSid": {twiliotest.AccountSID},
				"From": {number}, "To": {"+15005550006"}, "Body": {body}}
			req, _ := http.NewRequest(http.MethodPost, r.baseURL+"/twilio/sms", strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", twiliotest.Sign(twiliotest.AuthToken, r.baseURL+"/twilio/sms", v))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return readAll(t, resp)
		}
		signUp := func() string {
			resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
				`{"phone":"07400 123456","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("subscribe: %d %s", resp.StatusCode, readAll(t, resp))
			}
			return readAll(t, resp)
		}
		first := signUp()
		eventually(t, "the opt-in text reaches Twilio", func() bool { return len(tw.Sent()) == 1 })
		if a := sms("YES"); !strings.Contains(a, "subscribed") {
			t.Fatalf("YES: %s", a)
		}
		if a := sms("STOP"); !strings.Contains(a, "unsubscribed") {
			t.Fatalf("STOP: %s", a)
		}

		vars := map[string]string{"STEADY_DATABASE_URL": dbURL, "STEADY_SMS_REGION": "GB"}
		if _, _, err := runCLI(t, vars, "subscribers", "delete", "07400 123456", "--yes"); err != nil {
			t.Fatal(err)
		}
		out, _, err := runCLI(t, vars, "compliance", "lookup", "+44 7400 123456")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.Contains(lines[1], "consented") || !strings.Contains(lines[1], "api; confirmed by sms") ||
			!strings.Contains(lines[1], "Reply YES to confirm") || !strings.Contains(lines[2], "opted_out") || !strings.Contains(lines[2], "sms") {
			t.Errorf("compliance lookup:\n%s", out)
		}
		if strings.Contains(out, "7400") {
			t.Errorf("the lookup printed the number:\n%s", out)
		}
		// Another secret finds nothing (what the docs warn about).
		other := map[string]string{"STEADY_DATABASE_URL": dbURL, "STEADY_SECRET": "another-secret-0123456789abcdefXYZ"}
		if out, _, err := runCLI(t, other, "compliance", "lookup", number); err != nil || !strings.Contains(out, "No records") {
			t.Errorf("with another secret: %v\n%s", err, out)
		}
		if !strings.Contains(dbURL, "postgres") {
			if err := db.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{number, "7400123456"} {
				if found := storetest.SQLiteFilesContaining(t, filepath.Clean(dbURL), s); len(found) != 0 {
					t.Errorf("after erasure %q is in %v", s, found)
				}
			}
		}

		// A stranger signs the number up: the same answer, and no text.
		if again := signUp(); again != first {
			t.Errorf("answers differ:\n%s\n%s", first, again)
		}
		if n, err := r.app.dispatcher.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("send after a stranger's sign-up: %d %v", n, err)
		}
		if _, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, number); err == nil {
			t.Fatal("the stranger's sign-up was stored")
		}
		sent := len(tw.Sent()) // the opt-in text; STOP and YES were answered in TwiML
		// The owner texts START: a new opt-in text, YES makes it active.
		sms("START")
		eventually(t, "the owner's opt-in text reaches Twilio", func() bool { return len(tw.Sent()) == sent+1 })
		if a := sms("YES"); !strings.Contains(a, "subscribed") {
			t.Fatalf("owner's YES: %s", a)
		}
		if out, _, err := runCLI(t, vars, "compliance", "lookup", number); err != nil || !strings.Contains(out, "has this address now (active)") ||
			!strings.Contains(out, "opted_out") {
			t.Errorf("lookup with a current subscriber: %v\n%s", err, out)
		}
		if sub, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, number); err != nil || sub.Status != steady.StatusActive {
			t.Fatalf("after the owner's START and YES: %+v %v", sub, err)
		}
	})
}

// testSecret is a STEADY_SECRET for the commands' tests.
const testSecret = "cmd-test-secret-0123456789abcdefXYZ"

// Without STEADY_SECRET and without a secret serve generated, erasure
// refuses (exit 2) and erases nothing: it would file what it keeps under
// a key no lookup would use.
func TestDeleteRefusesWithoutTheSecret(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "steady.db")
	vars := map[string]string{"STEADY_DATABASE_URL": path}
	if _, _, err := runCLI(t, vars, "migrate"); err != nil {
		t.Fatal(err)
	}
	sub, _ := seedSubscriber(t, path)
	if _, _, err := runCLI(t, vars, "subscribers", "delete", sub.Address, "--yes"); exitCode(err) != 2 || !strings.Contains(err.Error(), "STEADY_SECRET") {
		t.Fatalf("delete without a secret: %v", err)
	}
	if _, _, err := runCLI(t, vars, "compliance", "lookup", sub.Address); exitCode(err) != 2 {
		t.Errorf("lookup without a secret: %v", err)
	}
	if out, _, err := runCLI(t, vars, "subscribers", "export", sub.Address); err != nil || !strings.Contains(out, sub.Address) {
		t.Fatalf("the subscriber is gone: %v", err)
	}
	vars["STEADY_SECRET"] = testSecret
	if _, _, err := runCLI(t, vars, "subscribers", "delete", sub.Address, "--yes"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := runCLI(t, vars, "compliance", "lookup", strings.ToUpper(sub.Address)); err != nil || !strings.Contains(out, "consented") {
		t.Errorf("lookup: %v\n%s", err, out)
	}
}

// The operator's commands read STEADY_SECRET_FILE as serve does: an
// address erased under the file's secret is found by a lookup given the
// same secret in STEADY_SECRET, and both at once are refused.
func TestCommandsReadTheSecretFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "steady.db")
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte(testSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"STEADY_DATABASE_URL": path, "STEADY_SECRET_FILE": file}
	if _, _, err := runCLI(t, vars, "migrate"); err != nil {
		t.Fatal(err)
	}
	sub, _ := seedSubscriber(t, path)
	if _, _, err := runCLI(t, vars, "subscribers", "delete", sub.Address, "--yes"); err != nil {
		t.Fatalf("delete with STEADY_SECRET_FILE: %v", err)
	}
	both := map[string]string{"STEADY_DATABASE_URL": path, "STEADY_SECRET_FILE": file, "STEADY_SECRET": testSecret}
	if _, _, err := runCLI(t, both, "compliance", "lookup", sub.Address); exitCode(err) != 2 || !strings.Contains(err.Error(), "not both") {
		t.Errorf("lookup with both: %v", err)
	}
	plain := map[string]string{"STEADY_DATABASE_URL": path, "STEADY_SECRET": testSecret}
	if out, _, err := runCLI(t, plain, "compliance", "lookup", sub.Address); err != nil || !strings.Contains(out, "consented") {
		t.Errorf("lookup under STEADY_SECRET of what was erased under the file's: %v\n%s", err, out)
	}
}
