package inbox

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/templates"
)

// A reply that quotes Steady's prompt with no attribution and no ">" (as
// some mobile mail programs do) keeps only the new words once the processor
// can render the prompt again: the prompt's own words never reach the
// stored reply, so the analyser never flags them.
func TestReplyQuotingThePromptKeepsOnlyTheNewWords(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		set, err := templates.Load("")
		if err != nil {
			t.Fatal(err)
		}
		composer := &templates.Composer{Set: set, Links: b.links, ProgramName: "Steady", EmailReplies: true}
		sub, prompts := b.subscriber(t, "lee@example.net", 1)
		sent, err := composer.Compose(prompts[0], sub)
		if err != nil {
			t.Fatal(err)
		}
		raw := mail{from: "lee@example.net", to: b.links.ReplyAddress(prompts[0]), messageID: "bare@example.net",
			body: "No, not this week.\n\n" + sent.Text}.raw()

		// Without the prompt, the quote has no shape to recognise.
		if m, err := Text(raw); err != nil || !strings.Contains(m.Text, "Do you feel heard?") {
			t.Fatalf("Text without the prompt = %q, %v; this test needs a quote only the prompt reveals", m.Text, err)
		}
		proc, err := NewProcessor(ProcessorConfig{Store: db, Links: b.links, Clock: b.clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Compose: composer.Compose, From: "Steady <steady@example.org>"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := proc.Process(ctx, raw)
		if err != nil || r.Outcome != Stored {
			t.Fatalf("Process = %+v, %v", r, err)
		}
		if rs := b.replies(t, sub.ID); len(rs) != 1 || rs[0].Body != "No, not this week." {
			t.Errorf("stored %+v, want only the new words", rs)
		}
		// A reply that is only the quoted prompt is empty, not stored.
		only := mail{from: "lee@example.net", to: b.links.ReplyAddress(prompts[0]), messageID: "only@example.net", body: sent.Text}.raw()
		if r, err := proc.Process(ctx, only); err != nil || r.Outcome != Empty {
			t.Errorf("only the quoted prompt = %+v, %v; want empty", r, err)
		}
	})
}
