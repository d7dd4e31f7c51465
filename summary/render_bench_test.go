package summary

import (
	"testing"
	"time"
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
