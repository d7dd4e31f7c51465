package summary

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	"testing"
	texttemplate "text/template"
	"time"

	"github.com/steadyapp/steady/htmlesc"
	"github.com/steadyapp/steady/htmlesc/htmlesctest"
	"github.com/steadyapp/steady/themes"
)

var hostile = htmlesctest.Hostile()

// hostileData is a summary with every string field taken from hostile,
// starting at the i-th.
func hostileData(i int) Data {
	next := func() string {
		s := hostile[i%len(hostile)]
		i++
		return s
	}
	item := func(theme string) Item {
		return Item{Theme: theme, Name: next(), Count: 5, Weeks: i%4 + 1, PrevCount: i%3 - 1,
			Evidence: []string{next(), next()}, Answers: []string{next()}, About: next()}
	}
	all := themes.AnalysisThemes()
	d := Data{Month: "2026-11", Title: next(), Replies: i%3 + 1, ShortOnly: i%2 == 0,
		Recurring: []Item{item(all[i%len(all)]), item("no such theme")},
		Once:      []string{next(), next()},
		Support:   []Item{item(themes.Safety)},
		Trend:     Trend{Line: next()},
		Next:      next(),
		Program:   next(),
		Discreet:  i%5 == 0,
	}
	if i%3 != 0 {
		s := item(themes.Safety)
		d.Safety = &s
		d.Resources = []Resource{{Name: next(), Contact: next()}, {Name: next(), Contact: "Call 0808 2000 247"},
			{Name: next(), Contact: "Text SHOUT to 85258"}}
	}
	if i%4 == 1 {
		d.Recurring, d.Once, d.Support = nil, nil, nil
	}
	for w := range 5 {
		wk := Week{Label: next()}
		for j := range w {
			wk.Red = append(wk.Red, ThemeCount{Theme: all[(i+j)%len(all)], Count: j - 1})
		}
		d.Weeks = append(d.Weeks, wk)
	}
	return d
}

func hostileLinks(i int, page bool) Links {
	at := func(k int) string { return hostile[(i+k)%len(hostile)] }
	return Links{PageURL: at(7), ChartSrc: at(3), UnsubscribeURL: at(11), SettingsURL: at(13), Page: page, LeaveURL: at(5)}
}

type matchCase struct {
	name string
	d    Data
	l    Links
}

// matchCases are the golden summaries (plain, discreet, on the page and
// without links) and summaries and links full of hostile values.
func matchCases() []matchCase {
	uk, _ := ResourcesFor("uk")
	scared := append(slices.Clone(month), Entry{At: day(11, 24, 21), Theme: themes.Distancing,
		Text: "he threatened me last night and I was scared to go home"})
	links := Links{PageURL: "https://steady.example/summary?t=token", ChartSrc: "cid:" + ChartContentID,
		UnsubscribeURL: "https://steady.example/unsubscribe?t=token", SettingsURL: "https://steady.example/settings?t=token"}
	page := Links{PageURL: links.PageURL, ChartSrc: "data:image/png;base64,iVBORw0KGgo=", Page: true, LeaveURL: "https://www.bbc.co.uk/weather"}
	var cases []matchCase
	for _, d := range []Data{
		Build(Month{2026, time.November}, london, month, nil),
		Build(Month{2026, time.December}, london, month, nil),
		Build(Month{2026, time.November}, london, scared, uk),
	} {
		for _, l := range []Links{links, page, {}} {
			cases = append(cases, matchCase{d.Title, d, l})
			d.Discreet, d.Program = true, "Harbor"
			cases = append(cases, matchCase{d.Title + " discreet", d, l})
		}
	}
	for i := range 3 * len(hostile) {
		d := hostileData(i)
		cases = append(cases, matchCase{"hostile", d, hostileLinks(i, i%2 == 1)})
		d.Nudge = true
		cases = append(cases, matchCase{"hostile nudge", d, hostileLinks(i+1, i%2 == 0)})
	}
	return cases
}

