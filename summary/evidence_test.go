package summary

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/steadyapp/steady/themes"
)

// A count is never backed by fewer quotes than it claims: the same words
// twice, or more replies than are quoted, are said as such.
func TestCountSaysHowManyAreQuoted(t *testing.T) {
	t.Parallel()
	var es []Entry
	for i := range 5 {
		es = append(es, Entry{At: day(11, 2+5*i, 20), Theme: themes.Distancing, Text: "he went quiet and distant again"})
	}
	d := Build(Month{2026, time.November}, london, es, nil)
	if len(d.Recurring) != 1 || d.Recurring[0].Count != 5 {
		t.Fatalf("recurring = %+v", d.Recurring)
	}
	it := d.Recurring[0]
	if it.Shown() != 1 {
		t.Fatalf("shown %d quotes (%q), want the one repeated quote", it.Shown(), it.Evidence)
	}
	if got := countLine(it); got != "5 times, once in these words" {
		t.Errorf("count line = %q", got)
	}
	cases := []struct {
		count, quotes int
		want          string
	}{
		{1, 1, "once"}, {2, 2, "twice"}, {2, 1, "twice, once in these words"},
		{4, 2, "4 times, twice in these words"}, {7, 3, "7 times, 3 of them in these words"}, {3, 0, "3 times"},
	}
	for _, c := range cases {
		it := Item{Count: c.count, Evidence: make([]string, c.quotes)}
		if got := countLine(it); got != c.want {
			t.Errorf("count %d with %d quotes: %q, want %q", c.count, c.quotes, got, c.want)
		}
	}
	r := render(t, d)
	if !strings.Contains(r.Text, "Distancing: 5 times, once in these words") || !strings.Contains(r.HTML, "5 times, once in these words") {
		t.Errorf("rendered summary does not say how many are quoted:\n%s", r.Text)
	}
}

// A bare number or yes/no is shown as an answer to its question, never
// quoted as if it were the subscriber's words about their partner.
func TestBareAnswersShownWithTheirQuestion(t *testing.T) {
	t.Parallel()
	scale := "From 1 (not at all) to 5 (fully), how much do you believe what your partner tells you right now? What comes to mind?"
	yesno := "Did your partner stand by you this week? Add anything you noticed."
	es := []Entry{
		{At: day(11, 3, 20), Theme: themes.Honesty, Prompt: scale, Text: "4"},
		{At: day(11, 10, 20), Theme: themes.HasYourBack, Prompt: yesno, Text: "Yes!"},
		{At: day(11, 17, 20), Theme: themes.Honesty, Prompt: scale, Text: "5 - he told me about the debt himself"},
		{At: day(11, 24, 20), Theme: themes.Friendship, Text: "nope"},
	}
	d := Build(Month{2026, time.November}, london, es, nil)
	lines := map[string][]string{}
	quotes := map[string][]string{}
	for _, it := range append(d.Support, d.Recurring...) {
		lines[it.Theme], quotes[it.Theme] = it.Answers, it.Evidence
	}
	want := map[string]string{
		themes.Honesty:     "You answered 4 of 5 to “How much do you believe what your partner tells you right now?”",
		themes.HasYourBack: "You answered “yes” to “Did your partner stand by you this week?”",
	}
	for th, w := range want {
		if len(lines[th]) != 1 || lines[th][0] != w {
			t.Errorf("%s answers = %q, want %q", th, lines[th], w)
		}
		for _, q := range quotes[th] {
			if bareAnswer(q) {
				t.Errorf("%s quotes a bare answer %q", th, q)
			}
		}
	}
	if got := quotes[themes.Honesty]; len(got) != 1 || !strings.Contains(got[0], "told me about the debt") {
		t.Errorf("honesty quotes = %q, want the reply with words", got)
	}
	r := render(t, d)
	for _, bare := range []string{`"4"`, `"Yes!"`, `"nope"`} {
		if strings.Contains(r.Text, bare) {
			t.Errorf("summary quotes the bare answer %s:\n%s", bare, r.Text)
		}
	}
	if !strings.Contains(r.Text, "You answered 4 of 5 to") {
		t.Errorf("summary does not show the answer with its question:\n%s", r.Text)
	}
	// Without the prompt's text the theme stands in for the question.
	if got := answerLine("2", "", themes.Trust, "red"); got != "You answered 2 of 5 to a prompt about Trust" {
		t.Errorf("answer without a prompt = %q", got)
	}
	for _, s := range []string{"4", "5!!", "nope", "no, not really", "Oui 5", "sí", "4/5", "yes 👍"} {
		if !bareAnswer(s) {
			t.Errorf("bareAnswer(%q) = false", s)
		}
	}
	for _, s := range []string{"no he lied", "he was there for me", "", "...", "yes, we laughed all evening"} {
		if bareAnswer(s) {
			t.Errorf("bareAnswer(%q) = true", s)
		}
	}
}

