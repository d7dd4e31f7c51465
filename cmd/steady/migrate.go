package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/steadyapp/steady/store"
)

func runMigrate(ctx context.Context, e env, args []string) error {
	var c Config
	fs := newFlagSet(e, "migrate", "migrate [flags]")
	bind(fs, e.getenv, []setting{dbSetting(&c)})
	if err := parseFlags(e, fs, args, 0); err != nil {
		return err
	}
	db, err := store.Open(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.MigrateCount(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(e.stdout, "The %s database is already up to date.\n", db.Dialect())
		return nil
	}
	fmt.Fprintf(e.stdout, "Applied %s; the %s database is up to date.\n", plural(n, "migration", "migrations"), db.Dialect())
	return nil
}

// openForCommand parses an operator command's flags (--db plus what define
// adds) and opens its database, which must be migrated already.
func openForCommand(ctx context.Context, e env, name, positionalUsage string, args []string, positional int,
	define func(*flag.FlagSet)) (*store.DB, *flag.FlagSet, error) {
	var c Config
	fs := newFlagSet(e, name, strings.TrimSpace(name+" [flags] "+positionalUsage))
	bind(fs, e.getenv, []setting{dbSetting(&c), keyFileSetting(&c)})
	if define != nil {
		define(fs)
	}
	if err := parseFlags(e, fs, args, positional); err != nil {
		return nil, nil, err
	}
	keys, err := loadKeyring(e.getenv, c.EncryptionKeyFile, c.DatabaseURL, "", keysRead, e.clock.Now(), nil)
	if err != nil {
		return nil, nil, err
	}
	db, err := openMigrated(ctx, c.DatabaseURL, store.WithKeyring(keys))
	return db, fs, err
}

// openMigrated opens the database for the operator's commands, which never
// migrate by themselves: they refuse a schema that is behind or ahead.
func openMigrated(ctx context.Context, url string, opts ...store.Option) (*store.DB, error) {
	db, err := store.Open(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%w (run 'steady migrate' with the newest steady)", err)
	}
	return db, nil
}
