package admin

import (
	"net/url"
	"strings"
)

// secretNames mark a setting whose value is never shown, only whether it
// is set: STEADY_SECRET, passwords, tokens, keys (and files of them).
var secretNames = []string{"SECRET", "PASSWORD", "TOKEN", "KEY", "PASS", "SID"}

// MaskSetting is a setting's value as the Configuration page shows it:
// "set" or "not set" for a secret (by its name), a URL with any password
// (in its user part or its query) replaced by "xxxxx", else the value.
func MaskSetting(name, value string) string {
	upper := strings.ToUpper(name)
	for _, w := range secretNames {
		if strings.Contains(upper, w) {
			if value == "" {
				return "not set"
			}
			return "set"
		}
	}
	if value == "" {
		return "(empty)"
	}
	if !strings.Contains(value, "://") {
		return value
	}
	u, err := url.Parse(value)
	if err != nil {
		return "set (not shown: it does not parse as a URL)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if q := u.Query(); len(q) > 0 {
		for k := range q {
			lk := strings.ToUpper(k)
			for _, w := range secretNames {
				if strings.Contains(lk, w) {
					q.Set(k, "xxxxx")
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
