package summary

import (
	"testing"
	"time"

	"github.com/steadyapp/steady/analysis"
)

// BenchmarkRender renders a month's summary (text and HTML) as the email
// carries it.
func BenchmarkRender(b *testing.B) {
	r, err := NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	d := Build(Month{2026, time.November}, london, month, nil)
	l := Links{PageURL: "https://steady.example/summary?t=token", ChartSrc: "cid:" + ChartContentID,
		UnsubscribeURL: "https://steady.example/unsubscribe?t=token", SettingsURL: "https://steady.example/settings?t=token"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(d, l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild builds a month's summary from replies whose flags were
// stored when they arrived, as the summary pass reads them.
func BenchmarkBuild(b *testing.B) {
	entries := make([]Entry, len(month))
	for i, e := range month {
		e.Flags, e.Analyzed = analysis.Analyze(e.Text, e.Theme), true
		entries[i] = e
	}
	b.ReportAllocs()
	for b.Loop() {
		Build(Month{2026, time.November}, london, entries, nil)
	}
}
