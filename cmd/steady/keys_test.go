package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/sealed"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// serverVars is the environment of a serve on a public base URL with SMTP,
// so that only the key and the secret are left to decide.
func serverVars(dbPath string) map[string]string {
	return map[string]string{
		"STEADY_DATABASE_URL": dbPath,
		"STEADY_BASE_URL":     "https://steady.example.org",
		"STEADY_SMTP_URL":     "smtp://127.0.0.1:2525?tls=none",
		"STEADY_FROM":         "Steady <steady@example.org>",
	}
}

const goodSecret = "9d1f3b5a7c2e4f6a8b0c1d3e5f7a9b2c"

// On a base URL that is not loopback, serve refuses to start without an
// encryption key or a signing secret, and says which setting to add and
// how to make the value. It fails on the code before (serve started, with
// a generated secret in the database and no key at all).
func TestServeOnAServerNeedsAKeyAndASecret(t *testing.T) {
	t.Parallel()
	keyLine := sealed.Generate()
	for _, c := range []struct {
		name        string
		extra       map[string]string
		want, avoid []string
	}{
		{"neither", nil, []string{"STEADY_ENCRYPTION_KEY", "STEADY_SECRET", "STEADY_SECRET_FILE", "openssl rand -hex 32"}, nil},
		{"no key", map[string]string{"STEADY_SECRET": goodSecret}, []string{"STEADY_ENCRYPTION_KEY", "STEADY_ENCRYPTION_KEY_FILE", "openssl rand -hex 32"}, []string{"STEADY_SECRET is not set"}},
		{"no secret", map[string]string{"STEADY_ENCRYPTION_KEY": keyLine.ID + ":" + strings.Fields(keyLine.Line())[1]},
			[]string{"STEADY_SECRET is not set", "STEADY_SECRET_FILE", "openssl rand -hex 32"}, []string{"ENCRYPTION"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "steady.db")
			vars := serverVars(path)
			for k, v := range c.extra {
				vars[k] = v
			}
			_, _, err := serveBriefly(t, vars, "--addr", "127.0.0.1:0")
			if exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want a usage error", err, exitCode(err))
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the refusal does not say %q: %v", w, err)
				}
			}
			for _, a := range c.avoid {
				if strings.Contains(err.Error(), a) {
					t.Errorf("the refusal says %q: %v", a, err)
				}
			}
			if _, err := os.Stat(path + ".key"); !os.IsNotExist(err) {
				t.Errorf("a key file was generated for a server: %v", err)
			}
		})
	}
}

// With a key file and a secret file, a server starts.
func TestServeOnAServerWithKeyAndSecretFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	vars := serverVars(filepath.Join(dir, "steady.db"))
	vars["STEADY_ADDR"] = "127.0.0.1:0"
	vars["STEADY_ENCRYPTION_KEY_FILE"] = writeFile(t, dir, "keys", "# mine\n"+sealed.Generate().Line()+"\n")
	vars["STEADY_SECRET_FILE"] = writeFile(t, dir, "secret", goodSecret+"\n")
	out := serveUntilRunning(t, vars)
	if strings.Contains(out, "generated") {
		t.Errorf("serve generated a key or secret although both were given:\n%s", out)
	}

	vars["STEADY_SECRET"] = goodSecret
	if _, _, err := serveBriefly(t, vars); exitCode(err) != 2 || !strings.Contains(err.Error(), "not both") {
		t.Errorf("STEADY_SECRET and STEADY_SECRET_FILE: %v, want a usage error", err)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The README's first command still just works: on loopback with no key,
// serve generates FILE.key beside the SQLite database (0600), says where
// it is and that a backup is useless without it, and uses it again on the
// next start; the operator's commands find it by themselves.
func TestServeOnLoopbackGeneratesAKeyFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "steady.db")
	vars := map[string]string{"STEADY_DATABASE_URL": path, "STEADY_ADDR": "127.0.0.1:0"}
	out := serveUntilRunning(t, vars)
	keyPath := path + ".key"
	info, err := os.Stat(keyPath)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file %s: %v, %v; want mode 0600", keyPath, info, err)
	}
	if !strings.Contains(out, keyPath) || !strings.Contains(out, "backup of the database is useless without this file") {
		t.Errorf("the warning does not say where the key is and why it matters:\n%s", out)
	}
	first, _ := os.ReadFile(keyPath)
	if out := serveUntilRunning(t, vars); strings.Contains(out, "generated one") {
		t.Errorf("the second start generated another key:\n%s", out)
	}
	if again, _ := os.ReadFile(keyPath); string(again) != string(first) {
		t.Error("the key file changed on the second start")
	}

	// Words written with that key are sealed, and export reads them.
	keys, err := sealed.ParseKeyFile(string(first))
	if err != nil {
		t.Fatal(err)
	}
	sub := seedReply(t, path, keys, "MARKER-loopback-words")
	if found := storetest.SQLiteFilesContaining(t, path, "MARKER-loopback-words"); len(found) > 0 {
		t.Errorf("the reply is readable in %v", found)
	}
	exported, _, err := runCLI(t, map[string]string{"STEADY_DATABASE_URL": path}, "subscribers", "export", sub.Address)
	if err != nil || !strings.Contains(exported, "MARKER-loopback-words") {
		t.Errorf("export with the generated key file: %v\n%s", err, exported)
	}
}

