// Package progress shows how far a long command has got: on a terminal a
// bar with N of M, the rate and the time left (schollz/progressbar);
// otherwise (a log file, a pipe, cron's mail) plain lines, at most one
// every few seconds or every tenth of the way, such as
//
//	imported 20000 of 100000 (2100/s, about 38s left)
//
// The plain lines' rate and time left come from the clock given, so they
// can be tested without sleeping.
package progress

import (
	"cmp"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// DefaultEvery is how often a plain line is printed at most, unless a
// tenth of the way was covered sooner.
const DefaultEvery = 5 * time.Second

// Options configure a Reporter.
type Options struct {
	// Label starts each line: what is being done, e.g. "imported".
	Label string
	// Unit is what is counted, for the bar's rate ("rows" makes
	// "rows/s"; "it" if empty).
	Unit string
	// Now is the clock of the plain lines' rate and time left
	// (time.Now if nil).
	Now func() time.Time
	// Every is the most time between plain lines (DefaultEvery if 0).
	Every time.Duration
	// Terminal, if not nil, says whether out is a terminal instead of
	// asking (term.IsTerminal on its file descriptor).
	Terminal *bool
}

// Reporter reports progress to one output. Not safe for concurrent use.
type Reporter struct {
	out      io.Writer
	opts     Options
	now      func() time.Time
	start    time.Time
	bar      *progressbar.ProgressBar
	total    int64
	done     int64
	lastAt   time.Time
	lastTen  int64 // tenths of the way reached at the last line
	lastDone int64 // done at the last line
	finished bool
}

// New reports on out. On a terminal it draws a bar; otherwise it prints
// plain lines.
func New(out io.Writer, opts Options) *Reporter {
	r := &Reporter{out: out, opts: opts, now: opts.Now}
	if r.now == nil {
		r.now = time.Now
	}
	r.start = r.now()
	r.lastAt = r.start
	if opts.Terminal != nil && *opts.Terminal || opts.Terminal == nil && IsTerminal(out) {
		r.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription(opts.Label),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(cmp.Or(opts.Unit, "it")),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionFullWidth(),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(out) }),
		)
	}
	return r
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// Report says done of total are done. total may change between calls
// (work found on the way); done never goes back. Call it once a batch or
// an item that takes a while, not once a cheap row: on a terminal every
// call redraws the bar.
func (r *Reporter) Report(done, total int) {
	if r.finished {
		return
	}
	if int64(total) != r.total && total > 0 {
		// Tenths of the new total: the last line's count, measured again.
		r.lastTen = 10 * r.lastDone / int64(total)
	}
	r.done, r.total = int64(done), int64(total)
	if r.bar != nil {
		if r.bar.GetMax64() != r.total {
			r.bar.ChangeMax64(r.total)
		}
		_ = r.bar.Set64(r.done) // a write error to the terminal is not the command's failure
		if r.done >= r.total {
			r.finished = true
		}
		return
	}
	now := r.now()
	ten := int64(0)
	if r.total > 0 {
		ten = 10 * r.done / r.total
	}
	complete := r.total > 0 && r.done >= r.total
	if !complete && ten <= r.lastTen && now.Sub(r.lastAt) < cmp.Or(r.opts.Every, DefaultEvery) {
		return
	}
	r.lastAt, r.lastTen, r.lastDone = now, ten, r.done
	fmt.Fprintln(r.out, r.line(now))
	if complete {
		r.finished = true
	}
}

// line is the plain line for now.
func (r *Reporter) line(now time.Time) string {
	s := fmt.Sprintf("%s %d of %d", r.opts.Label, r.done, r.total)
	secs := now.Sub(r.start).Seconds()
	if secs <= 0 || r.done == 0 {
		return s
	}
	rate := float64(r.done) / secs
	if r.done >= r.total {
		return s + fmt.Sprintf(" (%s/s, took %s)", rateString(rate), Duration(now.Sub(r.start)))
	}
	left := time.Duration(float64(r.total-r.done) / rate * float64(time.Second))
	return s + fmt.Sprintf(" (%s/s, about %s left)", rateString(rate), Duration(left))
}

// Above runs print, which writes a line of the command's own, so that it
// shows above the bar instead of through it: the bar is cleared first and
// drawn again after. Without a bar it just runs print.
func (r *Reporter) Above(print func()) {
	if r.bar == nil || r.finished || !r.bar.IsStarted() {
		print()
		return
	}
	_ = r.bar.Clear()
	print()
	_ = r.bar.RenderBlank()
}

// Finish ends the report: the bar's line is ended, and a plain report
// that stopped short prints where it stopped.
func (r *Reporter) Finish() {
	if r.finished {
		return
	}
	r.finished = true
	if r.bar != nil {
		if r.done > 0 {
			fmt.Fprintln(r.out)
		}
		return
	}
	if r.done != r.lastDone {
		fmt.Fprintln(r.out, r.line(r.now()))
	}
}

func rateString(rate float64) string {
	if rate < 10 {
		return fmt.Sprintf("%.1f", rate)
	}
	return fmt.Sprintf("%.0f", rate)
}

// Duration is d rounded for people: "38s", "4m10s", "2h5m".
func Duration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "under a second"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Round(time.Second).Seconds()))
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
