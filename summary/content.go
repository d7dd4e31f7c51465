package summary

import (
	"cmp"
	"fmt"
	"github.com/steadyapp/steady/analysis"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steadyapp/steady/themes"
)

// Entry is one reply to summarise: when it arrived, the theme and text of
// the prompt it answered ("" when unknown) and what the subscriber wrote.
type Entry struct {
	At     time.Time
	Theme  string
	Prompt string
	Text   string
	// Flags are the analyser's flags for Text, stored when the reply
	// arrived; Analyzed says they are there (with the current analyser
	// version): otherwise Text is analysed again.
	Flags    []analysis.Flag
	Analyzed bool
}

// flags is what the analyser finds in e.
func (e Entry) flags() []analysis.Flag {
	if e.Analyzed {
		return e.Flags
	}
	return analysis.Analyze(e.Text, e.Theme)
}

// Data is one subscriber's summary for one month: everything the email,
// the SMS and the web page show, kept as JSON with the summary so they all
// render the same thing.
type Data struct {
	Month   string `json:"month"` // "2026-11"
	Title   string `json:"title"` // "November 2026"
	Replies int    `json:"replies"`
	// Nudge is set when there were no replies: a short, gentle note
	// instead of an empty report.
	Nudge bool `json:"nudge,omitempty"`
	// Safety is set when any reply spoke of harm, threats or fear; it is
	// shown first, with Resources.
	Safety    *Item      `json:"safety,omitempty"`
	Resources []Resource `json:"resources,omitempty"`
	// Recurring are the red flags that came back: a theme red in two or
	// more replies, or in two or more weeks. Most frequent first.
	Recurring []Item `json:"recurring"`
	// Once names the themes flagged red in only one reply.
	Once []string `json:"once"`
	// ShortOnly is set when every flag of the month came from a bare
	// short answer (a yes, a no or a number): the summary then says it
	// shows how the subscriber rated things, not what happened.
	ShortOnly bool `json:"short_only,omitempty"`
	// Support are the signs of support, most frequent first.
	Support []Item `json:"support"`
	Trend   Trend  `json:"trend"`
	Weeks   []Week `json:"weeks"`
	Next    string `json:"next"`

	// Program is the programme's name ("Steady" when empty) and Discreet
	// the subscriber's discreet mode: how the summary speaks, set when it
	// is rendered, never stored with it.
	Program  string `json:"-"`
	Discreet bool   `json:"-"`
}

// program is d's programme name, "Steady" when unset.
func (d Data) program() string { return cmp.Or(d.Program, "Steady") }

// Item is one theme's red flags (or signs of support) in the month.
type Item struct {
	Theme     string   `json:"theme"`
	Name      string   `json:"name"`
	Count     int      `json:"count"`      // replies that raised it
	Weeks     int      `json:"weeks"`      // different weeks it came up in
	PrevCount int      `json:"prev_count"` // replies that raised it the month before
	Evidence  []string `json:"evidence"`   // the subscriber's own words, up to maxEvidence
	// Answers stand for bare short answers, which are no quote: "You
	// answered 4 of 5 to “…?”", with the question. Evidence and Answers
	// together are at most maxEvidence.
	Answers []string `json:"answers,omitempty"`
	About   string   `json:"about,omitempty"`
}

// Shown is how many of the item's replies it shows: its quotes and its
// short answers.
func (it Item) Shown() int { return len(it.Evidence) + len(it.Answers) }

// Trend compares the month with the one before.
type Trend struct {
	Red         int    `json:"red"`      // red flags this month (one per theme per reply)
	PrevRed     int    `json:"prev_red"` // and the month before
	PrevReplies int    `json:"prev_replies"`
	Line        string `json:"line"`
}

// Week is one bar of the chart: red flags per theme in one week.
type Week struct {
	Label string       `json:"label"`
	Red   []ThemeCount `json:"red"`
}

// ThemeCount is a theme's count in a week.
type ThemeCount struct {
	Theme string `json:"theme"`
	Count int    `json:"count"`
}

const maxEvidence = 3

type tally struct {
	count    int
	weeks    map[int]bool
	evidence []string
	answers  []string
	first    int // order of first appearance
}

