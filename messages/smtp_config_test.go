package messages_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/steadyapp/steady/messages"
)

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw     string
		want    messages.SMTPConfig
		wantErr string // substring; "" means success
	}{
		{raw: "smtp://mail.example.org", want: messages.SMTPConfig{Host: "mail.example.org", Port: 587, TLS: messages.TLSStartTLS}},
		{raw: "smtp://mail.example.org?tls=starttls", want: messages.SMTPConfig{Host: "mail.example.org", Port: 587, TLS: messages.TLSStartTLS}},
		{raw: "smtp://mail.example.org?tls=tls", want: messages.SMTPConfig{Host: "mail.example.org", Port: 465, TLS: messages.TLSImplicit}},
		{raw: "smtp://mail.example.org?tls=none", want: messages.SMTPConfig{Host: "mail.example.org", Port: 25, TLS: messages.TLSNone}},
		{raw: "smtp://mail.example.org?tls=NONE", want: messages.SMTPConfig{Host: "mail.example.org", Port: 25, TLS: messages.TLSNone}},
		{raw: "smtps://mail.example.org", want: messages.SMTPConfig{Host: "mail.example.org", Port: 465, TLS: messages.TLSImplicit}},
		{raw: "smtps://mail.example.org:2465?tls=tls", want: messages.SMTPConfig{Host: "mail.example.org", Port: 2465, TLS: messages.TLSImplicit}},
		{raw: "SMTP://mail.example.org:2525/", want: messages.SMTPConfig{Host: "mail.example.org", Port: 2525, TLS: messages.TLSStartTLS}},
		{raw: "smtp://127.0.0.1:1025?tls=none", want: messages.SMTPConfig{Host: "127.0.0.1", Port: 1025, TLS: messages.TLSNone}},
		{raw: "smtp://[::1]:1025?tls=none", want: messages.SMTPConfig{Host: "::1", Port: 1025, TLS: messages.TLSNone}},
		{
			raw:  "smtp://apikey:s3cr%40t%2Fp%3Ass@smtp.example.org:587",
			want: messages.SMTPConfig{Host: "smtp.example.org", Port: 587, TLS: messages.TLSStartTLS, Username: "apikey", Password: "s3cr@t/p:ss"},
		},
		{
			raw:  "smtp://user%40example.org:pw@smtp.example.org",
			want: messages.SMTPConfig{Host: "smtp.example.org", Port: 587, TLS: messages.TLSStartTLS, Username: "user@example.org", Password: "pw"},
		},
		{raw: "smtp://relay@smtp.example.org", want: messages.SMTPConfig{Host: "smtp.example.org", Port: 587, TLS: messages.TLSStartTLS, Username: "relay"}},

		{raw: "", wantErr: "missing scheme"},
		{raw: "mail.example.org:587", wantErr: "scheme"},
		{raw: "http://mail.example.org", wantErr: `scheme "http" is not smtp or smtps`},
		{raw: "smtp://", wantErr: "missing host"},
		{raw: "smtp://:587", wantErr: "missing host"},
		{raw: "smtp://user:pw@:587", wantErr: "missing host"},
		{raw: "smtp:mail.example.org", wantErr: "two slashes"},
		{raw: "smtp://mail.example.org:abc", wantErr: "port"},
		{raw: "smtp://mail.example.org:0", wantErr: `port "0"`},
		{raw: "smtp://mail.example.org:65536", wantErr: `port "65536"`},
		{raw: "smtp://mail.example.org:", wantErr: "empty port"},
		{raw: "smtp://mail.example.org?tls=ssl", wantErr: `tls="ssl" is not one of starttls, tls, none`},
		{raw: "smtp://mail.example.org?tls=", wantErr: `tls="" is not one of`},
		{raw: "smtp://mail.example.org?tls=none&tls=tls", wantErr: "more than once"},
		{raw: "smtp://mail.example.org?tsl=none", wantErr: `unknown parameter "tsl"`},
		{raw: "smtps://mail.example.org?tls=none", wantErr: "smtps:// means tls=tls"},
		{raw: "smtp://mail.example.org/relay", wantErr: "path"},
		{raw: "smtp://:secret@mail.example.org", wantErr: "password needs a user name"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got, err := messages.ParseSMTPURL(tt.raw)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseSMTPURL(%q) = %v, want an error containing %q", tt.raw, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseSMTPURL(%q) error = %q, want it to contain %q", tt.raw, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSMTPURL(%q): %v", tt.raw, err)
			}
			if got != tt.want {
				t.Fatalf("ParseSMTPURL(%q) = %#v, want %#v (passwords %q, %q)", tt.raw, got, tt.want, got.Password, tt.want.Password)
			}
		})
	}
}

// The password must not leak through any way a config or a parse error is
// printed.
func TestSMTPConfigNeverShowsPassword(t *testing.T) {
	t.Parallel()
	const secret = "Sup3rS3cret"
	cfg, err := messages.ParseSMTPURL("smtp://user:" + secret + "@mail.example.org:2525?tls=tls")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Password != secret {
		t.Fatalf("Password = %q", cfg.Password)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "smtp", cfg)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "smtp", cfg)
	shown := map[string]string{
		"String": cfg.String(),
		"%v":     fmt.Sprintf("%v", cfg),
		"%+v":    fmt.Sprintf("%+v", cfg),
		"%#v":    fmt.Sprintf("%#v", cfg),
		"%s ptr": fmt.Sprintf("%s", &cfg),
		"slog":   logged.String(),
	}
	for how, text := range shown {
		if strings.Contains(text, secret) {
			t.Errorf("%s shows the password: %s", how, text)
		}
	}
	if want := "smtp://user:xxxxx@mail.example.org:2525?tls=tls"; cfg.String() != want {
		t.Errorf("String() = %q, want %q", cfg.String(), want)
	}

	// Parse errors must not repeat the password either, even when the
	// password is what is malformed.
	for _, raw := range []string{
		"smtp://user:" + secret + "@mail.example.org:notaport",
		"smtp://user:" + secret + "@mail.example.org:99999",
		"smtp://user:" + secret + "%zz@mail.example.org",
		"smtp://user:" + secret + "@mail.example.org?tls=bogus",
		"smtp://user:" + secret + "@mail.example.org/path",
		"smtp://user:" + secret + "@",
		"smtp://user:" + secret + "@mail.example.org?a=b",
		"smtp://user:" + secret + "@mail example.org",
		"ftp://user:" + secret + "@mail.example.org",
	} {
		_, err := messages.ParseSMTPURL(raw)
		if err == nil {
			t.Errorf("ParseSMTPURL(%q) succeeded, want an error", raw)
			continue
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "zz") && strings.Contains(raw, "%zz") {
			t.Errorf("ParseSMTPURL error shows the password: %v", err)
		}
	}
}
