package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/admin"
	"github.com/steadyapp/steady/importer"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/store"
)

// adminSettings are the operator console's settings. The operators
// themselves come from STEADY_ADMIN_USERS (environment only) or the file.
type adminSettings struct {
	UsersFile, ShowRepliesText string

	operators   []admin.Operator
	showReplies bool
	// envSet says which environment-only secrets are set (never their
	// values), for the Configuration page.
	envSet map[string]bool
}

func adminSettingsOf(s *adminSettings) []setting {
	return []setting{
		{"admin-users-file", "STEADY_ADMIN_USERS_FILE", "", "file of the operators who may sign in to the console at /admin, one name:hash a line (# comments); 'steady admin hash-password' makes the hash. Or STEADY_ADMIN_USERS (environment only), entries separated by commas or new lines", &s.UsersFile},
		{"admin-show-replies", "STEADY_ADMIN_SHOW_REPLIES", "false", "let console operators read subscribers' replies (every view is audited); enable only where subscribers agreed to it", &s.ShowRepliesText},
	}
}

// finish reads the operators and the reply setting; a bad entry stops
// start-up with its entry or line number (never its hash).
func (s *adminSettings) finish(getenv func(string) string) error {
	// Empty is unset (as an empty environment variable is): false.
	b, err := strconv.ParseBool(cmp.Or(strings.TrimSpace(s.ShowRepliesText), "false"))
	if err != nil {
		return fmt.Errorf("--admin-show-replies %q: want true or false", s.ShowRepliesText)
	}
	s.showReplies = b
	s.envSet = map[string]bool{}
	for _, name := range envOnlySecrets {
		s.envSet[name] = getenv(name) != ""
	}
	list := getenv("STEADY_ADMIN_USERS")
	switch {
	case list != "" && s.UsersFile != "":
		return fmt.Errorf("set STEADY_ADMIN_USERS or STEADY_ADMIN_USERS_FILE (--admin-users-file), not both")
	case list != "":
		s.operators, err = admin.ParseOperators(list)
	case s.UsersFile != "":
		raw, rerr := os.ReadFile(s.UsersFile)
		if rerr != nil {
			return fmt.Errorf("STEADY_ADMIN_USERS_FILE: %w", rerr)
		}
		s.operators, err = admin.ParseOperatorsFile(s.UsersFile, string(raw))
	}
	return err
}

// adminRoutes adds the operator console's routes to extra.
func adminRoutes(extra map[string]http.Handler, c Config, db *store.DB, clock steady.Clock, a *app,
	hasher store.AddressHasher, secret []byte, addresses importer.Addresses, wake func()) (map[string]http.Handler, error) {
	keyer, err := abuse.NewKeyer(abuse.DeriveKey(secret))
	if err != nil {
		return nil, err
	}
	var release func(ctx context.Context, raw []byte) (bool, string, error)
	if a.processor != nil {
		release = releaseHeld(a.processor)
	}
	console, err := admin.New(admin.Config{
		Store: db, Clock: clock, Logger: a.logger, Operators: c.Admin.operators, BaseURL: c.BaseURL, TrustProxy: c.TrustProxy,
		Keyer: keyer, Hasher: hasher, ShowReplies: c.Admin.showReplies, Wake: wake, Release: release,
		Settings: shownSettings(c), ProgramName: c.ProgramName, Addresses: addresses, Metrics: a.metrics,
	})
	if err != nil {
		return nil, err
	}
	if len(c.Admin.operators) == 0 {
		a.logger.Info("the operator console at /admin has no operators: set STEADY_ADMIN_USERS (steady admin hash-password makes a hash)")
	}
	if extra == nil {
		extra = map[string]http.Handler{}
	}
	for pattern, h := range console.Routes() {
		extra[pattern] = h
	}
	return extra, nil
}

// releaseHeld files a held message again through the inbox processor, as
// if it had just arrived; it is filed when its outcome is done (stored,
// a duplicate, a bounce, …). The phrase is the outcome's fixed name.
func releaseHeld(p *inbox.Processor) func(ctx context.Context, raw []byte) (bool, string, error) {
	return func(ctx context.Context, raw []byte) (bool, string, error) {
		res, err := p.Process(ctx, raw)
		if err != nil {
			return false, "", err
		}
		return res.Outcome.Done(), string(res.Outcome), nil
	}
}

// envOnlySecrets are settings read from the environment alone; the
// Configuration page says only whether each is set.
var envOnlySecrets = []string{"STEADY_SECRET", "STEADY_ENCRYPTION_KEY", "STEADY_PREVIEW_PASSWORD", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
	"STEADY_MAILGUN_SIGNING_KEY", "STEADY_MAILGUN_SIGNING_KEY_FILE", "STEADY_POSTMARK_INBOUND_PASSWORD", "STEADY_SENDGRID_INBOUND_PASSWORD"}

// shownSettings are the Configuration page's lines: every serve setting
// by its environment name, masked by admin.MaskSetting, then the
// environment-only secrets as set or not set.
func shownSettings(c Config) []admin.Setting {
	var out []admin.Setting
	for _, s := range serveSettings(&c) {
		v := admin.MaskSetting(s.env, *s.dst)
		if s.env == "STEADY_ENCRYPTION_KEY_FILE" && *s.dst == "" && !c.Admin.envSet["STEADY_ENCRYPTION_KEY"] {
			// serve then seals with the key it generated beside the
			// database: "not set" alone reads as no encryption at all.
			path, _ := filepath.Abs(defaultKeyFile(c.DatabaseURL))
			v = "not set: the generated key file " + path + " is used (back it up, apart from the database)"
		}
		out = append(out, admin.Setting{Name: s.env, Value: v})
	}
	// STEADY_SECRET may have come from STEADY_SECRET_FILE.
	set := map[string]bool{"STEADY_SECRET": c.Secret != ""}
	for _, name := range envOnlySecrets {
		v := "not set"
		if set[name] || c.Admin.envSet[name] {
			v = "set"
		}
		out = append(out, admin.Setting{Name: name, Value: v})
	}
	out = append(out, admin.Setting{Name: "STEADY_ADMIN_USERS", Value: strconv.Itoa(len(c.Admin.operators)) + " operator(s)"},
		admin.Setting{Name: "STEADY_TRUST_PROXY", Value: strconv.FormatBool(c.TrustProxy)})
	return out
}

// runAdmin is `steady admin hash-password`.
func runAdmin(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "hash-password" {
		fs := newFlagSet(e, "admin hash-password", "admin hash-password < password")
		if err := parseFlags(e, fs, args[1:], 0); err != nil {
			return err
		}
		pw, err := admin.ReadPassword(e.stdin, e.stderr)
		if err != nil {
			return err
		}
		h, err := admin.HashPassword(pw)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, h)
		return nil
	}
	w, err := e.stderr, error(usageError{"admin needs hash-password"})
	if len(args) > 0 && isHelp(args[0]) {
		w, err = e.stdout, flag.ErrHelp
	}
	adminUsage(w)
	return err
}

func adminUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: steady admin hash-password")
	fmt.Fprintln(w, "\nReads a password (asked twice without echo on a terminal, else one line from stdin) and prints")
	fmt.Fprintln(w, "its argon2id hash, for STEADY_ADMIN_USERS='name:HASH' (the operator console at /admin).")
}