// seedReply adds a subscriber and one reply body through a store sealing
// with keys.
func seedReply(t *testing.T, dbURL string, keys []sealed.Key, body string) steady.Subscriber {
	t.Helper()
	ctx := context.Background()
	k, err := sealed.New(keys...)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dbURL, store.WithKeyring(k))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail, Address: "lee@example.org",
		TimeZone: "UTC", Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 9}, Now: now,
		Consent: steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: res.Subscriber.ID, Channel: steady.ChannelWeb,
		Body: body, ReceivedAt: now, SourceID: "web:seed"}); err != nil {
		t.Fatal(err)
	}
	return res.Subscriber
}

// keys generate prints a key file line; keys rotate moves everything to
// the first key, printing progress, and afterwards the old key can go. A
// key that is not loaded is a clear error.
func TestKeysGenerateAndRotate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "steady.db")
	genA, _, err := runCLI(t, nil, "keys", "generate")
	if err != nil {
		t.Fatal(err)
	}
	a, err := sealed.ParseKeyFile(genA)
	if err != nil || len(a) != 1 {
		t.Fatalf("keys generate printed %q: %v", genA, err)
	}
	sub := seedReply(t, path, a, "MARKER-rotated-words")
	genB, _, err := runCLI(t, nil, "keys", "generate")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := sealed.ParseKeyFile(genB)

	vars := map[string]string{"STEADY_DATABASE_URL": path, "STEADY_ENCRYPTION_KEY_FILE": writeFile(t, dir, "keys", genB+genA)}
	out, _, err := runCLI(t, vars, "keys", "rotate", "--batch", "1")
	if err != nil {
		t.Fatalf("rotate: %v\n%s", err, out)
	}
	// A reply and a consent: two values, one a batch, plain lines.
	for _, want := range []string{"Encrypting with key " + b[0].ID, "re-encrypted 1 of 2", "re-encrypted 2 of 2", "Done: 2 values encrypted with key " + b[0].ID} {
		if !strings.Contains(out, want) {
			t.Errorf("rotate output lacks %q:\n%s", want, out)
		}
	}
	if out, _, err := runCLI(t, vars, "keys", "rotate"); err != nil || !strings.Contains(out, "Nothing to do") {
		t.Errorf("second rotate: %v\n%s", err, out)
	}

	vars["STEADY_ENCRYPTION_KEY_FILE"] = writeFile(t, dir, "keys", genB)
	if out, _, err := runCLI(t, vars, "subscribers", "export", sub.Address); err != nil || !strings.Contains(out, "MARKER-rotated-words") {
		t.Errorf("export with the new key alone: %v\n%s", err, out)
	}
	vars["STEADY_ENCRYPTION_KEY_FILE"] = writeFile(t, dir, "keys", genA)
	out, _, err = runCLI(t, vars, "subscribers", "export", sub.Address)
	if err == nil || !strings.Contains(err.Error(), "not loaded") || strings.Contains(out, "MARKER") {
		t.Errorf("export with the old key alone: %v, want an error saying the key is not loaded\n%s", err, out)
	}
	delete(vars, "STEADY_ENCRYPTION_KEY_FILE")
	if _, _, err := runCLI(t, vars, "keys", "rotate"); exitCode(err) != 2 || !strings.Contains(err.Error(), "STEADY_ENCRYPTION_KEY") {
		t.Errorf("rotate without keys: %v, want a usage error naming STEADY_ENCRYPTION_KEY", err)
	}
}