// add shows one more of the item's replies, unless maxEvidence are shown
// or the same line is already there.
func (t *tally) add(quote, answer string) {
	if len(t.evidence)+len(t.answers) >= maxEvidence {
		return
	}
	switch {
	case answer != "" && !slices.Contains(t.answers, answer):
		t.answers = append(t.answers, answer)
	case answer == "" && !slices.Contains(t.evidence, quote):
		t.evidence = append(t.evidence, quote)
	}
}

// Build summarises month from the subscriber's replies in loc. replies may
// hold other months too: only those inside month count, and those of the
// month before give the trend.
func Build(month Month, loc *time.Location, replies []Entry, resources []Resource) Data {
	d := Data{Month: month.String(), Title: month.Title(), Recurring: []Item{}, Once: []string{}, Support: []Item{}}
	start, end := month.Start(loc), month.End(loc)
	prevStart := month.Prev().Start(loc)

	red, green := map[string]*tally{}, map[string]*tally{}
	prevRed := map[string]int{}
	weekRed := make([]map[string]int, month.weeks())
	for i := range weekRed {
		weekRed[i] = map[string]int{}
	}
	// shortFlags and wordFlags count the month's flags from bare short
	// answers and from words (safety aside), for ShortOnly.
	shortFlags, wordFlags := 0, 0
	sorted := slices.Clone(replies)
	slices.SortStableFunc(sorted, func(a, b Entry) int { return a.At.Compare(b.At) })
	n := 0
	for _, e := range sorted {
		switch {
		case !e.At.Before(prevStart) && e.At.Before(start):
			d.Trend.PrevReplies++
			for _, f := range e.flags() {
				if f.Polarity == analysis.Red {
					prevRed[f.Theme]++
					d.Trend.PrevRed++
				}
			}
			continue
		case e.At.Before(start) || !e.At.Before(end):
			continue
		}
		d.Replies++
		w := weekOf(e.At.In(loc).Day())
		bare := bareAnswer(e.Text)
		for _, f := range e.flags() {
			m := green
			if f.Polarity == analysis.Red {
				m = red
				weekRed[w][f.Theme]++
				d.Trend.Red++
			}
			if f.Theme != themes.Safety {
				if bare && f.Theme == e.Theme {
					shortFlags++
				} else {
					wordFlags++
				}
			}
			t := m[f.Theme]
			if t == nil {
				t = &tally{weeks: map[int]bool{}, first: n}
				n++
				m[f.Theme] = t
			}
			t.count++
			t.weeks[w] = true
			t.add(evidenceFor(e, f, bare))
		}
	}
	d.ShortOnly = shortFlags > 0 && wordFlags == 0
	if d.Replies == 0 {
		d.Nudge = true
		d.Next = fmt.Sprintf("We did not hear from you in %s, and that is fine. Whenever you like, answer a prompt with a single word or number; next month's summary will gather what you share.", month.Month)
		d.Trend.Line = trendLine(d.Trend)
		return d
	}

	order := themes.AnalysisThemes() // the order of ties and of a week's themes
	items := func(m map[string]*tally, withAbout bool) []Item {
		var out []Item
		for th, t := range m {
			it := Item{Theme: th, Name: themes.Name(th), Count: t.count, Weeks: len(t.weeks), PrevCount: prevRed[th],
				Evidence: t.evidence, Answers: t.answers}
			if withAbout {
				it.About = about[th]
			}
			out = append(out, it)
		}
		slices.SortFunc(out, func(a, b Item) int {
			return cmp.Or(b.Count-a.Count, b.Weeks-a.Weeks, slices.Index(order, a.Theme)-slices.Index(order, b.Theme))
		})
		return out
	}
	for _, it := range items(red, true) {
		switch {
		case it.Theme == themes.Safety:
			s := it
			d.Safety = &s
			d.Resources = resources
		case it.Count >= 2 || it.Weeks >= 2:
			d.Recurring = append(d.Recurring, it)
		default:
			d.Once = append(d.Once, it.Name)
		}
	}
	for _, it := range items(green, false) {
		it.PrevCount = 0
		d.Support = append(d.Support, it)
	}
	for w, m := range weekRed {
		wk := Week{Label: month.weekLabel(w), Red: []ThemeCount{}}
		for _, th := range order {
			if c := m[th]; c > 0 {
				wk.Red = append(wk.Red, ThemeCount{th, c})
			}
		}
		d.Weeks = append(d.Weeks, wk)
	}
	d.Trend.Line = trendLine(d.Trend)
	if d.Safety != nil {
		d.Trend.Line = safetyTrendLine(d.Trend)
	}
	d.Next = nextLine(d)
	return d
}

