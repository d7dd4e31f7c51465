package inbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/mailreply"
	"github.com/steadyapp/steady/store"
)

// bounce files a message mailreply calls a bounce. It counts against a
// subscriber only when both hold:
//
//   - it is a real delivery status notification of a permanent failure
//     (mailreply.Message.PermanentFailure: multipart/report with a 5.x.x
//     Status), and
//   - it was sent to the VERP bounce address of one of Steady's emails
//     (links.BounceAddress, the envelope sender): its token names the
//     delivery, and so the subscriber.
//
// The Message-ID in the returned headers is no key: it is in every reply
// and forward of the email, so anyone can name it. It is only checked to
// agree with the token. The store counts one bounce per delivery however
// many notifications name it. Anything else that looks like a bounce is
// Unmatched: held for a person, never counted, never answered.
func (p *Processor) bounce(ctx context.Context, m mailreply.Message, raw []byte) (Result, error) {
	if !m.PermanentFailure {
		return Result{Outcome: Unmatched, Reason: "a bounce that is not a delivery status notification of a permanent failure"}, nil
	}
	d, why, err := p.bouncedDelivery(ctx, m)
	if err != nil {
		return Result{}, err
	}
	if d.ID == 0 {
		return Result{Outcome: Unmatched, Reason: why}, nil
	}
	if p.namesOtherDelivery(m, d.ID) {
		return Result{Outcome: Unmatched, Reason: "the returned headers name another delivery than the bounce address"}, nil
	}
	br, err := p.cfg.Store.RecordBounce(ctx, store.Bounce{
		SubscriberID: d.SubscriberID, DeliveryID: d.ID, SourceID: sourceID(m, raw), ReceivedAt: p.cfg.Clock.Now(),
	}, p.cfg.BounceThreshold)
	if err != nil {
		return Result{}, fmt.Errorf("inbox: %w", err)
	}
	res := Result{Outcome: Bounced, SubscriberID: d.SubscriberID, DeliveryID: d.ID, Match: "address-token",
		Reason: fmt.Sprintf("bounced deliveries: %d", br.Count)}
	if !br.BouncingAt.IsZero() {
		res.Reason += "; the address is marked bouncing and gets no more prompts"
	}
	return res, nil
}

// bouncedDelivery finds the email delivery whose bounce address the
// notification was sent to (To, Delivered-To, X-Original-To…). A zero
// delivery means none; why then says why, in words safe to log.
func (p *Processor) bouncedDelivery(ctx context.Context, m mailreply.Message) (steady.Delivery, string, error) {
	why := "a bounce not sent to a bounce address"
	for _, rcpt := range m.Recipients {
		purpose, token, ok := p.cfg.Links.AddressToken(rcpt)
		if !ok || purpose != links.PurposeBounce {
			continue
		}
		// Unlike a late reply, a late bounce is not news: an expired
		// token does not count.
		id, err := p.cfg.Links.Verify(links.PurposeBounce, token)
		if errors.Is(err, links.ErrTokenExpired) {
			why = "the bounce address has expired"
			continue
		}
		if err != nil {
			why = "the bounce address's token is not valid"
			continue
		}
		d, err := p.cfg.Store.Delivery(ctx, id)
		if errors.Is(err, steady.ErrNotFound) || (err == nil && d.Channel != steady.ChannelEmail) {
			why = "the bounce address names no email delivery"
			continue
		}
		if err != nil {
			return steady.Delivery{}, "", fmt.Errorf("inbox: %w", err)
		}
		return d, "", nil
	}
	return steady.Delivery{}, why, nil
}

// namesOtherDelivery says whether the returned headers carry the
// Message-ID of a Steady delivery other than deliveryID: a genuine
// notification returns the headers of the email it is about, so the two
// disagree only in a forgery. Returned headers that name no Steady email
// (many servers return none) are no evidence either way.
func (p *Processor) namesOtherDelivery(m mailreply.Message, deliveryID int64) bool {
	for _, mid := range m.BouncedIDs {
		purpose, token, ok := p.cfg.Links.MessageIDToken(mid)
		if !ok {
			continue
		}
		if id, _, ok := p.verify(purpose, token); ok && id != deliveryID {
			return true
		}
	}
	return false
}