// A month with a safety note is never called an improvement, however few
// red flags it had.
func TestSafetyMonthIsNoImprovement(t *testing.T) {
	t.Parallel()
	var es []Entry
	for i := range 6 {
		es = append(es, Entry{At: day(10, 2+4*i, 20), Theme: themes.Honesty, Text: "he lied to me again"})
	}
	es = append(es, Entry{At: day(11, 5, 20), Theme: themes.Trust, Text: "he pushed me against the wall last night and I'm scared to go home"})
	d := Build(Month{2026, time.November}, london, es, nil)
	if d.Safety == nil {
		t.Fatal("the reply about being pushed gave no safety item")
	}
	if d.Trend.Red >= d.Trend.PrevRed {
		t.Fatalf("trend %+v: the test needs fewer red flags than the month before", d.Trend)
	}
	if strings.Contains(d.Trend.Line, "Fewer") || strings.Contains(d.Trend.Line, "down from") || !strings.Contains(d.Trend.Line, "safety") {
		t.Errorf("trend line after a safety reply = %q", d.Trend.Line)
	}
}

// A month whose flags all come from bare short answers says so.
func TestShortAnswersOnlyMonthSaysSo(t *testing.T) {
	t.Parallel()
	es := []Entry{
		{At: day(11, 3, 20), Theme: themes.Honesty, Text: "no"},
		{At: day(11, 10, 20), Theme: themes.Honesty, Text: "2"},
		{At: day(11, 17, 20), Theme: themes.Friendship, Text: "yes"},
	}
	d := Build(Month{2026, time.November}, london, es, nil)
	if !d.ShortOnly {
		t.Fatalf("ShortOnly = false for a month of bare answers: %+v", d)
	}
	r := render(t, d)
	if !strings.Contains(r.Text, "comes from short answers") || !strings.Contains(r.HTML, "comes from short answers") {
		t.Errorf("summary does not say its flags come from short answers:\n%s", r.Text)
	}
	es = append(es, Entry{At: day(11, 20, 20), Theme: themes.KeepingWord, Text: "he bailed on our plans again"})
	if d := Build(Month{2026, time.November}, london, es, nil); d.ShortOnly {
		t.Error("ShortOnly = true with a reply in words")
	}
}

func render(t *testing.T, d Data) Rendered {
	t.Helper()
	r, err := mustRenderer(t).Render(d, Links{PageURL: "https://steady.example/summary?t=token", ChartSrc: "cid:" + ChartContentID,
		UnsubscribeURL: "https://steady.example/unsubscribe?t=token"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A quote stays on one line and in its own direction, and a long one is
// never cut inside a character.
func TestQuoteKeepsItsLineAndDirection(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"he lied again \u202eevil\u202c":        "he lied again evil",
		"he lied again\u2028and again":          "he lied again and again",
		"\u2067he lied\u2069 \u200fagain\u061c": "he lied again",
		"plain words":                           "plain words",
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %q, want %q", in, got, want)
		}
	}
	long := "a" + strings.Repeat("é", 200) // no space to cut at: cut by bytes, the 140th inside an é
	if got := quote(long); !utf8.ValidString(got) || !strings.HasSuffix(got, " …") {
		t.Errorf("quote of 200 é = %q, want valid UTF-8 ending in an ellipsis", got)
	}
}
