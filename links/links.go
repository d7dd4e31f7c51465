package links

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// Links builds the signed URLs and addresses that go into messages and
// checks the tokens that come back.
type Links struct {
	signer *Signer
	clock  steady.Clock
	base   *url.URL
	local  string // local part of the From address
	domain string // domain of the From address
	// unread: nothing reads mail sent to the From address's plus-addresses,
	// so no mailto is offered (see WithoutMailbox).
	unread bool
	// summaryTTL is how long a summary link lasts (SummaryTTL unless
	// WithSummaryTTL set another).
	summaryTTL time.Duration
}

// WithSummaryTTL returns a copy of l whose summary links last d (at most
// MaxSummaryTTL) and whose Verify refuses a summary token lasting longer.
func (l *Links) WithSummaryTTL(d time.Duration) (*Links, error) {
	if d < 24*time.Hour || d > MaxSummaryTTL {
		return nil, fmt.Errorf("links: a summary link lifetime of %s is outside 1 to %d days", d, MaxSummaryTTL/(24*time.Hour))
	}
	c := *l
	c.summaryTTL = d
	return &c, nil
}

// SummaryLinkTTL is how long the summary links l makes last.
func (l *Links) SummaryLinkTTL() time.Duration { return l.summaryTTL }

// WithoutMailbox returns a copy of l for a deployment where nothing reads
// the From mailbox: UnsubscribeMailto is then "", since an unsubscribe
// sent there would be lost; the https one-click link stays.
func (l *Links) WithoutMailbox() *Links {
	c := *l
	c.unread = true
	return &c
}

// New returns Links for the public baseURL (e.g. "https://steady.example.org")
// and the From address whose local part and domain carry reply tokens
// ("steady@example.org" → "steady+r-TOKEN@example.org").
func New(baseURL, from string, secret []byte, clock steady.Clock) (*Links, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("links: base URL %q must be an absolute http(s) URL", baseURL)
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("links: from address %q: %w", from, err)
	}
	local, domain, _ := strings.Cut(addr.Address, "@")
	signer, err := NewSigner(secret)
	if err != nil {
		return nil, err
	}
	return &Links{signer: signer, clock: clock, base: u, local: local, domain: strings.ToLower(domain), summaryTTL: SummaryTTL}, nil
}

// BaseURL is the public URL the links start with, without a trailing slash.
func (l *Links) BaseURL() string { return l.base.String() }

// Verify checks a token coming back from a link.
func (l *Links) Verify(p Purpose, token string) (int64, error) {
	c, err := l.signer.Check(p, token, l.clock.Now(), l.ttl(p))
	return c.ID, err
}

// VerifyConfirm checks a confirm token and returns the subscriber it names
// and when the sign-up request that sent it was made (the subscriber's
// ConfirmSentAt then); requested is zero for a token made before confirm
// links were bound to their request.
func (l *Links) VerifyConfirm(token string) (id int64, requested time.Time, err error) {
	c, err := l.signer.Check(PurposeConfirm, token, l.clock.Now(), ConfirmTTL)
	if c.Bound != 0 && c.Bound < 1<<62 {
		requested = time.UnixMicro(int64(c.Bound)).UTC()
	}
	return c.ID, requested, err
}

// ttl is the lifetime of l's tokens for p.
func (l *Links) ttl(p Purpose) time.Duration {
	if p == PurposeSummary {
		return l.summaryTTL
	}
	return MaxTTL(p)
}

// Token signs id for purpose with the purpose's lifetime.
func (l *Links) Token(p Purpose, id int64) string {
	return l.signer.Sign(p, id, l.clock.Now().Add(l.ttl(p)))
}

func (l *Links) page(path string, p Purpose, id int64) string {
	return l.base.String() + path + "?t=" + l.Token(p, id)
}

// ResurfaceOffURL opens the page whose button stops sub's prompts showing
// their past words; opening it changes nothing, so a link scanner cannot.
func (l *Links) ResurfaceOffURL(sub steady.Subscriber) string {
	return l.page("/past-words", PurposeResurfaceOff, sub.ID)
}

