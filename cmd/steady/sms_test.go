package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestBadSMSSettings(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "steady.db")
	twilio := func(extra map[string]string) map[string]string {
		v := map[string]string{"STEADY_DATABASE_URL": db, "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok",
			"STEADY_TWILIO_FROM": "+15005550006"}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	for _, tt := range []struct {
		name string
		vars map[string]string
		want string
	}{
		{"from without account", map[string]string{"STEADY_DATABASE_URL": db, "STEADY_TWILIO_FROM": "+15005550006"}, "TWILIO_ACCOUNT_SID"},
		{"no auth token", twilio(map[string]string{"TWILIO_AUTH_TOKEN": ""}), "TWILIO_AUTH_TOKEN"},
		{"no sender", twilio(map[string]string{"STEADY_TWILIO_FROM": ""}), "exactly one"},
		{"two senders", twilio(map[string]string{"STEADY_TWILIO_MESSAGING_SERVICE_SID": "MG1"}), "exactly one"},
		{"zero MPS", twilio(map[string]string{"STEADY_SMS_MPS": "0"}), "sms-mps"},
		{"MPS not a number", twilio(map[string]string{"STEADY_SMS_MPS": "fast"}), "sms-mps"},
		{"unknown country", twilio(map[string]string{"STEADY_SMS_COUNTRIES": "US,XX"}), "sms-countries"},
		{"unknown region", twilio(map[string]string{"STEADY_SMS_REGION": "QQ"}), "sms-region"},
		{"bad pause", twilio(map[string]string{"STEADY_SMS_PAUSE": "two weeks"}), "sms-pause"},
		{"bad reply window", twilio(map[string]string{"STEADY_SMS_REPLY_WINDOW": "-1h"}), "sms-reply-window"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := runCLI(t, tt.vars, "serve", "--addr", "127.0.0.1:0")
			if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want a usage error mentioning %q", err, exitCode(err), tt.want)
			}
		})
	}
}
