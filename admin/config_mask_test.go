package admin

import "testing"

func TestMaskSetting(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, value, want string }{
		{"STEADY_SECRET", "hunter2hunter2", "set"},
		{"STEADY_SECRET", "", "not set"},
		{"STEADY_PREVIEW_PASSWORD", "pw", "set"},
		{"TWILIO_AUTH_TOKEN", "tok", "set"},
		{"STEADY_ENCRYPTION_KEY_FILE", "/run/keys", "set"},
		{"STEADY_SMTP_URL", "smtp://me:hunter2@mail.example:587?tls=starttls", "smtp://me:xxxxx@mail.example:587?tls=starttls"},
		{"STEADY_DATABASE_URL", "postgres://u:p4ss@db/steady?sslmode=disable&password=p4ss", "postgres://u:xxxxx@db/steady?password=xxxxx&sslmode=disable"},
		{"STEADY_IMAP_URL", "imaps://user@imap.example/INBOX", "imaps://user@imap.example/INBOX"},
		{"STEADY_ADDR", "127.0.0.1:8080", "127.0.0.1:8080"},
		{"STEADY_TEMPLATES_DIR", "", "(empty)"},
	} {
		if got := MaskSetting(tt.name, tt.value); got != tt.want {
			t.Errorf("MaskSetting(%s, %q) = %q, want %q", tt.name, tt.value, got, tt.want)
		}
	}
}
