package steady

import (
	"strings"
	"unicode/utf8"
)

// CleanText returns s fit to store on every database: each run of invalid
// UTF-8 becomes one U+FFFD (as strings.ToValidUTF8 does) and NUL bytes are
// removed (PostgreSQL refuses both in text; SQLite would keep the raw
// bytes). Invalid bytes are replaced before NULs are removed, so removing
// a NUL never joins two stray bytes into a character nobody wrote. Clean
// input is returned as it is, without allocating.
func CleanText(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