// ConfirmURL opens the page whose button confirms a sign-up. The token is
// bound to the request that queued the confirmation (sub.ConfirmSentAt): a
// newer request makes it stale, and confirming uses it up.
func (l *Links) ConfirmURL(sub steady.Subscriber) string {
	var bound uint64
	if !sub.ConfirmSentAt.IsZero() && sub.ConfirmSentAt.UnixMicro() > 0 {
		bound = uint64(sub.ConfirmSentAt.UnixMicro())
	}
	return l.base.String() + "/confirm?t=" + l.signer.SignBound(PurposeConfirm, sub.ID, bound, l.clock.Now().Add(ConfirmTTL))
}

// UnsubscribeURL is the RFC 8058 one-click URL: a POST unsubscribes, a GET
// shows a page with a button.
func (l *Links) UnsubscribeURL(sub steady.Subscriber) string {
	return l.page("/unsubscribe", PurposeUnsubscribe, sub.ID)
}

// UnsubscribeMailto is the mailto: form of List-Unsubscribe, or "" when
// nothing reads the mailbox (WithoutMailbox).
func (l *Links) UnsubscribeMailto(sub steady.Subscriber) string {
	if l.unread {
		return ""
	}
	return "mailto:" + l.local + "+u-" + l.Token(PurposeUnsubscribe, sub.ID) + "@" + l.domain + "?subject=unsubscribe"
}

// ReplyURL opens the page where the subscriber answers a prompt.
func (l *Links) ReplyURL(d steady.Delivery) string {
	return l.base.String() + "/reply?t=" + l.replyToken(d)
}

// ReplyAddress is the plus-address Reply-To of a prompt; its token names
// the delivery so an emailed reply can be filed under it.
func (l *Links) ReplyAddress(d steady.Delivery) string {
	return l.local + "+r-" + l.replyToken(d) + "@" + l.domain
}

// MessageID is the delivery's Message-ID (without angle brackets). It
// names the delivery under a purpose of its own, so In-Reply-To can be
// matched, but it is no reply token: anyone who sees a thread's headers
// (a forwarded message, a list) can open nothing with it. It is the same
// for every send of the delivery, so a retry of an email the server may
// already have taken is recognised as a copy (see steady.Channel.ResendSafe).
func (l *Links) MessageID(d steady.Delivery) string {
	return "m-" + l.signer.Sign(PurposeThread, d.ID, l.deliveryTime(d).Add(ReplyTTL)) + "@" + l.domain
}

// BounceAddress is the delivery's envelope sender (SMTP MAIL FROM), a VERP
// address "local+b-TOKEN@domain" whose token names the delivery. Delivery
// status notifications are sent to it, so a bounce is matched by this
// token and not by the Message-ID, which every reply and forward of the
// email quotes: the envelope sender travels only in the SMTP envelope (and
// the Return-Path the last server adds), one per delivery. The token
// expires BounceTTL after the delivery was created, not after the send, so
// every retry has the same envelope sender.
func (l *Links) BounceAddress(d steady.Delivery) string {
	return l.local + "+b-" + l.signer.Sign(PurposeBounce, d.ID, l.deliveryTime(d).Add(BounceTTL)) + "@" + l.domain
}

// replyToken is the delivery's reply token. It expires ReplyTTL after the
// delivery was created, not after the send, so every retry renders the
// same token, Message-ID and Reply-To.
func (l *Links) replyToken(d steady.Delivery) string {
	return l.signer.Sign(PurposeReply, d.ID, l.deliveryTime(d).Add(ReplyTTL))
}

// deliveryTime is when d was created, the start of its tokens' lifetimes;
// now for a delivery not yet stored.
func (l *Links) deliveryTime(d steady.Delivery) time.Time {
	if d.CreatedAt.IsZero() {
		return l.clock.Now()
	}
	return d.CreatedAt
}

// SummaryURL opens a monthly summary as a web page.
func (l *Links) SummaryURL(summaryID int64) string {
	return l.page("/summary", PurposeSummary, summaryID)
}

// SummaryChartURL is the chart image of a monthly summary's web page.
func (l *Links) SummaryChartURL(summaryID int64) string {
	return l.page("/summary/chart.png", PurposeSummary, summaryID)
}
