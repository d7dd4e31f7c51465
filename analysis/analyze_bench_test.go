package analysis

import (
	"strings"
	"testing"

	"github.com/steadyapp/steady/cputime"
	"github.com/steadyapp/steady/themes"
)

// go test ./analysis -run '^$' -bench . -benchtime=2s -cpu=1 -benchmem
func BenchmarkAnalyze(b *testing.B) {
	short := "2 - he cancelled again"
	long := "Dear Steady, it has been a long month. He promised he would come to my sister's wedding and then didn't show up. " +
		"When I tried to bring it up he shut me out and wouldn't talk to me for two days. I don't know what to think anymore, " +
		"but he did stand up for me when his mum started on me at dinner, and we laughed about it later."
	b.Run("short", func(b *testing.B) {
		start := cputime.Used()
		for b.Loop() {
			Analyze(short, themes.KeepingWord)
		}
		if cpu := cputime.Used() - start; cpu > 0 {
			b.ReportMetric(float64(b.N)/cpu.Seconds(), "replies/cpu-s")
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

// Every tuning reply once per op, mostly short answers and SMS-length
// texts; replies/s is the throughput per core with -cpu=1.
func BenchmarkAnalyzeTuningSet(b *testing.B) {
	set := loadLabelled(b, "testdata/labelled.jsonl")
	start := cputime.Used()
	for b.Loop() {
		for _, l := range set {
			Analyze(l.Text, l.Theme)
		}
	}
	n := float64(b.N) * float64(len(set))
	b.ReportMetric(n/b.Elapsed().Seconds(), "replies/s")
	if cpu := cputime.Used() - start; cpu > 0 {
		b.ReportMetric(n/cpu.Seconds(), "replies/cpu-s")
	}
}
