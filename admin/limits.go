package admin

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/steadyapp/steady/abuse"
)

// loginLimits bound failed sign-ins per client IP (IPv6 by /64) and per
// typed name, in fixed windows shared by every worker (the store's rate
// counters, under keyed hashes, so neither IP nor name is stored).
type loginLimits struct {
	Window         time.Duration
	PerIP, PerName int
}

// defaultLoginLimits: 10 failures from one place, or 5 for one name, in
// a quarter of an hour. Enough for a person who mistypes; far too few to
// guess a password.
var defaultLoginLimits = loginLimits{Window: 15 * time.Minute, PerIP: 10, PerName: 5}

// Counter scopes; CountRefusal stores them as "refused:"+scope.
const (
	scopeLoginIP   = "admin-login-ip:"
	scopeLoginName = "admin-login-name:"
)

func (c *Console) loginScopes(r *http.Request, name string) (ip, user string) {
	k := c.cfg.Keyer
	return scopeLoginIP + k.Hash(scopeLoginIP, abuse.ClientNet(c.clientIP(r))),
		scopeLoginName + k.Hash(scopeLoginName, strings.ToLower(name))
}

// loginBlocked reports whether this IP or name has failed too often in
// the current window.
func (c *Console) loginBlocked(ctx context.Context, r *http.Request, name string) (bool, error) {
	ip, user := c.loginScopes(r, name)
	now := c.cfg.Clock.Now()
	n, err := c.cfg.Store.RateCount(ctx, "refused:"+ip, "", c.limits.Window, now)
	if err != nil {
		return false, err
	}
	if n >= c.limits.PerIP {
		return true, nil
	}
	n, err = c.cfg.Store.RateCount(ctx, "refused:"+user, "", c.limits.Window, now)
	return n >= c.limits.PerName, err
}

// loginFailed counts one failure against the IP and the name.
func (c *Console) loginFailed(ctx context.Context, r *http.Request, name string) {
	ip, user := c.loginScopes(r, name)
	now := c.cfg.Clock.Now()
	for _, scope := range []string{ip, user} {
		if _, err := c.cfg.Store.CountRefusal(ctx, scope, c.limits.Window, now); err != nil {
			c.log.WarnContext(ctx, "admin: counting a failed sign-in", "err", err)
		}
	}
}

// clientIP is the request's client address: the last X-Forwarded-For
// entry behind a trusted proxy (as web does), else the peer's.
func (c *Console) clientIP(r *http.Request) string {
	if c.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); err == nil {
				return ip.Unmap().String()
			}
		}
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().String()
	}
	return r.RemoteAddr
}
