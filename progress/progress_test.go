package progress_test

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady/progress"
)

// fakeClock is a clock the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func plain() *bool                       { b := false; return &b }
func lines(b *bytes.Buffer) []string {
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

// lockedBuffer is a terminal's stand-in for the bar tests: the bar's own
// goroutine draws into it while the test writes and reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }
func terminal() *bool      { b := true; return &b }
func reporter(out *bytes.Buffer, c *fakeClock) *progress.Reporter {
	return progress.New(out, progress.Options{Label: "imported", Now: c.now, Terminal: plain()})
}

func TestPlainLinesEveryTenthWithRateAndTimeLeft(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	r := reporter(&out, c)
	// 2,000 rows a batch, one batch a second: 2000/s.
	for done := 2_000; done <= 100_000; done += 2_000 {
		c.add(time.Second)
		r.Report(done, 100_000)
	}
	r.Finish()
	got := lines(&out)
	want := []string{
		"imported 10000 of 100000 (2000/s, about 45s left)",
		"imported 20000 of 100000 (2000/s, about 40s left)",
		"imported 30000 of 100000 (2000/s, about 35s left)",
		"imported 40000 of 100000 (2000/s, about 30s left)",
		"imported 50000 of 100000 (2000/s, about 25s left)",
		"imported 60000 of 100000 (2000/s, about 20s left)",
		"imported 70000 of 100000 (2000/s, about 15s left)",
		"imported 80000 of 100000 (2000/s, about 10s left)",
		"imported 90000 of 100000 (2000/s, about 5s left)",
		"imported 100000 of 100000 (2000/s, took 50s)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlainLinesEveryFewSecondsWhenSlow(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	r := reporter(&out, c)
	// 1 of 1,000 a second: a tenth takes 100 s, so a line comes every 5 s.
	for done := 1; done <= 12; done++ {
		c.add(time.Second)
		r.Report(done, 1_000)
	}
	got := lines(&out)
	want := []string{
		"imported 5 of 1000 (1.0/s, about 16m35s left)",
		"imported 10 of 1000 (1.0/s, about 16m30s left)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Stopped short (an error): Finish says where.
	r.Finish()
	if got := lines(&out); got[len(got)-1] != "imported 12 of 1000 (1.0/s, about 16m28s left)" {
		t.Fatalf("after Finish: %q", got)
	}
	r.Finish()
	r.Report(20, 1_000)
	if n := len(lines(&out)); n != 3 {
		t.Errorf("%d lines after a second Finish and a late Report", n)
	}
}

func TestTotalMayGrowAndNothingDoneSaysNothing(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	r := reporter(&out, c)
	r.Finish()
	if out.Len() != 0 {
		t.Fatalf("nothing done printed %q", out.String())
	}
	r = reporter(&out, c)
	c.add(2 * time.Second)
	r.Report(50, 100)
	c.add(2 * time.Second)
	r.Report(100, 400) // a fifth of the new total: past the last line's tenth
	c.add(time.Second)
	r.Report(110, 400) // not another tenth, and too soon
	want := []string{"imported 50 of 100 (25/s, about 2s left)", "imported 100 of 400 (25/s, about 12s left)"}
	if got := lines(&out); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestTerminalDrawsABar(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	r := progress.New(&out, progress.Options{Label: "imported", Terminal: terminal()})
	r.Report(50, 100)
	r.Report(100, 100)
	r.Finish()
	s := out.String()
	if !strings.Contains(s, "imported") || !strings.Contains(s, "100/100") || !strings.Contains(s, "\r") {
		t.Fatalf("bar output %q", s)
	}
}

func TestIsTerminal(t *testing.T) {
	t.Parallel()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progress.IsTerminal(f) || progress.IsTerminal(&bytes.Buffer{}) {
		t.Error("a file or a buffer taken for a terminal")
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		300 * time.Millisecond:                       "under a second",
		38 * time.Second:                             "38s",
		250 * time.Second:                            "4m10s",
		2*time.Hour + 5*time.Minute + 20*time.Second: "2h05m",
	} {
		if got := progress.Duration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}

func TestAboveKeepsTheCommandsLinesOffTheBar(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	r := progress.New(&out, progress.Options{Label: "summaries", Terminal: terminal()})
	r.Report(1, 4)
	r.Above(func() { out.WriteString("subscriber 1: sent\n") })
	s := out.String()
	i := strings.Index(s, "subscriber 1: sent\n")
	if i < 0 || !strings.Contains(s[i:], "(1/4") {
		t.Fatalf("no bar drawn again after the line: %q", s)
	}
	// The line starts on a cleared line, not after the bar's text.
	if before := s[:i]; !strings.HasSuffix(before, "\r") {
		t.Errorf("the line was written after the bar without clearing it: %q", s)
	}

	var plainOut bytes.Buffer
	p := progress.New(&plainOut, progress.Options{Label: "summaries", Terminal: plain()})
	p.Above(func() { plainOut.WriteString("subscriber 1: sent\n") })
	if plainOut.String() != "subscriber 1: sent\n" {
		t.Errorf("plain: %q", plainOut.String())
	}
}
