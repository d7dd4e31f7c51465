package templates

import (
	"context"

	steady "github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
)

// PastPicker chooses what a prompt resurfaces: something the subscriber
// wrote a month or more ago, or nothing (ok false). Package resurface has
// one; the composer asks it only for prompts to a subscriber who turned
// resurfacing on and is not in discreet mode.
type PastPicker interface {
	PickPast(ctx context.Context, sub steady.Subscriber, d steady.Delivery) (p Past, ok bool, err error)
}

// maxPastSegments: a text prompt carries past words only if the whole text
// still fits in this many GSM-7 segments.
const maxPastSegments = 2

// wantsPast reports whether a prompt to sub may resurface past words.
func wantsPast(d steady.Delivery, sub steady.Subscriber) bool {
	return d.Kind == steady.KindPrompt && sub.Resurface && !sub.Discreet
}

// smsFits reports whether a text fits maxPastSegments GSM-7 segments.
func smsFits(text string) bool {
	enc, n := messages.Segments(text)
	return enc == messages.GSM7 && n <= maxPastSegments
}
