package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/steadyapp/steady/progress"
	"github.com/steadyapp/steady/sealed"
	"github.com/steadyapp/steady/store"
)

const keysUsage = `keys generate | keys rotate [flags]

generate prints a new random key as a key file line ("id key"); put it
first in STEADY_ENCRYPTION_KEY_FILE (older keys after it), or give it as
id:key first in STEADY_ENCRYPTION_KEY.

rotate seals every encrypted value again with the current (first) key, and
encrypts values written before encryption, in batches; run it after
restarting serve with the new key first and the old ones after it. It is
safe while serve runs, and an interrupted run is resumed by running it
again. Afterwards the old keys can be removed.`

func runKeys(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "generate" {
		fs := newFlagSet(e, "keys generate", "keys generate")
		if err := parseFlags(e, fs, args[1:], 0); err != nil {
			return err
		}
		key := sealed.Generate()
		fmt.Fprintln(e.stdout, key.Line())
		fmt.Fprintf(e.stderr, "A new key, id %s. In a key file, put this line first; in STEADY_ENCRYPTION_KEY write it as %s:KEY, first. Keep it out of the database's backups and the repository.\n", key.ID, key.ID)
		return nil
	}
	if len(args) > 0 && args[0] == "rotate" {
		return runKeysRotate(ctx, e, args[1:])
	}
	w := e.stderr
	if len(args) > 0 && isHelp(args[0]) {
		w = e.stdout
	}
	fmt.Fprintf(w, "Usage: steady %s\n", keysUsage)
	if w == e.stdout {
		return flag.ErrHelp
	}
	return usageError{"keys needs generate or rotate"}
}

func runKeysRotate(ctx context.Context, e env, args []string) error {
	var c Config
	fs := newFlagSet(e, "keys rotate", "keys rotate [flags]")
	bind(fs, e.getenv, []setting{dbSetting(&c), keyFileSetting(&c)})
	batch := fs.Int("batch", store.RotateBatch, "rows re-encrypted per transaction")
	if err := parseFlags(e, fs, args, 0); err != nil {
		return err
	}
	if *batch < 1 || *batch > 100_000 {
		return usageError{fmt.Sprintf("--batch %d: want 1 to 100000", *batch)}
	}
	keys, err := loadKeyring(e.getenv, c.EncryptionKeyFile, c.DatabaseURL, "", keysRead, e.clock.Now(), nil)
	if err != nil {
		return err
	}
	if keys == nil {
		return usageError{"no encryption key is set: set STEADY_ENCRYPTION_KEY or STEADY_ENCRYPTION_KEY_FILE, the new key first and the old ones after it; " + makeKey}
	}
	db, err := openMigrated(ctx, c.DatabaseURL, store.WithKeyring(keys))
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(e.stdout, "Encrypting with key %s (keys loaded: %s).\n", keys.Current(), strings.Join(keys.IDs(), ", "))
	pr := progress.New(e.stdout, progress.Options{Label: "re-encrypted", Unit: "values", Now: e.clock.Now})
	p, err := db.RotateKeys(ctx, *batch, func(r store.RotateProgress) { pr.Report(int(r.Done+r.Changed), int(r.Total)) })
	pr.Finish()
	if err != nil {
		return fmt.Errorf("%w\n%d values were re-encrypted before it stopped; run steady keys rotate again to go on", err, p.Done)
	}
	if p.Done == 0 && p.Changed == 0 {
		fmt.Fprintf(e.stdout, "Nothing to do: every value is encrypted with key %s.\n", keys.Current())
		return nil
	}
	fmt.Fprintf(e.stdout, "Done: %d values encrypted with key %s.\n", p.Done, keys.Current())
	if db.Dialect() == "sqlite" {
		// The old values' copies in the -wal go with a checkpoint (the
		// database file's were overwritten: secure_delete).
		if err := db.Checkpoint(ctx); err != nil {
			fmt.Fprintf(e.stdout, "The -wal file still holds the old values until serve stops (%v).\n", err)
		}
	}
	if p.Changed > 0 {
		fmt.Fprintf(e.stdout, "%d values changed while being rotated (a concurrent write); run steady keys rotate again for them.\n", p.Changed)
	}
	return nil
}
