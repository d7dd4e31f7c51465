package main

import (
	"context"
	"errors"
	"flag"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

var keyRE = regexp.MustCompile(`stdy_[a-z2-7]{52}`)

// `api-keys create` prints the key once; the database keeps only its
// hash (on SQLite the key's bytes are in no file); a site using it has its
// consent_text kept under api:NAME; `list` never shows it; `revoke` by
// prefix stops it.
func TestAPIKeysCommands(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		vars := map[string]string{"STEADY_DATABASE_URL": dbURL}
		if _, _, err := runCLI(t, vars, "migrate"); err != nil {
			t.Fatal(err)
		}
		out, _, err := runCLI(t, vars, "api-keys", "create", "--name", "partner")
		if err != nil {
			t.Fatal(err)
		}
		key := keyRE.FindString(out)
		if key == "" || !strings.Contains(out, "shown only this once") {
			t.Fatalf("create printed:\n%s", out)
		}
		if _, stderr, err := runCLI(t, vars, "api-keys", "create", "--name", "partner"); err == nil {
			t.Errorf("a second key named partner: %s", stderr)
		}
		for _, bad := range []string{"", "two words", "api:x"} {
			if _, _, err := runCLI(t, vars, "api-keys", "create", "--name", bad); exitCode(err) != 2 {
				t.Errorf("name %q: %v", bad, err)
			}
		}
		if !strings.Contains(dbURL, "postgres") {
			if found := storetest.SQLiteFilesContaining(t, dbURL, key); len(found) != 0 {
				t.Errorf("the key itself is in %v", found)
			}
			if found := storetest.SQLiteFilesContaining(t, dbURL, apikeys.Hash(key)); len(found) == 0 {
				t.Error("the key's hash is in no file; the check above proves nothing")
			}
		}

		db, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		r := startServe(t, db, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
		body := `{"email":"site@example.org","timezone":"UTC","cadence":"daily","time":"20:30","consent_text":"Yes, send me prompts."}`
		if resp := post(t, r.baseURL+"/api/subscriptions", "application/json", body); resp.StatusCode != 401 {
			t.Fatalf("consent_text without the key: %d %s", resp.StatusCode, readAll(t, resp))
		}
		if resp := postAuth(t, r.baseURL+"/api/subscriptions", "Bearer "+key, body); resp.StatusCode != 202 {
			t.Fatalf("with the key: %d %s", resp.StatusCode, readAll(t, resp))
		}
		sub, err := db.SubscriberByAddress(ctx, "email", "site@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if cs, _ := db.Consents(ctx, sub.ID); len(cs) != 1 || cs[0].Method != "api:partner" || !strings.HasSuffix(cs[0].Wording, "Yes, send me prompts.") {
			t.Errorf("consents %+v", cs)
		}

		out, _, err = runCLI(t, vars, "api-keys", "list")
		if err != nil || !strings.Contains(out, "partner") || !strings.Contains(out, key[:12]) || strings.Contains(out, key) ||
			strings.Count(out, "2026-") != 2 { // created and last used; not revoked
			t.Errorf("list: %v\n%s", err, out)
		}
		if _, _, err := runCLI(t, vars, "api-keys", "revoke", key[:12]); err != nil {
			t.Fatal(err)
		}
		if out, _, _ := runCLI(t, vars, "api-keys", "list"); strings.Count(out, "2026-") != 3 {
			t.Errorf("list after revoke:\n%s", out)
		}
		if resp := postAuth(t, r.baseURL+"/api/subscriptions", "Bearer "+key, strings.Replace(body, "site@", "later@", 1)); resp.StatusCode != 401 {
			t.Errorf("revoked key: %d %s", resp.StatusCode, readAll(t, resp))
		}
		if _, _, err := runCLI(t, vars, "api-keys", "revoke", "nobody"); err == nil {
			t.Error("revoked a key that does not exist")
		}
	})
}

func postAuth(t *testing.T, u, authorization, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", authorization)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestAPIKeysAndComplianceHelp(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"api-keys", "--help"}, []string{"create --name NAME", "list", "revoke NAME-or-PREFIX", "-db", "-name"}},
		{[]string{"api-keys", "create", "--help"}, []string{"-name", "api:NAME"}},
		{[]string{"compliance", "--help"}, []string{"lookup ADDRESS", "-sms-region", "STEADY_SECRET"}},
		{[]string{"compliance", "lookup", "--help"}, []string{"-sms-region", "-db"}},
	} {
		stdout, stderr, err := runCLI(t, nil, c.args...)
		if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 || stderr != "" {
			t.Errorf("%v: %v (exit %d), stderr %q", c.args, err, exitCode(err), stderr)
		}
		for _, want := range c.want {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v does not mention %q:\n%s", c.args, want, stdout)
			}
		}
	}
	for _, args := range [][]string{{"api-keys"}, {"api-keys", "nope"}, {"compliance"}, {"compliance", "lookup"}} {
		if _, stderr, err := runCLI(t, nil, args...); exitCode(err) != 2 || !strings.Contains(stderr, "Usage") {
			t.Errorf("%v: %v, stderr %q", args, err, stderr)
		}
	}
}
