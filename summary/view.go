package summary

import (
	htmltemplate "html/template"
	"strconv"
	"strings"

	"github.com/steadyapp/steady/themes"
)

// view is what writeText and writeHTML print (and the reference
// templates in testdata, which they are tested against). Every value they
// show is worked out here, once, so that they only print fields.
type view struct {
	D                       Data
	PageURL, UnsubscribeURL string
	SettingsURL             string
	Page                    bool
	LeaveURL                string
	Program, Preheader      string
	ChartSrc                htmltemplate.URL
	ChartWidth, ChartHeight int

	Replies   string // "12 replies"
	Once      string // the themes that came up once, joined with ", "
	Safety    *itemView
	Resources []resourceView
	Recurring []itemView
	Support   []itemView
	ChartAlt  string // the chart's alt text: every week's red flags
	Weeks     []weekView
}

// itemView is an Item as the templates show it.
type itemView struct {
	Name      string
	Color     string // the theme's colour, "#rrggbb"
	CountLine string // how often, and how many are quoted (countLine)
	Weeks     int
	ManyWeeks bool // it came up in more than one week
	PrevCount int
	Evidence  []string
	Answers   []string
	About     string
}

// resourceView is a Resource and the link its contact dials ("" for none).
type resourceView struct {
	Name, Contact string
	URL           htmltemplate.URL
}

// weekView is a week of the chart with its themes' names and colours.
type weekView struct {
	Label string
	Red   []countView
}

type countView struct {
	Name, Color string
	Count       int
}

func newView(d Data, l Links) view {
	v := view{D: d, PageURL: l.PageURL, UnsubscribeURL: l.UnsubscribeURL, SettingsURL: l.SettingsURL, Page: l.Page, LeaveURL: l.LeaveURL,
		Program: d.program(), Preheader: Preheader(d),
		ChartSrc: htmltemplate.URL(l.ChartSrc), ChartWidth: ChartWidth, ChartHeight: ChartHeight,
		Replies: plural(d.Replies, "reply"), Once: strings.Join(d.Once, ", "),
		Recurring: itemViews(d.Recurring), Support: itemViews(d.Support)}
	if d.Safety != nil {
		s := newItemView(*d.Safety)
		v.Safety = &s
	}
	for _, r := range d.Resources {
		v.Resources = append(v.Resources, resourceView{Name: r.Name, Contact: r.Contact, URL: ContactURL(r.Contact)})
	}
	var alt strings.Builder
	alt.WriteString("Red flags per theme by week: ")
	v.Weeks = make([]weekView, len(d.Weeks))
	for i, w := range d.Weeks {
		if i > 0 {
			alt.WriteString("; ")
		}
		alt.WriteString(w.Label)
		alt.WriteString(": ")
		wv := weekView{Label: w.Label, Red: make([]countView, len(w.Red))}
		for j, c := range w.Red {
			wv.Red[j] = countView{Name: themes.Name(c.Theme), Color: Color(c.Theme), Count: c.Count}
			if j > 0 {
				alt.WriteString(", ")
			}
			alt.WriteString(wv.Red[j].Name)
			alt.WriteString(" ")
			alt.WriteString(strconv.Itoa(c.Count))
		}
		if len(w.Red) == 0 {
			alt.WriteString("none")
		}
		v.Weeks[i] = wv
	}
	v.ChartAlt = alt.String()
	return v
}

func newItemView(it Item) itemView {
	return itemView{Name: it.Name, Color: Color(it.Theme), CountLine: countLine(it), Weeks: it.Weeks, ManyWeeks: it.Weeks > 1, PrevCount: it.PrevCount,
		Evidence: it.Evidence, Answers: it.Answers, About: it.About}
}

func itemViews(items []Item) []itemView {
	out := make([]itemView, len(items))
	for i, it := range items {
		out[i] = newItemView(it)
	}
	return out
}
