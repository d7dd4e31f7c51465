package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/steadyapp/steady/importer"
	"github.com/steadyapp/steady/phones"
	"github.com/steadyapp/steady/progress"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/web"
)

// importFlags are the flags of `steady subscribers import`.
type importFlags struct {
	consented, skipBad, dryRun *bool
	operator                   *string
	batch                      *int
	smtpURL                    string
	sms                        SMSConfig
}

// defineImport adds import's flags: its own, and the settings sign-up's
// address rules come from (the SMS region and countries, and whether
// email is offered at all), read as serve reads them.
func defineImport(fs *flag.FlagSet, getenv func(string) string) *importFlags {
	f := &importFlags{}
	f.consented = fs.Bool("consented", false, "import as active only rows carrying their consent evidence (consent_text, consented_at), which is recorded; no confirmation is sent")
	f.skipBad = fs.Bool("skip-bad", false, "import the good rows even if some are bad (each bad row is still reported)")
	f.dryRun = fs.Bool("dry-run", false, "check every row and count what an import would do, then write nothing")
	f.operator = fs.String("operator", getenv("USER"), "who is importing, named in each imported consent record [$USER]")
	f.batch = fs.Int("batch", importer.DefaultBatch, "rows imported per transaction")
	var c Config
	for _, s := range serveSettings(&c) {
		if s.flag == "smtp" {
			s.dst = &f.smtpURL
			bind(fs, getenv, []setting{s})
		}
	}
	bind(fs, getenv, smsSettings(&f.sms))
	return f
}

// addressRules are sign-up's rules as serve would apply them: texts only
// with Twilio, and only to its countries; email unless Twilio runs
// without an SMTP server (sign-up by phone number only).
func (f *importFlags) addressRules(getenv func(string) string) (*web.AddressRules, error) {
	if err := f.sms.finishSMS(getenv); err != nil {
		return nil, usageError{err.Error()}
	}
	var sms *web.SMSConfig
	if f.sms.enabled() {
		sms = &web.SMSConfig{Phones: phones.Rules{DefaultRegion: f.sms.Region, Countries: f.sms.countries}}
	}
	return web.NewAddressRules(web.Config{SMS: sms, SMSOnly: f.sms.enabled() && f.smtpURL == ""}), nil
}

// errDryRun rolls a dry run's import back.
var errDryRun = errors.New("dry run")

func runSubscribersImport(ctx context.Context, e env, args []string) error {
	var c Config
	fs := newFlagSet(e, "subscribers import", "subscribers import FILE.csv [--consented] [--skip-bad] [--dry-run] [flags]")
	bind(fs, e.getenv, []setting{dbSetting(&c), keyFileSetting(&c)})
	f := defineImport(fs, e.getenv)
	if err := parseFlags(e, fs, args, 1); err != nil {
		return err
	}
	if *f.batch < 1 || *f.batch > 50_000 {
		return usageError{fmt.Sprintf("--batch %d: want 1 to 50000", *f.batch)}
	}
	rules, err := f.addressRules(e.getenv)
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	keys, err := loadKeyring(e.getenv, c.EncryptionKeyFile, c.DatabaseURL, "", keysRead, e.clock.Now(), nil)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, c.DatabaseURL, store.WithKeyring(keys))
	if err != nil {
		return err
	}
	defer db.Close()
	// The opt-outs of erased subscribers are found by the hash serve
	// files them under.
	hasher, err := commandHasher(ctx, e, db)
	if err != nil {
		return err
	}
	opts := importer.Options{
		Addresses: rules, Hasher: hasher, Consented: *f.consented, SkipBad: *f.skipBad,
		Source: filepath.Base(path), Operator: strings.TrimSpace(*f.operator), Clock: e.clock, Batch: *f.batch,
	}
	plan, err := importer.Parse(file, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, p := range plan.Problems {
		fmt.Fprintf(e.stderr, "%s:%s\n", path, p)
	}
	if len(plan.Problems) > 0 && !opts.SkipBad {
		return fmt.Errorf("%s: %d of %d rows are bad; nothing was imported (fix them, or import the others with --skip-bad)",
			path, plan.Bad(), plan.Read)
	}
	verb := "imported"
	if *f.dryRun {
		verb = "checked"
	}
	pr := progress.New(e.stderr, progress.Options{Label: verb, Unit: "rows", Now: e.clock.Now})
	var tally importer.Tally
	if *f.dryRun {
		// The whole import in one transaction, rolled back: the counts
		// are exactly what a real run would find.
		err = db.Atomically(ctx, func(ctx context.Context) error {
			var err error
			if tally, err = importer.Import(ctx, db, plan, opts, pr.Report); err != nil {
				return err
			}
			return errDryRun
		})
		if errors.Is(err, errDryRun) {
			err = nil
		}
	} else {
		// A transaction a batch: a run cut short keeps what it imported,
		// and running it again goes on from there.
		tally, err = importer.Import(ctx, db, plan, opts, pr.Report)
	}
	pr.Finish()
	if err != nil {
		return fmt.Errorf("%s: %w (%d rows were imported before it stopped; run it again to go on)", path, err, tally.Imported)
	}
	prefix := path + ": "
	if *f.dryRun {
		prefix += "dry run, nothing written: would have "
	}
	fmt.Fprintf(e.stdout, "%s%s\n", prefix, tally)
	return nil
}
