package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store/storetest"
)

// An SMTP server that takes most of --send-timeout to answer is slow, not
// broken: the email is sent once, not cut short and sent again.
func TestSlowSMTPServerWithinTheSendTimeout(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	mail := smtptest.Start(t, smtptest.WithDelay(1500*time.Millisecond))
	r := startApp(t, db, steady.NewManualClock(time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)), map[string]string{
		"STEADY_SMTP_URL": mail.URL(), "STEADY_FROM": "Steady <steady@example.org>", "STEADY_SEND_TIMEOUT": "2s",
	})
	resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
		`{"email":"slow@example.org","timezone":"UTC","cadence":"daily","time":"20:30"}`)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("subscribe: %d %s", resp.StatusCode, readAll(t, resp))
	}
	mail.WaitMessages(t, 1, 10*time.Second)
	ctx := context.Background()
	sub, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "slow@example.org")
	if err != nil {
		t.Fatal(err)
	}
	var confirm steady.Delivery
	eventually(t, "the confirmation is recorded", func() bool {
		ds, err := db.Deliveries(ctx, sub.ID)
		if err != nil || len(ds) != 1 {
			return false
		}
		confirm = ds[0]
		return confirm.Status != steady.DeliverySending
	})
	if confirm.Status != steady.DeliverySent || confirm.Attempts != 1 {
		t.Errorf("confirmation: %s after %d attempts (%s); want sent after 1", confirm.Status, confirm.Attempts, confirm.LastError)
	}
	if n := len(mail.Messages()); n != 1 {
		t.Errorf("the server holds %d copies, want 1", n)
	}
}

// Real emails whose links point at this machine would reach nobody:
// serve says so at start-up.
func TestSMTPWithALocalBaseURLWarns(t *testing.T) {
	t.Parallel()
	r := startServe(t, storetest.SQLite(t), time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
	if logs := r.logs.String(); !strings.Contains(logs, "set STEADY_BASE_URL to the public URL subscribers open") {
		t.Errorf("no warning about the local base URL:\n%s", logs)
	}
}
