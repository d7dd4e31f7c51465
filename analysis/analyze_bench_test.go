package analysis

import (
	"github.com/steadyapp/steady/themes"
	"strings"
	"testing"
)

// go test ./themes -bench Analyze -benchmem
func BenchmarkAnalyze(b *testing.B) {
	short := "2 - he cancelled again"
	long := "Dear Steady, it has been a long month. He promised he would come to my sister's wedding and then didn't show up. " +
		"When I tried to bring it up he shut me out and wouldn't talk to me for two days. I don't know what to think anymore, " +
		"but he did stand up for me when his mum started on me at dinner, and we laughed about it later."
	b.Run("short", func(b *testing.B) {
		for b.Loop() {
			Analyze(short, themes.KeepingWord)
		}
	})
	b.Run("long", func(b *testing.B) {
		for b.Loop() {
			Analyze(long, "")
		}
	})
}

// The longest reply Steady keeps, with no punctuation at all.
func BenchmarkAnalyzeLongest(b *testing.B) {
	text := strings.Repeat("he lied and i lied and we talked ", 20000/33)
	for b.Loop() {
		Analyze(text, themes.Honesty)
	}
}
