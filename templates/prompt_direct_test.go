package templates

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	steady "github.com/steadyapp/steady"
	"github.com/steadyapp/steady/htmlesc/htmlesctest"
	"github.com/steadyapp/steady/themes"
)

var hostile = htmlesctest.Hostile()

// hostilePromptData is sample data with every string field taken from
// hostile, starting at the i-th, and the switches set by i's bits.
func hostilePromptData(i int) Data {
	k := i
	next := func() string {
		s := hostile[k%len(hostile)]
		k++
		return s
	}
	d := sampleData()
	d.ProgramName, d.Address, d.Schedule, d.TimeZone = next(), next(), next(), next()
	d.Weekday, d.PromptID, d.Theme, d.PromptText = next(), next(), next(), next()
	d.ConfirmURL, d.UnsubscribeURL, d.UnsubscribeMailto = next(), next(), next()
	d.SettingsURL, d.ReplyURL, d.ReplyAddress = next(), next(), next()
	d.Answer = []string{themes.AnswerYesNo, themes.AnswerScale, next()}[i%3]
	d.Discreet = i&4 != 0
	d.EmailReplies = i&8 != 0
	if i&16 != 0 {
		d.Past = nil
	} else {
		d.Past = &Past{Text: next(), When: next(), StopURL: next()}
	}
	return d
}

// TestDirectMatchesTemplate checks each Go renderer against its embedded
// file run as templates (text/template and html/template), byte for byte:
// on the sample data in every combination of discreet, past words, email
// replies and answer kind, and on data full of hostile values.
func TestDirectMatchesTemplate(t *testing.T) {
	t.Parallel()
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for name := range directRenderers {
		tm := set.byName[name]
		if tm == nil || tm.direct == nil {
			t.Fatalf("%s: no embedded template with a Go renderer", name)
		}
		var cases []Data
		for bits := range 16 {
			d := sampleData()
			d.Discreet, d.EmailReplies = bits&1 != 0, bits&2 != 0
			if bits&4 != 0 {
				d.Past = nil
			}
			if bits&8 != 0 {
				d.Answer = themes.AnswerScale
			}
			cases = append(cases, d)
		}
		for i := range 32 * len(hostile) {
			cases = append(cases, hostilePromptData(i))
		}
		for i, d := range cases {
			want, err := tm.execute(d)
			if err != nil {
				t.Fatalf("%s case %d: %v", name, i, err)
			}
			if got := tm.direct(d); got != want {
				t.Fatalf("%s case %d (discreet %v, past %v, email replies %v, answer %q): the Go renderer differs from the template\nsubject %q\n   want %q\ntext %q\nwant %q\nhtml %q\nwant %q",
					name, i, d.Discreet, d.Past != nil, d.EmailReplies, d.Answer, got.Subject, want.Subject, got.Text, want.Text, got.HTML, want.HTML)
			}
		}
	}
}

// TestOverrideIsExecuted checks that an operator's override of a file
// with a Go renderer is run as its template, not rendered by the Go code
// of the embedded file, while discreet subscribers, whom an override that
// never reads .Discreet does not serve, get the embedded default's.
func TestOverrideIsExecuted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := `{{define "text"}}Custom: {{.PromptText}}{{end}}`
	if err := os.WriteFile(filepath.Join(dir, "prompt.sms.tmpl"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tm := set.byName["prompt.sms.tmpl"]
	d := sampleData()
	r, err := tm.forSubscriber(false).render(d)
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Custom: "+d.PromptText {
		t.Errorf("override rendered %q", r.Text)
	}
	d.Discreet = true
	r, err = tm.forSubscriber(true).render(d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Your check-in is ready: " + d.ReplyURL; r.Text != want {
		t.Errorf("discreet subscriber got %q, want the embedded %q", r.Text, want)
	}
}

// BenchmarkComposePrompt measures composing one prompt email with the
// real links package's cost left out (fakeLinks).
func BenchmarkComposePrompt(b *testing.B) {
	set, err := Load("")
	if err != nil {
		b.Fatal(err)
	}
	c := &Composer{Set: set, Links: fakeLinks{}, EmailReplies: true}
	sub := testSubscriber(steady.ChannelEmail)
	d := testDelivery(steady.KindPrompt, steady.ChannelEmail)
	d.CreatedAt = time.Date(2026, 11, 26, 20, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Compose(d, sub); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderPrompt renders prompt.email.tmpl's sample data by its Go
// renderer (direct) and by executing its templates (templates), as
// before the renderer.
func BenchmarkRenderPrompt(b *testing.B) {
	set, err := Load("")
	if err != nil {
		b.Fatal(err)
	}
	tm := set.byName["prompt.email.tmpl"]
	d := sampleData()
	d.Past = nil
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = tm.direct(d)
		}
	})
	b.Run("templates", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tm.execute(d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