// evidenceFor is what the summary shows of reply e for its flag f: a quote
// or, for a bare short answer (bare), the answer with its question. For
// the prompt's own theme the whole reply is the best evidence: "Nope. He
// told me he was at work ..." says more than "Nope". A bare "4" is no
// quote: it is an answer to the question, shown with it.
func evidenceFor(e Entry, f analysis.Flag, bare bool) (quoted, answer string) {
	switch {
	case f.Theme == e.Theme && bare:
		return "", answerLine(e.Text, e.Prompt, e.Theme, f.Polarity)
	case f.Theme == e.Theme:
		return quote(strings.Join(strings.Fields(e.Text), " ")), ""
	}
	return quote(f.Evidence), ""
}

// Lines is every line a summary could show of reply e: its quotes and
// short-answer lines, for every flag it raises. Removing a reply removes
// these from the summaries already stored (package account).
func Lines(e Entry) []string {
	var out []string
	bare := bareAnswer(e.Text)
	for _, f := range analysis.Analyze(e.Text, e.Theme) {
		q, a := evidenceFor(e, f, bare)
		out = append(out, q+a)
	}
	return out
}

// quote trims evidence to a readable length, keeping the subscriber's words.
func quote(s string) string {
	s = strings.Map(quoteRune, s)
	const max = 140
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndexByte(s[:max], ' ')
	if cut < max/2 {
		cut = max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut-- // never inside a character
		}
	}
	return strings.TrimSpace(s[:cut]) + " …"
}

// quoteRune keeps a quote on its own line and in its own direction: line
// and paragraph separators become spaces, and the invisible controls that
// turn text right to left (an unclosed one would reverse the closing
// quote mark and what follows) are left out.
func quoteRune(r rune) rune {
	switch {
	case r == '\u2028' || r == '\u2029':
		return ' '
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e' || r == '\u200f', r == '\u061c':
		return -1
	}
	return r
}

func trendLine(t Trend) string {
	switch {
	case t.PrevReplies == 0:
		return "There is nothing from the month before to compare with yet."
	case t.Red == t.PrevRed:
		return fmt.Sprintf("About the same as the month before: %s this month, %s then.", plural(t.Red, "red flag"), plural(t.PrevRed, "red flag"))
	case t.Red < t.PrevRed:
		return fmt.Sprintf("Fewer than the month before: %s this month, down from %d.", plural(t.Red, "red flag"), t.PrevRed)
	default:
		return fmt.Sprintf("More than the month before: %s this month, up from %d.", plural(t.Red, "red flag"), t.PrevRed)
	}
}

// safetyTrendLine is the trend of a month in which a reply spoke of the
// subscriber's safety: fewer red flags must not read as things going
// better.
func safetyTrendLine(t Trend) string {
	if t.PrevReplies == 0 {
		return "There is nothing from the month before to compare with yet, and this month's count matters less than your safety."
	}
	return fmt.Sprintf("This month you wrote about your safety, so a count of red flags says little about how things are going: %s this month, %s the month before.",
		plural(t.Red, "red flag"), plural(t.PrevRed, "red flag"))
}

func nextLine(d Data) string {
	switch {
	case d.Safety != nil:
		return "Your safety comes first. If anything this month felt frightening, the people listed here will listen in confidence, whenever you are ready. What you do next is yours to decide."
	case len(d.Recurring) > 0:
		return fmt.Sprintf("You might pick one of these, perhaps %s, and notice over the coming weeks when it shows up and how it feels. Some people find it helps to talk it through with their partner, a friend or a counsellor. What, if anything, to do about it is yours to decide.",
			strings.ToLower(d.Recurring[0].Name[:1])+d.Recurring[0].Name[1:])
	case len(d.Support) > 0:
		return "Your words this month mostly showed support. You might tell your partner what you noticed; whatever you do with it is up to you."
	default:
		return "Nothing came back again and again this month. Patterns only show over time, so keep noticing, in your own words."
	}
}

// plural writes n and word, in the plural unless n is 1: "1 reply",
// "4 replies", "2 themes".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if len(word) > 1 && strings.HasSuffix(word, "y") && !strings.ContainsRune("aeiou", rune(word[len(word)-2])) {
		return fmt.Sprintf("%d %sies", n, word[:len(word)-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}
