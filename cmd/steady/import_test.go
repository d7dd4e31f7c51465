package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/importer/importertest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// importVars is the environment of a programme sending email and texts
// to GB numbers.
func importVars(dbURL string) map[string]string {
	return map[string]string{
		"STEADY_DATABASE_URL": dbURL, "STEADY_SECRET": testSecret,
		"STEADY_SMTP_URL": "smtp://127.0.0.1:2525?tls=none", "STEADY_FROM": "prompts@example.org",
		"TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000", "TWILIO_AUTH_TOKEN": "token",
		"STEADY_TWILIO_FROM": "+447400000001", "STEADY_SMS_REGION": importertest.Region,
		"USER": "ops",
	}
}

func countSubscribers(t *testing.T, dbURL string) []steady.Subscriber {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	subs, err := db.ListSubscribers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return subs
}

func TestSubscribersImport(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		vars := importVars(dbURL)
		if _, _, err := runCLI(t, vars, "migrate"); err != nil {
			t.Fatal(err)
		}
		data, want := importertest.Generate(10_000, 50, false)
		path := filepath.Join(t.TempDir(), "list.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}

		// Every bad row reported as FILE:LINE: column: reason; nothing written.
		out, stderr, err := runCLI(t, vars, "subscribers", "import", path)
		if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "50 of 10000 rows are bad; nothing was imported") {
			t.Fatalf("import of a file with bad rows: %v (exit %d)\n%s", err, exitCode(err), out)
		}
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if len(lines) != 50 {
			t.Fatalf("%d lines reported, want 50:\n%s", len(lines), stderr)
		}
		for i, w := range want {
			prefix := fmt.Sprintf("%s:%d: %s: ", path, w.Line, w.Column)
			if w.Column == "" {
				prefix = fmt.Sprintf("%s:%d: ", path, w.Line)
			}
			if !strings.HasPrefix(lines[i], prefix) || len(lines[i]) <= len(prefix)+3 {
				t.Errorf("line %d: %q, want %q and a reason (%s)", i, lines[i], prefix, w.Reason)
			}
		}
		if n := len(countSubscribers(t, dbURL)); n != 0 || out != "" {
			t.Fatalf("a refused import wrote %d subscribers, printed %q", n, out)
		}

		// A dry run counts and writes nothing.
		out, _, err = runCLI(t, vars, "subscribers", "import", path, "--skip-bad", "--dry-run")
		if err != nil || !strings.Contains(out, "dry run, nothing written: would have 9950 imported, 0 already there") {
			t.Fatalf("dry run: %v\n%s", err, out)
		}
		if n := len(countSubscribers(t, dbURL)); n != 0 {
			t.Fatalf("a dry run wrote %d subscribers", n)
		}

		out, stderr, err = runCLI(t, vars, "subscribers", "import", "--skip-bad", path)
		if err != nil {
			t.Fatalf("import --skip-bad: %v\n%s%s", err, out, stderr)
		}
		wantTally := path + ": 9950 imported, 0 already there, 0 opted out (skipped), 50 bad rows skipped, 9950 confirmations queued\n"
		if out != wantTally {
			t.Fatalf("tally %q, want %q", out, wantTally)
		}
		// Not a terminal: plain progress lines on stderr, after the bad rows.
		if !strings.Contains(stderr, "\nimported 2000 of 9950\n") || !strings.Contains(stderr, "\nimported 9950 of 9950\n") {
			t.Errorf("progress lines missing:\n%s", stderr[strings.LastIndex(stderr, ".csv:"):])
		}
		subs := countSubscribers(t, dbURL)
		if len(subs) != 9950 {
			t.Fatalf("%d subscribers imported", len(subs))
		}
		texts := 0
		for _, s := range subs {
			if s.Status != steady.StatusPending || s.ConfirmSentAt.IsZero() {
				t.Fatalf("imported %+v", s)
			}
			if s.Channel == steady.ChannelSMS {
				texts++
			}
		}
		if texts < 2000 {
			t.Errorf("only %d numbers imported", texts)
		}

		// Again: nobody new.
		out, _, err = runCLI(t, vars, "subscribers", "import", "--skip-bad", path)
		if err != nil || !strings.HasPrefix(out, path+": 0 imported, 9950 already there,") {
			t.Fatalf("rerun: %v\n%s", err, out)
		}

		// person00001 unsubscribes and is erased: their opt-out is kept
		// under the keyed hash, and a consented import does not bring
		// them back.
		db, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		gone, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "person00001@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Unsubscribe(ctx, gone.ID, steady.Consent{Method: "one-click"}, gone.CreatedAt); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, _, err := runCLI(t, vars, "subscribers", "delete", "person00001@example.org", "--yes"); err != nil {
			t.Fatal(err)
		}
		consented := filepath.Join(t.TempDir(), "paper.csv")
		if err := os.WriteFile(consented, []byte("email,timezone,cadence,days,time,consent_text,consented_at\n"+
			"new@example.org,Europe/London,weekly,mon thu,07:15,Ticked the box on the paper form,2026-10-02\n"+
			"person00001@example.org,Europe/London,daily,,08:00,Yes,2026-10-02\n"+
			"person00002@example.org,Europe/London,daily,,08:00,Yes,2026-10-02\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, _, err = runCLI(t, vars, "subscribers", "import", consented, "--consented")
		if err != nil || out != consented+": 1 imported, 1 already there, 1 opted out (skipped), 0 bad rows skipped, 0 confirmations queued\n" {
			t.Fatalf("consented import: %v\n%s", err, out)
		}
		db, err = store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "new@example.org")
		if err != nil {
			t.Fatal(err)
		}
		// runCLI's clock is Thursday 26 November 2026, 12:00 UTC: the next
		// Monday or Thursday 07:15 in London is Monday the 30th.
		if sub.Status != steady.StatusActive || sub.NextSlot.Format("2006-01-02 15:04") != "2026-11-30 07:15" {
			t.Errorf("consented import: %+v", sub)
		}
		cs, err := db.Consents(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Action != steady.ConsentConfirmed || cs[0].At.Format("2006-01-02") != "2026-10-02" ||
			!strings.Contains(cs[0].Wording, "Ticked the box on the paper form") ||
			!strings.Contains(cs[0].Wording, "Imported from paper.csv by ops on 2026-11-26.") {
			t.Errorf("consent %+v", cs)
		}
		if _, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "person00001@example.org"); err == nil {
			t.Error("the erased address that had asked to stop was imported again")
		}
		h, err := compliance.NewHasher([]byte(testSecret))
		if err != nil {
			t.Fatal(err)
		}
		hash, _ := h.HashAddress(steady.ChannelEmail, "person00001@example.org")
		if recs, err := db.ComplianceRecords(ctx, steady.ChannelEmail, hash); err != nil || len(recs) == 0 {
			t.Fatalf("no kept opt-out: %v", err)
		}
	})
}

