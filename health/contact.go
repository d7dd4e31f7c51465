package health

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// Contact says when a server was last reached and when reaching it last
// failed (zero for never); *messages.SMTPSender and *inbox.Poller have it.
type Contact interface {
	LastContact() (ok, failed time.Time)
}

// DefaultWindow is how long after its last success a server whose latest
// attempt failed still counts as reachable: a passing blip does not take
// the service out of rotation.
const DefaultWindow = 10 * time.Minute

// Reachable checks that the server behind c was reached recently: ready
// when no attempt has failed since the last success (or none was made
// yet: an idle SMTP server is not a broken one), or when the last success
// is at most window old. When every attempt since start failed, it is
// still ready for the first grace after start (default window), so a
// server that answers a moment late at boot does not fail the probe.
func Reachable(name string, c Contact, clock steady.Clock, start time.Time, window, grace time.Duration) Check {
	clock = cmp.Or[steady.Clock](clock, steady.SystemClock{})
	window = cmp.Or(window, DefaultWindow)
	grace = cmp.Or(grace, window)
	return Check{Name: name, Run: func(context.Context) error {
		ok, failed := c.LastContact()
		now := clock.Now()
		switch {
		case failed.IsZero() || ok.After(failed):
			return nil
		case !ok.IsZero() && now.Sub(ok) <= window:
			return nil
		case ok.IsZero() && now.Sub(start) <= grace:
			return nil
		case ok.IsZero():
			return fmt.Errorf("not reached since start (%s ago); the last attempt failed %s ago", round(now.Sub(start)), round(now.Sub(failed)))
		}
		return fmt.Errorf("last reached %s ago; the last attempt failed %s ago", round(now.Sub(ok)), round(now.Sub(failed)))
	}}
}

func round(d time.Duration) time.Duration { return max(d, 0).Round(time.Second) }
