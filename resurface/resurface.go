// Package resurface chooses what a prompt shows of a subscriber's past
// words: now and then (at most once every Every prompts) a prompt to a
// subscriber who turned resurfacing on includes something they wrote at
// least MinAge before, with a one-click link to stop it.
//
// Only replies that speak of no red flag and no safety concern (package
// analysis) are shown; one with a sign of support is preferred. Never in
// discreet mode. The choice is deterministic: the same delivery always
// shows the same words, and successive resurfacing prompts walk through
// the candidates in turn.
package resurface

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/analysis"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/themes"
)

// Every: at most one prompt in Every shows past words (the Every-th, the
// 2·Every-th, ... prompt sent to the subscriber).
const Every = 4

// MinAge is how old words must be to come back.
const MinAge = 30 * 24 * time.Hour

// Reply lengths a prompt quotes: fewer words say nothing worth showing
// again ("yes"), more would crowd the question.
const (
	minWords = 4
	maxRunes = 240
)

// Store gives the candidates; *store.DB has it.
type Store interface {
	PastWords(ctx context.Context, id, deliveryID int64, before time.Time) (store.PastWords, error)
}

// Links makes the stop link; *links.Links has it.
type Links interface {
	ResurfaceOffURL(sub steady.Subscriber) string
}

// Picker satisfies templates.PastPicker.
type Picker struct {
	Store Store
	Links Links
}

var _ templates.PastPicker = (*Picker)(nil)

// PickPast chooses past words for prompt d to sub, or nothing (ok false):
// resurfacing off, discreet mode, not this prompt's turn, or no reply old
// and gentle enough.
func (p *Picker) PickPast(ctx context.Context, sub steady.Subscriber, d steady.Delivery) (templates.Past, bool, error) {
	if d.Kind != steady.KindPrompt || !sub.Resurface || sub.Discreet {
		return templates.Past{}, false, nil
	}
	pw, err := p.Store.PastWords(ctx, sub.ID, d.ID, d.Slot.Add(-MinAge))
	if err != nil {
		return templates.Past{}, false, fmt.Errorf("resurface: %w", err)
	}
	if (pw.PromptsBefore+1)%Every != 0 {
		return templates.Past{}, false, nil
	}
	pool := Candidates(pw.Replies)
	if len(pool) == 0 {
		return templates.Past{}, false, nil
	}
	r := pool[(pw.PromptsBefore/Every)%len(pool)]
	loc, err := sub.Location()
	if err != nil {
		return templates.Past{}, false, fmt.Errorf("resurface: %w", err)
	}
	return templates.Past{Text: oneLine(r.Body), When: when(r.ReceivedAt.In(loc), d.Slot.In(loc)), StopURL: p.Links.ResurfaceOffURL(sub)}, true, nil
}

// Candidates keeps the replies a prompt may show, in their order: a
// quotable length, no red flag and no safety concern. If any of those
// shows a sign of support, only those are kept.
func Candidates(replies []store.PastReply) []store.PastReply {
	var gentle, support []store.PastReply
	for _, r := range replies {
		text := oneLine(r.Body)
		if len(strings.Fields(text)) < minWords || utf8.RuneCountInString(text) > maxRunes {
			continue
		}
		theme := r.Theme
		if !themes.Known(theme) {
			theme = ""
		}
		red, green := false, false
		for _, f := range analysis.Analyze(r.Body, theme) {
			if f.Polarity == analysis.Red || f.Theme == themes.Safety {
				red = true
			}
			if f.Polarity == analysis.Green {
				green = true
			}
		}
		if red {
			continue
		}
		gentle = append(gentle, r)
		if green {
			support = append(support, r)
		}
	}
	if len(support) > 0 {
		return support
	}
	return gentle
}

// oneLine folds a reply's lines and spaces into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// when says when words were written, as the prompt reads: "on 3 October",
// with the year when it is not the prompt's.
func when(at, now time.Time) string {
	if at.Year() != now.Year() {
		return at.Format("on 2 January 2006")
	}
	return at.Format("on 2 January")
}
