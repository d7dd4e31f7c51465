package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/steadyapp/steady/apikeys"
)

func runAPIKeys(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "create":
			return runAPIKeysCreate(ctx, e, args[1:])
		case "list":
			return runAPIKeysList(ctx, e, args[1:])
		case "revoke":
			return runAPIKeysRevoke(ctx, e, args[1:])
		}
	}
	w, err := e.stderr, error(usageError{"api-keys needs create, list or revoke"})
	if len(args) > 0 && isHelp(args[0]) {
		w, err = e.stdout, flag.ErrHelp
	}
	apiKeysUsage(e, w)
	return err
}

func apiKeysUsage(e env, w io.Writer) {
	fmt.Fprintln(w, "Usage: steady api-keys VERB [flags]\n\nVerbs:")
	fmt.Fprintln(w, "  create --name NAME\n    \tissue a key for the API under /api/v1 and for consent_text in POST /api/subscriptions (sent as Authorization: Bearer KEY); it is printed once")
	fmt.Fprintln(w, "  list\n    \tevery key's name, prefix, creation, last use and revocation (never the key)")
	fmt.Fprintln(w, "  revoke NAME-or-PREFIX\n    \tstop a key working at once")
	var c Config
	fs := flag.NewFlagSet("api-keys", flag.ContinueOnError)
	fs.SetOutput(w)
	bind(fs, e.getenv, []setting{dbSetting(&c)})
	defineKeyName(fs)
	fmt.Fprintln(w, "\nFlags:")
	fs.PrintDefaults()
}

func defineKeyName(fs *flag.FlagSet) *string {
	return fs.String("name", "", "the key's name, kept in consent records as api:NAME (letters, digits, '.', '_', '-')")
}

func runAPIKeysCreate(ctx context.Context, e env, args []string) error {
	var name *string
	db, _, err := openForCommand(ctx, e, "api-keys create", "--name NAME", args, 0, func(fs *flag.FlagSet) {
		name = defineKeyName(fs)
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := apikeys.CheckName(*name); err != nil {
		return usageError{"--name: " + err.Error()}
	}
	keys := &apikeys.Keys{Store: db, Clock: e.clock}
	key, rec, err := keys.Create(ctx, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created API key %q (prefix %s):\n\n    %s\n\n", rec.Name, rec.Prefix, key)
	fmt.Fprintln(e.stdout, "Keep it now, somewhere safe (a secret store, not a repository): it is shown only this once.")
	fmt.Fprintln(e.stdout, "Steady keeps only its SHA-256; a lost key cannot be shown again, only revoked and replaced.")
	fmt.Fprintln(e.stdout, "Send it as: Authorization: Bearer KEY")
	return nil
}

func runAPIKeysList(ctx context.Context, e env, args []string) error {
	db, _, err := openForCommand(ctx, e, "api-keys list", "", args, 0, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := db.APIKeys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPREFIX\tCREATED (UTC)\tLAST USED\tREVOKED")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Name, k.Prefix, when(k.CreatedAt), when(k.LastUsedAt), when(k.RevokedAt))
	}
	if len(keys) == 0 {
		fmt.Fprintln(tw, "(no API keys yet)")
	}
	return tw.Flush()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateTime)
}

func runAPIKeysRevoke(ctx context.Context, e env, args []string) error {
	db, fs, err := openForCommand(ctx, e, "api-keys revoke", "NAME-or-PREFIX", args, 1, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	k, err := db.RevokeAPIKey(ctx, fs.Arg(0), e.clock.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "API key %q (prefix %s) is revoked since %s UTC; requests with it are refused.\n", k.Name, k.Prefix, when(k.RevokedAt))
	return nil
}
