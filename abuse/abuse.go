// Package abuse holds the sign-up abuse limits' policy: which counters a
// sign-up takes (per client IP, per mailbox, per phone number, per channel
// per hour, sign-up texts per day), how IPs and mailboxes are normalised
// so that variants of one count as one, and the keyed hashes under which
// they are counted, so no IP or address is stored. It is pure: the store
// keeps the counters, web applies them.
package abuse

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Policy is how many sign-ups each window allows. A limit of 0 is off.
type Policy struct {
	PerIP      int // sign-ups per client IP (IPv6: per /64) per hour
	PerMailbox int // confirmation emails per normalised mailbox per day
	PerPhone   int // confirmation texts per phone number per day
	EmailHour  int // confirmation emails per hour, all sign-ups together
	SMSHour    int // confirmation texts per hour, all sign-ups together
	SMSDay     int // confirmation texts per UTC day (--sms-daily-cap)
}

// Defaults are the limits when nothing is set.
var Defaults = Policy{PerIP: 10, PerMailbox: 3, PerPhone: 3, EmailHour: 500, SMSHour: 100, SMSDay: 200}

// The windows of the limits.
const (
	Hour = time.Hour
	Day  = 24 * time.Hour
)

// Scopes name the counters (rate_counters.scope).
const (
	ScopeIP        = "ip"
	ScopeMailbox   = "mailbox"
	ScopePhone     = "phone"
	ScopeEmailHour = "confirm-hour:email"
	ScopeSMSHour   = "confirm-hour:sms"
	ScopeSMSDay    = "sms-day"
)

// Check says the policy is usable: no negative limit.
func (p Policy) Check() error {
	for _, v := range []int{p.PerIP, p.PerMailbox, p.PerPhone, p.EmailHour, p.SMSHour, p.SMSDay} {
		if v < 0 {
			return fmt.Errorf("abuse: a limit cannot be negative (0 turns it off)")
		}
	}
	return nil
}

// Keyer hashes what is counted with a secret key, so the counters say
// nothing about who signed up even to someone holding the database.
type Keyer struct{ key []byte }

// NewKeyer returns a Keyer for key (derive it from the signing secret:
// see DeriveKey). An empty key is refused.
func NewKeyer(key []byte) (Keyer, error) {
	if len(key) == 0 {
		return Keyer{}, fmt.Errorf("abuse: no key for the rate-limit hashes")
	}
	return Keyer{key: append([]byte(nil), key...)}, nil
}

// Valid reports whether k has a key (it came from NewKeyer).
func (k Keyer) Valid() bool { return len(k.key) > 0 }

// DeriveKey is the rate-limit hashing key derived from the signing
// secret: HMAC-SHA256(secret, "steady rate-limit keys"), so it is never
// the secret itself.
func DeriveKey(secret []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("steady rate-limit keys"))
	return mac.Sum(nil)
}

// Hash is the counter key of value in scope: 32 hex digits of
// HMAC-SHA256(key, scope NUL value).
func (k Keyer) Hash(scope, value string) string {
	mac := hmac.New(sha256.New, k.key)
	mac.Write([]byte(scope))
	mac.Write([]byte{0})
	mac.Write([]byte(value))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}

// ClientNet is what a client IP is counted as: an IPv4 address exactly,
// an IPv6 address by its /64 (one household or host usually has a whole
// /64). Text that is not an IP is counted as it is.
func ClientNet(ip string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}

// Mailbox is an email address as counted: lower case, without a
// plus-tag (bob+anything@ is bob@, for every domain), and for Gmail
// (gmail.com and googlemail.com, which are one) without dots in the local
// part. It is for counting only: mail still goes to the address as typed.
func Mailbox(addr string) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr
	}
	local, domain := addr[:at], strings.TrimSuffix(addr[at+1:], ".")
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}
