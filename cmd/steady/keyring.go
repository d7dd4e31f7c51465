package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/steadyapp/steady/sealed"
	"github.com/steadyapp/steady/web"
)

// keyMode says what a command may do when no key is configured.
type keyMode int

const (
	// keysRead: the operator's commands use the configured keys or the
	// generated key file; with neither they open the database without
	// keys (a sealed value then says which setting to add).
	keysRead keyMode = iota
	// keysServe: serve and summaries send also generate the key file on a
	// loopback base URL, and refuse to start on any other without a key.
	keysServe
)

// makeKey is the advice every refusal about keys ends with.
const makeKey = "make one with: openssl rand -hex 32 (or steady keys generate, for a key file line)"

// keyFileSetting is shared by every command that opens the database.
func keyFileSetting(c *Config) setting {
	return setting{"encryption-key-file", "STEADY_ENCRYPTION_KEY_FILE", "",
		"file of the keys that encrypt subscribers' words at rest, one 'id key' a line, the first current (or STEADY_ENCRYPTION_KEY, environment only; with neither: FILE.key beside a SQLite database FILE, ./steady.key for PostgreSQL, generated on a loopback base URL)",
		&c.EncryptionKeyFile}
}

// defaultKeyFile is where the generated key file goes: beside a SQLite
// database, or in the working directory for PostgreSQL.
func defaultKeyFile(dbURL string) string {
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		return "steady.key"
	}
	return dbURL + ".key"
}

// isLoopbackURL reports whether base is a URL on this machine only.
// exposure says what makes this server reachable from other machines:
// "" when both the listen address and the base URL are loopback (a trial
// on one machine, where a generated secret and key file will do), else
// which of them is not, for the refusal to name.
func (c *Config) exposure() string {
	switch {
	case !isLoopbackURL(c.BaseURL):
		return "the base URL " + c.BaseURL
	case c.Addr != "" && !onThisMachine(c.Addr, c.BaseURL):
		return "the listen address " + c.Addr
	}
	return ""
}

func isLoopbackURL(base string) bool {
	u, err := url.Parse(base)
	return err == nil && web.LoopbackHost(u.Hostname())
}

// loadKeyring is the one way every command gets the keys that seal the
// subscribers' words: STEADY_ENCRYPTION_KEY ("key", or "id:key,id:key",
// the first current), or the key file keyFile (--encryption-key-file,
// STEADY_ENCRYPTION_KEY_FILE), or the generated file (defaultKeyFile).
// baseURL matters only with keysServe. Keys are never kept in the database.
// A mistake is a usageError that never repeats a key.
func loadKeyring(getenv func(string) string, keyFile, dbURL, exposure string, mode keyMode, now time.Time, logger *slog.Logger) (*sealed.Keyring, error) {
	env := getenv("STEADY_ENCRYPTION_KEY")
	switch {
	case env != "" && keyFile != "":
		return nil, usageError{"set STEADY_ENCRYPTION_KEY or STEADY_ENCRYPTION_KEY_FILE, not both"}
	case env != "":
		keys, err := sealed.ParseKeys(env)
		if err != nil {
			return nil, usageError{"STEADY_ENCRYPTION_KEY: " + err.Error()}
		}
		return newKeyring(keys, "STEADY_ENCRYPTION_KEY")
	case keyFile != "":
		return readKeyFile(keyFile, "STEADY_ENCRYPTION_KEY_FILE "+keyFile, logger)
	}
	path := defaultKeyFile(dbURL)
	_, statErr := os.Stat(path)
	exists := statErr == nil
	loopback := exposure == ""
	switch {
	case mode == keysServe && !loopback && exists:
		return nil, usageError{fmt.Sprintf("no encryption key is set and %s is not this machine's alone: set STEADY_ENCRYPTION_KEY_FILE=%s to keep using the key generated earlier "+
			"(better, move it off the disk of the database first), or set STEADY_ENCRYPTION_KEY", exposure, path)}
	case mode == keysServe && !loopback:
		return nil, usageError{fmt.Sprintf("no encryption key is set and %s is not this machine's alone: set STEADY_ENCRYPTION_KEY "+
			"(or STEADY_ENCRYPTION_KEY_FILE, a file of 'id key' lines) to a random 32-byte key, kept apart from the database and its backups; %s", exposure, makeKey)}
	case exists:
		return readKeyFile(path, "the generated key file "+path, logger)
	case mode == keysRead:
		return nil, nil
	}
	k, created, err := generateKeyFile(path, now)
	if err != nil {
		return nil, err
	}
	if !created { // another process made it first
		return readKeyFile(path, "the generated key file "+path, logger)
	}
	abs, _ := filepath.Abs(path)
	logger.Warn("no encryption key is set (STEADY_ENCRYPTION_KEY): generated one to encrypt subscribers' words in the database. "+
		"A backup of the database is useless without this file: back it up too, apart from the database",
		"path", abs)
	return k, nil
}

func newKeyring(keys []sealed.Key, from string) (*sealed.Keyring, error) {
	k, err := sealed.New(keys...)
	if err != nil {
		return nil, usageError{from + ": " + err.Error()}
	}
	return k, nil
}

// readKeyFile loads a key file; one that others than its owner may read
// is used with a warning (logger may be nil).
func readKeyFile(path, what string, logger *slog.Logger) (*sealed.Keyring, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usageError{fmt.Sprintf("%s does not exist; make it with: steady keys generate > %s && chmod 600 %s", what, path, path)}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	keys, err := sealed.ParseKeyFile(string(raw))
	if err != nil {
		return nil, usageError{what + ": " + err.Error()}
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 && logger != nil {
		logger.Warn("the encryption key file can be read by others than its owner; run chmod 600 on it",
			"path", path, "mode", fmt.Sprintf("%#o", uint32(info.Mode().Perm())))
	}
	return newKeyring(keys, what)
}

// generateKeyFile writes a new key to path, mode 0600, unless path exists
// by then (another process starting at the same moment): then created is
// false and nothing is written. The file appears whole or not at all.
func generateKeyFile(path string, now time.Time) (k *sealed.Keyring, created bool, err error) {
	key := sealed.Generate()
	if k, err = sealed.New(key); err != nil {
		return nil, false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".steady-key-*") // mode 0600
	if err != nil {
		return nil, false, fmt.Errorf("generating the encryption key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	content := fmt.Sprintf("# Steady's encryption keys, one \"id key\" a line, the first current. Generated %s.\n"+
		"# Without this file a backup of the database is useless: back it up too, apart from the database.\n%s\n",
		now.UTC().Format(time.RFC3339), key.Line())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("generating the encryption key file: %w", err)
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return nil, false, fmt.Errorf("generating the encryption key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("generating the encryption key file %s: %w", path, err)
	}
	return k, true, nil
}