// Workers starting at the same moment on one loopback database end up
// with one key between them, never two.
func TestKeyFileGeneratedOnceByConcurrentStarts(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "steady.db")
	const n = 8
	ids := make(chan string, n)
	for range n {
		go func() {
			var logs lockedBuffer
			k, err := loadKeyring(func(string) string { return "" }, "", path, "", keysServe, time.Now(), newLogger(&logs, "info", "text"))
			if err != nil {
				t.Error(err)
				ids <- ""
				return
			}
			ids <- k.Current()
		}()
	}
	first := <-ids
	for range n - 1 {
		if id := <-ids; id != first {
			t.Errorf("two keys: %s and %s", first, id)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".steady-key-*")); len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

// A bad key is refused at start-up, without repeating it.
func TestBadEncryptionKeyIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := sealed.Generate().Line()
	for _, c := range []struct {
		name string
		vars map[string]string
		want string
	}{
		{"too short", map[string]string{"STEADY_ENCRYPTION_KEY": "c2VjcmV0LWJ1dC1zaG9ydA"}, "openssl rand -hex 32"},
		{"bad id", map[string]string{"STEADY_ENCRYPTION_KEY": "my_key:" + strings.Fields(good)[1]}, "letters, digits or '-'"},
		{"both", map[string]string{"STEADY_ENCRYPTION_KEY": strings.Fields(good)[1], "STEADY_ENCRYPTION_KEY_FILE": writeFile(t, dir, "k", good)}, "not both"},
		{"missing file", map[string]string{"STEADY_ENCRYPTION_KEY_FILE": filepath.Join(dir, "nope")}, "steady keys generate >"},
		{"empty file", map[string]string{"STEADY_ENCRYPTION_KEY_FILE": writeFile(t, dir, "empty", "# nothing\n")}, "no keys"},
	} {
		_, _, err := serveBriefly(t, c.vars, "--addr", "127.0.0.1:0")
		if exitCode(err) != 2 || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "STEADY_ENCRYPTION_KEY") {
			t.Errorf("%s: %v (exit %d), want a usage error saying %q", c.name, err, exitCode(err), c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "c2VjcmV0") || strings.Contains(err.Error(), strings.Fields(good)[1][:16])) {
			t.Errorf("%s: the error repeats the key: %v", c.name, err)
		}
	}
}

// A server listening on every interface is reachable from other machines
// even when its base URL is the default http://localhost:PORT, so it too
// needs a secret and a key of its own (a black-box pass found it started
// with a generated secret in the database and a generated key file).
func TestServeListeningEverywhereNeedsAKeyAndASecret(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "steady.db")
	vars := serverVars(path)
	delete(vars, "STEADY_BASE_URL")
	_, _, err := serveBriefly(t, vars, "--addr", "0.0.0.0:0")
	if exitCode(err) != 2 {
		t.Fatalf("err = %v (exit %d), want a usage error", err, exitCode(err))
	}
	for _, w := range []string{"the listen address 0.0.0.0:0", "STEADY_SECRET", "STEADY_ENCRYPTION_KEY"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the refusal does not say %q: %v", w, err)
		}
	}
	if _, err := os.Stat(path + ".key"); !os.IsNotExist(err) {
		t.Errorf("a key file was generated for a server: %v", err)
	}
}
