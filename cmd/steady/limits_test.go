package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestBadLimitSettings(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "steady.db")
	for _, tt := range []struct{ env, value, want string }{
		{"STEADY_LIMIT_PER_IP", "-1", "--limit-per-ip"},
		{"STEADY_LIMIT_PER_MAILBOX", "three", "--limit-per-mailbox"},
		{"STEADY_LIMIT_PER_PHONE", "2.5", "--limit-per-phone"},
		{"STEADY_LIMIT_EMAIL_HOUR", "lots", "--limit-email-hour"},
		{"STEADY_LIMIT_SMS_HOUR", "-5", "--limit-sms-hour"},
		{"STEADY_SMS_DAILY_CAP", "none", "--sms-daily-cap"},
	} {
		t.Run(tt.env, func(t *testing.T) {
			t.Parallel()
			_, _, err := runCLI(t, map[string]string{"STEADY_DATABASE_URL": db, tt.env: tt.value}, "serve", "--addr", "127.0.0.1:0")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "0 turns the limit off") || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want a usage error naming %s", err, exitCode(err), tt.want)
			}
		})
	}
}

// --sms-countries defaults to the --sms-region country; * is any.
func TestSMSCountriesDefault(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		countries, region string
		want              []string
		err               string
	}{
		{"", "GB", []string{"GB"}, ""},
		{"", "us", []string{"US"}, ""},
		{"*", "GB", nil, ""},
		{"ca, us", "US", []string{"CA", "US"}, ""},
		{"", "", nil, "--sms-countries is needed"},
		{" , ", "US", nil, "name at least one country"},
		{"US,*", "US", nil, "or * for any country"},
	} {
		c := SMSConfig{From: "+15005550006", MPS: "1", Countries: tt.countries, Region: tt.region, PauseFor: "1h", ReplyWindow: "1h"}
		getenv := func(k string) string {
			return map[string]string{"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok"}[k]
		}
		err := c.finishSMS(getenv)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q, region %q: err %v, want %q", tt.countries, tt.region, err, tt.err)
		case tt.err == "" && (err != nil || !slices.Equal(c.countries, tt.want)):
			t.Errorf("%q, region %q: %v, %v; want %v", tt.countries, tt.region, c.countries, err, tt.want)
		}
	}
}

// The real program applies --limit-per-ip: the third sign-up from one
// client gets 429 and no email.
func TestServeLimitsSignUps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mail := smtptest.Start(t)
		r := startApp(t, db, steady.NewManualClock(time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)), map[string]string{
			"STEADY_SMTP_URL": mail.URL(), "STEADY_FROM": "Steady <steady@example.org>", "STEADY_LIMIT_PER_IP": "2",
		})
		for i := range 3 {
			resp := post(t, r.listenURL+"/api/subscriptions", "application/json",
				fmt.Sprintf(`{"email":"p%d@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`, i))
			want := http.StatusAccepted
			if i == 2 {
				want = http.StatusTooManyRequests
			}
			if resp.StatusCode != want || (i == 2 && resp.Header.Get("Retry-After") != "3600") {
				t.Fatalf("sign-up %d: %d (Retry-After %q) %s", i, resp.StatusCode, resp.Header.Get("Retry-After"), readAll(t, resp))
			}
		}
		mail.WaitMessages(t, 2, 10*time.Second)
		subs, err := db.ListSubscribers(t.Context())
		if err != nil || len(subs) != 2 {
			t.Errorf("%d subscribers, %v; want 2", len(subs), err)
		}
	})
}
