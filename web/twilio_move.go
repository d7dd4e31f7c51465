package web

import (
	"context"
	"errors"
	"fmt"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// smsMove confirms, for a YES from a number no subscriber has, the
// pending move of a subscriber to that number (store.ConfirmMove): their
// prompts come to it from now on. ok false: no move waits for the number.
func (s *Server) smsMove(ctx context.Context, in *inboundSMS) (answer, what string, ok bool, err error) {
	mv, err := s.sms.Store.PendingMoveTo(ctx, steady.ChannelSMS, in.from)
	if errors.Is(err, store.ErrNoMove) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, err
	}
	var hash string
	if s.hasher != nil {
		if hash, err = s.hasher.HashAddress(steady.ChannelSMS, in.from); err != nil {
			return "", "", false, err
		}
	}
	consent := steady.Consent{Method: "sms", Wording: fmt.Sprintf("Texted %q to confirm the move to this number", consentQuote(in.body))}
	_, err = s.sms.Store.ConfirmMove(ctx, mv.SubscriberID, mv.RequestedAt, consent, hash, in.now)
	switch {
	case errors.Is(err, store.ErrNoMove):
		return "", "", false, nil
	case errors.Is(err, store.ErrAddressTaken), errors.Is(err, store.ErrAddressStopped):
		return s.program + ": this number cannot be used. Nothing was changed.", "move refused", true, nil
	case err != nil:
		return "", "", false, err
	}
	in.confirmQueued = true // the settings notice
	return s.program + ": done, your prompts come to this number from now on. Reply HELP for help, STOP to opt out.", "move confirmed", true, nil
}
