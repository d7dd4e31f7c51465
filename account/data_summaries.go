package account

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/summary"
)

// redactSummaries takes a deleted reply's words out of the subscriber's
// stored summaries (inside the delete's transaction). A stored summary is
// the record of what was sent: its counts and trend stay as they were (they
// hold no words), only the quotes go. A summary built after the delete
// is built from the replies left, so it never sees the reply. See
// README.md, "My reflections".
func (d *Data) redactSummaries(ctx context.Context, sub steady.Subscriber, gone store.Reflection) error {
	recs, err := d.cfg.Store.Summaries(ctx, sub.ID)
	if err != nil {
		return err
	}
	quotes := quotesOf(gone)
	for _, rec := range recs {
		data, changed, err := withoutQuotes(rec.Data, gone.Reply.Body, quotes)
		if err != nil {
			return fmt.Errorf("summary %d: %w", rec.ID, err)
		}
		if !changed {
			continue
		}
		if err := d.cfg.Store.RedactSummary(ctx, sub.ID, rec.ID, data); err != nil {
			return err
		}
	}
	return nil
}

// quotesOf is every quote a summary could have taken from the reply,
// and every short-answer line: summary.Lines, so the same code decides.
func quotesOf(gone store.Reflection) map[string]bool {
	out := map[string]bool{}
	for _, q := range summary.Lines(summary.Entry{Theme: gone.Theme, Prompt: gone.PromptText, Text: gone.Reply.Body}) {
		out[q] = true
	}
	return out
}

// minPiece is the shortest piece of a quote matched as a substring of the
// deleted words (shorter ones, "yes", are matched only exactly).
const minPiece = 12

// withoutQuotes removes from one summary's data every quote of the
// deleted reply: one of quotes, or (for a summary built by an older
// analyser) one whose every piece is a long enough part of body.
func withoutQuotes(data []byte, body string, quotes map[string]bool) ([]byte, bool, error) {
	var s summary.Data
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, false, err
	}
	text := strings.ToLower(strings.Join(strings.Fields(body), " "))
	isQuote := func(q string) bool {
		if quotes[q] {
			return true
		}
		for _, piece := range strings.Split(q, "…") {
			piece = strings.ToLower(strings.TrimSpace(piece))
			if piece == "" {
				continue
			}
			if len(piece) < minPiece || !strings.Contains(text, piece) {
				return false
			}
		}
		return strings.TrimSpace(strings.ReplaceAll(q, "…", "")) != ""
	}
	changed := false
	strip := func(it *summary.Item) {
		kept := slices.DeleteFunc(slices.Clone(it.Evidence), isQuote)
		if len(kept) != len(it.Evidence) {
			it.Evidence, changed = kept, true
		}
		// A short answer's line is matched only exactly: it holds the
		// question's words, not the reply's.
		answers := slices.DeleteFunc(slices.Clone(it.Answers), func(a string) bool { return quotes[a] })
		if len(answers) != len(it.Answers) {
			it.Answers, changed = answers, true
		}
	}
	for i := range s.Recurring {
		strip(&s.Recurring[i])
	}
	for i := range s.Support {
		strip(&s.Support[i])
	}
	if s.Safety != nil {
		strip(s.Safety)
	}
	if !changed {
		return data, false, nil
	}
	out, err := json.Marshal(s)
	return out, true, err
}
