package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/store"
)

// commandHasher is the compliance hasher of the operator's commands: keyed
// from STEADY_SECRET as serve reads it, or else the secret serve generated
// into the database. It never generates one: a command run without the
// STEADY_SECRET that serve uses would file erasures where no lookup finds
// them, so with neither it refuses.
func commandHasher(ctx context.Context, e env, db *store.DB) (*compliance.Hasher, error) {
	// The operator's commands read the secret as serve does, from
	// STEADY_SECRET or STEADY_SECRET_FILE.
	secret, err := readSecret(e.getenv("STEADY_SECRET"), e.getenv("STEADY_SECRET_FILE"))
	if err != nil {
		return nil, usageError{err.Error()}
	}
	if err := checkSecret(secret); err != nil {
		return nil, usageError{err.Error()}
	}
	if secret == "" {
		stored, err := db.Setting(ctx, signingSecretSetting)
		if errors.Is(err, steady.ErrNotFound) {
			return nil, usageError{"STEADY_SECRET is not set and serve has generated no secret in this database: " +
				"set STEADY_SECRET as serve has it (erased addresses are filed under a hash keyed by it)"}
		}
		if err != nil {
			return nil, err
		}
		secret = stored
	}
	return compliance.NewHasher([]byte(secret))
}

func runCompliance(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "lookup" {
		return runComplianceLookup(ctx, e, args[1:])
	}
	w, err := e.stderr, error(usageError{"compliance needs lookup ADDRESS"})
	if len(args) > 0 && isHelp(args[0]) {
		w, err = e.stdout, flag.ErrHelp
	}
	complianceUsage(e, w)
	return err
}

func complianceUsage(e env, w io.Writer) {
	fmt.Fprintln(w, "Usage: steady compliance lookup ADDRESS [flags]")
	fmt.Fprintln(w, "\nPrints what was kept when subscribers with this address were erased: when they consented")
	fmt.Fprintln(w, "(and to which wording) and when they asked to stop, found by a keyed hash of the address.")
	fmt.Fprintln(w, "Records kept before STEADY_SECRET changed are not found.")
	var c Config
	fs := flag.NewFlagSet("lookup", flag.ContinueOnError)
	fs.SetOutput(w)
	bind(fs, e.getenv, []setting{dbSetting(&c)})
	defineRegion(fs, e.getenv)
	fmt.Fprintln(w, "\nFlags:")
	fs.PrintDefaults()
}

func runComplianceLookup(ctx context.Context, e env, args []string) error {
	var region *string
	db, fs, err := openForCommand(ctx, e, "compliance lookup", "ADDRESS", args, 1, func(fs *flag.FlagSet) {
		region = defineRegion(fs, e.getenv)
	})
	if err != nil {
		return err
	}
	defer db.Close()
	hasher, err := commandHasher(ctx, e, db)
	if err != nil {
		return err
	}
	ch, addr := typedAddress(fs.Arg(0), *region)
	hash, err := hasher.HashAddress(ch, addr)
	if err != nil {
		return usageError{err.Error()}
	}
	recs, err := db.ComplianceRecords(ctx, ch, hash)
	if err != nil {
		return err
	}
	// Kept records are only erased subscribers'; a current one's consents
	// are in their export.
	if sub, err := db.SubscriberByAddress(ctx, ch, addr); err == nil {
		fmt.Fprintf(e.stdout, "Subscriber %d has this address now (%s): their consent records are in steady subscribers export.\n", sub.ID, sub.Status)
	} else if !errors.Is(err, steady.ErrNotFound) {
		return err
	}
	if len(recs) == 0 {
		fmt.Fprintf(e.stdout, "No records were kept for this %s address (none was erased with it, or STEADY_SECRET has changed since).\n", ch)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AT (UTC)\tACTION\tMETHOD\tWORDING")
	for _, r := range recs {
		wording := strings.ReplaceAll(r.Wording, "\n", " | ")
		if wording == "" {
			wording = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.At.UTC().Format(time.DateTime), r.Action, r.Method, wording)
	}
	return tw.Flush()
}

// typedAddress reads an address as sign-up would: an email address (any
// case), or a phone number as typed, to E.164 with region as the default
// country. One that does not pass today's rules is taken as typed (like
// findSubscriber), since a stored one may not.
func typedAddress(typed, region string) (steady.Channel, string) {
	typed = strings.TrimSpace(typed)
	if strings.Contains(typed, "@") {
		if addr, err := steady.NormalizeEmail(typed); err == nil {
			return steady.ChannelEmail, addr
		}
		return steady.ChannelEmail, typed
	}
	if addr, err := (phones.Rules{DefaultRegion: strings.ToUpper(strings.TrimSpace(region))}).Normalize(typed); err == nil {
		return steady.ChannelSMS, addr
	}
	return steady.ChannelSMS, typed
}
