package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The operator can see what was held aside, read one message to decide,
// and discard it.
func TestHeldCommands(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, dbURL string) {
		vars := map[string]string{"STEADY_DATABASE_URL": dbURL}
		if _, _, err := runCLI(t, vars, "migrate"); err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		raw := "From: someone@example.net\r\nSubject: hello\r\n\r\nwords held aside\r\n"
		id, _, err := db.HoldInbound(context.Background(), store.HeldMessage{ReceivedAt: time.Now(), Source: "smtp", Reason: "unmatched", Raw: []byte(raw)})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		out, _, err := runCLI(t, vars, "held", "list")
		if err != nil || !strings.Contains(out, "smtp") || !strings.Contains(out, "unmatched") || strings.Contains(out, "words held aside") {
			t.Errorf("held list = %q, %v; want the message's id, source and reason, never its words", out, err)
		}
		if out, _, err := runCLI(t, vars, "held", "show", "1"); err != nil || out != raw || id != 1 {
			t.Errorf("held show 1 = %q, %v", out, err)
		}
		if _, _, err := runCLI(t, vars, "held", "show", "one"); exitCode(err) != 2 {
			t.Errorf("held show one: %v, want a usage error", err)
		}
		if _, _, err := runCLI(t, vars, "held", "delete", "1"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := runCLI(t, vars, "held", "show", "1"); err == nil {
			t.Error("held show after delete succeeded")
		}
	})
}