// sameBytes fails t, showing where, when got is not want.
func sameBytes(t *testing.T, what, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	at := 0
	for at < min(len(got), len(want)) && got[at] == want[at] {
		at++
	}
	t.Fatalf("%s differs from the template's at byte %d:\ngot  %q\nwant %q", what, at,
		got[max(0, at-80):min(len(got), at+80)], want[max(0, at-80):min(len(want), at+80)])
}

// The hand-written HTML is, byte for byte, what html/template makes of
// the template it replaced (testdata/summary.html.tmpl).
func TestHTMLMatchesTemplate(t *testing.T) {
	t.Parallel()
	ref := htmltemplate.Must(htmltemplate.ParseFiles("testdata/summary.html.tmpl"))
	for _, c := range matchCases() {
		v := newView(c.d, c.l)
		var want, got bytes.Buffer
		if err := ref.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		writeHTML(&got, &v)
		sameBytes(t, c.name+": the HTML", got.String(), want.String())
	}
}

// The hand-written text is, byte for byte and before squeeze, what
// text/template makes of the template it replaced
// (testdata/summary.txt.tmpl).
func TestTextMatchesTemplate(t *testing.T) {
	t.Parallel()
	ref := texttemplate.Must(texttemplate.ParseFiles("testdata/summary.txt.tmpl"))
	for _, c := range matchCases() {
		v := newView(c.d, c.l)
		var want, got bytes.Buffer
		if err := ref.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		writeText(&got, &v)
		sameBytes(t, c.name+": the text", got.String(), want.String())
	}
}

// A colour that is not "#rrggbb" (Color never makes one) is written as
// html/template's failsafe value, so nothing can leave the CSS value it
// is put in.
func TestHTMLColorFailsafe(t *testing.T) {
	t.Parallel()
	for _, c := range []string{"#fff;background:url(javascript:x)", `red" onload="x`, "#12345g", "#1234567", "", "expression(alert(1))"} {
		var b bytes.Buffer
		htmlOut{&b}.color(c)
		if b.String() != htmlesc.FilterFailsafe {
			t.Errorf("colour %q written as %q, want %q", c, b.String(), htmlesc.FilterFailsafe)
		}
	}
	for _, theme := range append(themes.AnalysisThemes(), "no such theme") {
		var b bytes.Buffer
		htmlOut{&b}.color(Color(theme))
		if b.String() != Color(theme) {
			t.Errorf("theme %s's colour %q written as %q", theme, Color(theme), b.String())
		}
	}
}

// Color's precomputed strings are the colours the chart draws.
func TestColorIsChartColor(t *testing.T) {
	t.Parallel()
	for _, theme := range append(themes.AnalysisThemes(), themes.Safety, "no such theme") {
		c := themeColors[theme]
		if want := fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B); Color(theme) != want {
			t.Errorf("Color(%q) = %q, want %q", theme, Color(theme), want)
		}
	}
}

// bareAnswer answers as it did when it split every reply into a slice of
// words first.
func TestBareAnswerAsBefore(t *testing.T) {
	t.Parallel()
	before := func(text string) bool {
		words := strings.FieldsFunc(strings.ToLower(text), notWordRune)
		if len(words) == 0 || len(words) > maxBareWords {
			return false
		}
		for _, w := range words {
			if !shortWords[w] && !isNumber(w) {
				return false
			}
		}
		return true
	}
	inputs := append(slices.Clone(hostile), "4", "4/5", "yes", "NO!", "Sí", "SÍ 5", "no, not really", "yes yes yes yes",
		"yes yes yes yes yes", "yes he did", "he did, yes", "  ", "!!! ...", "🙂 yes 🙂", "100", "İ yes", "oui\x00non", "nope\xffnah")
	for _, s := range append(inputs, benchReplies...) {
		if got, want := bareAnswer(s), before(s); got != want {
			t.Errorf("bareAnswer(%q) = %v, was %v", s, got, want)
		}
	}
}
