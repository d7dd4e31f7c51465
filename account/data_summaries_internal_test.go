package account

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/steadyapp/steady/summary"
)

// A summary built by an older analyser may quote the reply differently
// from today's: a quote whose every piece is a long enough part of the
// deleted words goes too; a short word another reply may have said stays
// unless today's analysis gives exactly it.
func TestWithoutQuotesOfAnOlderAnalyser(t *testing.T) {
	body := "Honestly,   he said he was at WORK all evening, then the neighbour saw him"
	in := summary.Data{
		Recurring: []summary.Item{{Theme: "honesty", Evidence: []string{
			"he said he was at work all evening … the neighbour saw him", // pieces of the body, other spacing and case
			"Yes",                       // short: only an exact quote goes
			"he said he was at the gym", // not the body's words
		}}},
		Safety:  &summary.Item{Evidence: []string{"then the neighbour saw him"}},
		Support: []summary.Item{{Evidence: []string{"exact quote"}}},
	}
	raw, _ := json.Marshal(in)
	out, changed, err := withoutQuotes(raw, body, map[string]bool{"exact quote": true})
	if err != nil || !changed {
		t.Fatalf("changed %v, err %v", changed, err)
	}
	var got summary.Data
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if want := []string{"Yes", "he said he was at the gym"}; !slices.Equal(got.Recurring[0].Evidence, want) {
		t.Errorf("recurring evidence = %q, want %q", got.Recurring[0].Evidence, want)
	}
	if len(got.Safety.Evidence) != 0 || len(got.Support[0].Evidence) != 0 {
		t.Errorf("safety %q, support %q: want none", got.Safety.Evidence, got.Support[0].Evidence)
	}
	if _, changed, _ := withoutQuotes(out, "nothing in common", nil); changed {
		t.Error("a summary without the words was changed")
	}
}
