package web

import "github.com/steadyapp/steady"

// Metrics counts what the web side does; *metrics.Recorder has it. Every
// argument is a channel or an abuse scope, never an address.
type Metrics interface {
	SignupRequested(ch steady.Channel)
	SignupConfirmed(ch steady.Channel)
	// Reply counts a stored reply (not a replayed one) on ch.
	Reply(ch steady.Channel)
	// RateLimited counts a refusal by the limit of scope (abuse.Scope…).
	RateLimited(scope string)
}

// countMetrics calls its Metrics when there is one, so handlers need no
// nil checks.
type countMetrics struct{ m Metrics }

func (c countMetrics) SignupRequested(ch steady.Channel) {
	if c.m != nil {
		c.m.SignupRequested(ch)
	}
}

func (c countMetrics) SignupConfirmed(ch steady.Channel) {
	if c.m != nil {
		c.m.SignupConfirmed(ch)
	}
}

func (c countMetrics) Reply(ch steady.Channel) {
	if c.m != nil {
		c.m.Reply(ch)
	}
}

func (c countMetrics) RateLimited(scope string) {
	if c.m != nil {
		c.m.RateLimited(scope)
	}
}

// countSMS counts what an incoming text did, once its transaction has
// committed.
func (s *Server) countSMS(in *inboundSMS) {
	if in.signedUp {
		s.metrics.SignupRequested(steady.ChannelSMS)
	}
	if in.confirmed {
		s.metrics.SignupConfirmed(steady.ChannelSMS)
	}
	if in.replied {
		s.metrics.Reply(steady.ChannelSMS)
	}
}
