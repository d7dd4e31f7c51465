package main

import (
	"io"
	"strings"
	"testing"
)

// serveConfig reads serve's flags and environment as runServe does, for a
// listener that ended up on listenAddr.
func serveConfig(t *testing.T, vars map[string]string, listenAddr string, args ...string) (Config, error) {
	t.Helper()
	getenv := func(k string) string { return vars[k] }
	var c Config
	fs := newFlagSet(env{getenv: getenv, stdout: io.Discard, stderr: io.Discard}, "serve", "serve [flags]")
	bind(fs, getenv, serveSettings(&c))
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return c, c.finishServe(getenv, listenAddr)
}

// Preview mode is for one machine: who gets an outbox, who must set a
// password, who is refused and told what to set.
func TestPreviewModeIsForOneMachine(t *testing.T) {
	t.Parallel()
	const pw = "twelve chars!"
	twilio := map[string]string{"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok", "STEADY_TWILIO_FROM": "+15005550006"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	smtp := []string{"--smtp", "smtp://localhost:25?tls=none", "--from", "Steady <steady@example.org>"}
	for _, c := range []struct {
		name     string
		vars     map[string]string
		listen   string
		args     []string
		mail     mailMode
		password string
		refused  []string // what the refusal must name; nil: accepted
	}{
		// `go run ./cmd/steady serve`: the default address, base URL derived from it.
		{name: "README's first command", listen: defaultAddr, mail: mailOutbox},
		{name: "localhost", listen: "127.0.0.1:8080", args: []string{"--addr", "localhost:8080", "--base-url", "http://localhost:8080"}, mail: mailOutbox},
		{name: "IPv6 loopback", listen: "[::1]:8080", mail: mailOutbox},
		{name: "other loopback address", listen: "127.0.0.2:8080", args: []string{"--base-url", "http://127.0.0.2:8080/"}, mail: mailOutbox},
		{name: "loopback with a password", vars: map[string]string{"STEADY_PREVIEW_PASSWORD": pw}, listen: defaultAddr, mail: mailOutbox, password: pw},
		{name: "everywhere", listen: "0.0.0.0:8080", refused: []string{"STEADY_SMTP_URL", "--preview", "STEADY_PREVIEW_PASSWORD", "0.0.0.0:8080"}},
		{name: "everywhere, IPv6", listen: "[::]:8080", refused: []string{"STEADY_SMTP_URL"}},
		{name: "a LAN address", listen: "192.0.2.7:8080", refused: []string{"STEADY_SMTP_URL"}},
		{name: "reverse proxy", vars: map[string]string{"STEADY_BASE_URL": "https://steady.example.org"}, listen: defaultAddr,
			refused: []string{"STEADY_SMTP_URL", "https://steady.example.org"}},
		{name: "loopback-looking name", listen: defaultAddr, args: []string{"--base-url", "http://127.0.0.1.nip.io:8080"}, refused: []string{"STEADY_SMTP_URL"}},
		{name: "--preview without a password", listen: "0.0.0.0:8080", args: []string{"--preview"}, refused: []string{"STEADY_PREVIEW_PASSWORD"}},
		{name: "--preview with a password", vars: map[string]string{"STEADY_PREVIEW_PASSWORD": pw}, listen: "0.0.0.0:8080", args: []string{"--preview"},
			mail: mailOutbox, password: pw},
		{name: "STEADY_PREVIEW with a password", vars: map[string]string{"STEADY_PREVIEW": "true", "STEADY_PREVIEW_PASSWORD": pw,
			"STEADY_BASE_URL": "https://steady.example.org"}, listen: defaultAddr, mail: mailOutbox, password: pw},
		{name: "--preview=false wins over STEADY_PREVIEW", vars: map[string]string{"STEADY_PREVIEW": "true", "STEADY_PREVIEW_PASSWORD": pw},
			listen: "0.0.0.0:8080", args: []string{"--preview=false"}, refused: []string{"STEADY_SMTP_URL"}},
		{name: "STEADY_PREVIEW not a boolean", vars: map[string]string{"STEADY_PREVIEW": "yes please"}, listen: defaultAddr, refused: []string{"STEADY_PREVIEW", "true or false"}},
		{name: "short password", vars: map[string]string{"STEADY_PREVIEW_PASSWORD": "eleven char"}, listen: defaultAddr, refused: []string{"at least 12 characters"}},
		{name: "SMTP", listen: "0.0.0.0:8080", args: smtp, mail: mailSMTP},
		{name: "SMTP and --preview", vars: map[string]string{"STEADY_PREVIEW_PASSWORD": pw}, listen: defaultAddr, args: append([]string{"--preview"}, smtp...),
			refused: []string{"--preview", "STEADY_SMTP_URL"}},
		{name: "Twilio, no SMTP, on loopback", vars: twilio, listen: defaultAddr, mail: mailNone},
		{name: "Twilio, no SMTP, public", vars: with(twilio, "STEADY_BASE_URL", "https://steady.example.org"), listen: "0.0.0.0:8080", mail: mailNone},
		{name: "Twilio and SMTP", vars: twilio, listen: "0.0.0.0:8080", args: smtp, mail: mailSMTP},
		{name: "Twilio and --preview", vars: with(twilio, "STEADY_PREVIEW_PASSWORD", pw), listen: "0.0.0.0:8080", args: []string{"--preview"},
			refused: []string{"TWILIO_ACCOUNT_SID", "phone number only", "STEADY_SMTP_URL"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := serveConfig(t, c.vars, c.listen, c.args...)
			if c.refused != nil {
				if err == nil {
					t.Fatalf("accepted (mail mode %d)", cfg.Mail)
				}
				for _, want := range c.refused {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("the refusal does not name %q: %v", want, err)
					}
				}
				if pw := c.vars["STEADY_PREVIEW_PASSWORD"]; pw != "" && strings.Contains(err.Error(), pw) {
					t.Errorf("the refusal shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Mail != c.mail || cfg.PreviewPassword != c.password {
				t.Errorf("mail mode %d, password %q; want %d, %q", cfg.Mail, cfg.PreviewPassword, c.mail, c.password)
			}
		})
	}
}

// The password is a secret: no flag takes it, and serve's help says it
// is read from the environment only.
func TestPreviewPasswordIsNotAFlag(t *testing.T) {
	t.Parallel()
	stdout, _, err := runCLI(t, nil, "serve", "--help")
	if exitCode(err) != 0 {
		t.Fatal(err)
	}
	if strings.Contains(stdout, "-preview-password") || !strings.Contains(stdout, "STEADY_PREVIEW_PASSWORD") ||
		!strings.Contains(stdout, "environment only") || !strings.Contains(stdout, "-preview") {
		t.Errorf("serve --help:\n%s", stdout)
	}
}
