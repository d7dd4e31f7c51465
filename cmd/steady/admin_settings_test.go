package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The Configuration page says where serve's encryption key comes from:
// without STEADY_ENCRYPTION_KEY or a key file it is the generated file
// beside the database, which "not set" alone would hide.
func TestShownSettingsNameTheGeneratedKeyFile(t *testing.T) {
	t.Parallel()
	value := func(c Config) string {
		for _, s := range shownSettings(c) {
			if s.Name == "STEADY_ENCRYPTION_KEY_FILE" {
				return s.Value
			}
		}
		t.Fatal("no STEADY_ENCRYPTION_KEY_FILE line")
		return ""
	}
	dir := t.TempDir()
	c := Config{DatabaseURL: filepath.Join(dir, "steady.db")}
	if v := value(c); !strings.Contains(v, "generated key file "+filepath.Join(dir, "steady.db.key")) {
		t.Errorf("no key set: %q", v)
	}
	c.EncryptionKeyFile = filepath.Join(dir, "keys")
	if v := value(c); v != "set" {
		t.Errorf("key file set: %q, want set (the path is not shown)", v)
	}
	c.EncryptionKeyFile = ""
	c.Admin.envSet = map[string]bool{"STEADY_ENCRYPTION_KEY": true}
	if v := value(c); v != "not set" {
		t.Errorf("key in the environment: %q, want not set", v)
	}
}