func TestSubscribersImportRefusals(t *testing.T) {
	t.Parallel()
	dbURL := filepath.Join(t.TempDir(), "steady.db")
	vars := importVars(dbURL)
	if _, _, err := runCLI(t, vars, "migrate"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	header := writeFile(t, dir, "odd.csv", "e-mail,timezone,cadence,time\nana@example.org,Europe/London,daily,08:00\n")
	if _, _, err := runCLI(t, vars, "subscribers", "import", header); err == nil || exitCode(err) != 1 ||
		!strings.Contains(err.Error(), `unknown column(s) "e-mail"; the columns are email, phone`) {
		t.Errorf("unknown column: %v", err)
	}
	if _, _, err := runCLI(t, vars, "subscribers", "import"); exitCode(err) != 2 {
		t.Errorf("no file: %v (exit %d)", err, exitCode(err))
	}
	if _, _, err := runCLI(t, vars, "subscribers", "import", filepath.Join(dir, "missing.csv")); err == nil || exitCode(err) != 1 {
		t.Errorf("missing file: %v", err)
	}
	// Without Twilio there is no texting: numbers are bad rows.
	delete(vars, "TWILIO_ACCOUNT_SID")
	delete(vars, "TWILIO_AUTH_TOKEN")
	delete(vars, "STEADY_TWILIO_FROM")
	phonesOnly := writeFile(t, dir, "phones.csv", "phone,timezone,cadence,time\n07400 123456,Europe/London,daily,08:00\n")
	_, stderr, err := runCLI(t, vars, "subscribers", "import", phonesOnly)
	if err == nil || !strings.Contains(stderr, phonesOnly+":2: phone: prompts by text message are not available here") {
		t.Errorf("a number without Twilio: %v\n%s", err, stderr)
	}
}
