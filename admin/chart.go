package admin

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// chartDay is one day's prompts by outcome.
type chartDay struct {
	Day                   string
	Sent, Failed, Unknown int
}

// chart is the overview's bar chart: an inline SVG drawn here, and the
// same numbers as a table for screen readers.
type chart struct {
	SVG  template.HTML
	Days []chartDay
	Max  int
}

// Bar geometry, in SVG user units.
const (
	barWidth  = 10
	barGap    = 3
	barHeight = 100
)

// promptChart counts prompts per UTC day from since, for n days, and
// draws them as stacked bars: sent, then failed, then unknown on top.
func promptChart(counts []store.DayCount, since time.Time, n int) chart {
	days := make([]chartDay, n)
	index := map[string]int{}
	for i := range days {
		days[i].Day = since.AddDate(0, 0, i).Format(time.DateOnly)
		index[days[i].Day] = i
	}
	for _, dc := range counts {
		i, ok := index[dc.Day]
		if !ok || dc.Kind != steady.KindPrompt {
			continue
		}
		switch dc.Status {
		case steady.DeliverySent:
			days[i].Sent += dc.N
		case steady.DeliveryFailed:
			days[i].Failed += dc.N
		case steady.DeliveryUnknown:
			days[i].Unknown += dc.N
		}
	}
	top := 0
	for _, d := range days {
		top = max(top, d.Sent+d.Failed+d.Unknown)
	}
	width := n * (barWidth + barGap)
	var b strings.Builder
	// Decorative: the table below carries the numbers for assistive
	// technology, so the picture is hidden from it.
	b.WriteString(`<svg class="chart" aria-hidden="true" focusable="false" viewBox="0 0 ` + strconv.Itoa(width) + ` ` + strconv.Itoa(barHeight+2) + `" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">`)
	b.WriteString(`<line x1="0" x2="` + strconv.Itoa(width) + `" y1="` + strconv.Itoa(barHeight) + `" y2="` + strconv.Itoa(barHeight) + `" stroke="currentColor" stroke-opacity=".3"/>`)
	for i, d := range days {
		x := i * (barWidth + barGap)
		y := barHeight
		for _, part := range []struct {
			n     int
			color string
		}{{d.Sent, "var(--accent)"}, {d.Failed, "var(--err)"}, {d.Unknown, "var(--warn)"}} {
			if part.n == 0 || top == 0 {
				continue
			}
			h := max(1, part.n*barHeight/top)
			y -= h
			b.WriteString(`<rect x="` + strconv.Itoa(x) + `" y="` + strconv.Itoa(y) + `" width="` + strconv.Itoa(barWidth) +
				`" height="` + strconv.Itoa(h) + `" style="fill:` + part.color + `"/>`)
		}
	}
	b.WriteString(`</svg>`)
	// Only numbers and fixed text went in: nothing to escape.
	return chart{SVG: template.HTML(b.String()), Days: days, Max: top}
}
