package links

import (
	"time"

	"github.com/steadyapp/steady"
)

// MoveURL confirms sub's move to a new address (store.RequestMove). The
// token is bound to when the move was asked for (requested), so only the
// latest move's link counts and a used one opens nothing
// (store.ConfirmMove).
func (l *Links) MoveURL(sub steady.Subscriber, requested time.Time) string {
	return l.base.String() + "/settings/move?t=" +
		l.signer.SignBound(PurposeMove, sub.ID, uint64(requested.UnixMicro()), l.clock.Now().Add(ConfirmTTL))
}

// VerifyMove checks a move token and returns the subscriber it names and
// when the move was asked for. A move token without that time is not
// genuine.
func (l *Links) VerifyMove(token string) (id int64, requested time.Time, err error) {
	c, err := l.signer.Check(PurposeMove, token, l.clock.Now(), ConfirmTTL)
	if err != nil {
		return 0, time.Time{}, err
	}
	if c.Bound == 0 || c.Bound >= 1<<62 {
		return 0, time.Time{}, ErrTokenInvalid
	}
	return c.ID, time.UnixMicro(int64(c.Bound)).UTC(), nil
}
