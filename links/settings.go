package links

import (
	"time"

	"github.com/steadyapp/steady"
)

// SettingsURL opens the subscriber's settings page. The token is bound to
// the moment it was made, so an unsubscribe after that revokes it (see
// VerifySettings and store.LinksRevokedAt).
func (l *Links) SettingsURL(sub steady.Subscriber) string {
	return l.base.String() + "/settings?t=" + l.SettingsToken(sub.ID)
}

// SettingsToken is the token of SettingsURL.
func (l *Links) SettingsToken(id int64) string {
	now := l.clock.Now()
	return l.signer.SignBound(PurposeSettings, id, uint64(now.UnixMicro()), now.Add(SettingsTTL))
}

// VerifySettings checks a settings token and returns the subscriber it
// names and when it was made. A settings token without its making time is
// not genuine.
func (l *Links) VerifySettings(token string) (id int64, issued time.Time, err error) {
	c, err := l.signer.Check(PurposeSettings, token, l.clock.Now(), SettingsTTL)
	if err != nil {
		return c.ID, time.Time{}, err
	}
	if c.Bound == 0 || c.Bound >= 1<<62 {
		return 0, time.Time{}, ErrTokenInvalid
	}
	return c.ID, time.UnixMicro(int64(c.Bound)).UTC(), nil
}
