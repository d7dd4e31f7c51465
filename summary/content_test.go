package summary

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/themes"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var london = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func day(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, london) }

// month is a realistic month of replies (November 2026) and a few from
// October for the trend.
var month = []Entry{
	{At: day(10, 6, 20), Theme: themes.Honesty, Text: "no, he lied about the weekend"},
	{At: day(10, 14, 20), Theme: themes.Trust, Text: "3"},
	{At: day(11, 2, 20), Theme: themes.Honesty, Text: "Nope. He told me he was at work but he was at his brother's."},
	{At: day(11, 4, 20), Theme: themes.KeepingWord, Text: "2 - he cancelled dinner again"},
	{At: day(11, 6, 20), Theme: themes.Friendship, Text: "yes, we laughed all evening"},
	{At: day(11, 9, 20), Theme: themes.HasYourBack, Text: "not once did he take my side when his mum started on me"},
	{At: day(11, 12, 20), Theme: themes.Honesty, Text: "he lies about small things, like where the money went"},
	{At: day(11, 16, 20), Theme: themes.Dependability, Text: "he was there for me when I was ill"},
	{At: day(11, 18, 20), Theme: themes.KeepingWord, Text: "no he bailed on the weekend plans"},
	{At: day(11, 20, 20), Theme: themes.Confiding, Text: "I can tell him anything, he listened"},
	{At: day(11, 23, 20), Theme: themes.Distancing, Text: "maybe he's just tired but he's been distant"},
	{At: day(11, 27, 20), Theme: themes.HasYourBack, Text: "he sided with his sister again"},
	{At: day(11, 30, 20), Theme: themes.Trust, Text: "4",
		Prompt: "From 1 (not at all) to 5 (completely), how much do you trust your partner right now? Why?"},
}

func TestBuild(t *testing.T) {
	t.Parallel()
	d := Build(Month{2026, time.November}, london, month, nil)
	if d.Replies != 11 || d.Nudge || d.Safety != nil {
		t.Fatalf("replies %d, nudge %v, safety %v", d.Replies, d.Nudge, d.Safety)
	}
	var got []string
	for _, it := range d.Recurring {
		got = append(got, it.Theme)
	}
	// honesty 2 replies in 2 weeks, keeping_word 2 in 2 weeks, has_your_back 2 in 2 weeks; distancing once.
	if strings.Join(got, ",") != "honesty,keeping_word,has_your_back" {
		t.Errorf("recurring = %v", got)
	}
	if d.Recurring[0].PrevCount != 1 || d.Recurring[0].Count != 2 || d.Recurring[0].Weeks != 2 {
		t.Errorf("honesty = %+v", d.Recurring[0])
	}
	if !strings.Contains(d.Recurring[0].Evidence[0], "He told me he was at work") {
		t.Errorf("evidence = %q", d.Recurring[0].Evidence)
	}
	if strings.Join(d.Once, ",") != "Distancing" {
		t.Errorf("once = %v", d.Once)
	}
	if d.Trend.Red != 7 || d.Trend.PrevRed != 1 || d.Trend.PrevReplies != 2 {
		t.Errorf("trend = %+v", d.Trend)
	}
	if len(d.Weeks) != 5 || d.Weeks[0].Label != "1-7 Nov" || d.Weeks[4].Label != "29-30 Nov" {
		t.Errorf("weeks = %+v", d.Weeks)
	}
}

func TestBuildNoReplies(t *testing.T) {
	t.Parallel()
	d := Build(Month{2026, time.December}, london, month, nil)
	if !d.Nudge || d.Replies != 0 || len(d.Recurring) != 0 || !strings.Contains(d.Next, "December") {
		t.Errorf("%+v", d)
	}
}

func TestBuildPutsSafetyFirst(t *testing.T) {
	t.Parallel()
	res, _ := ResourcesFor("uk")
	entries := append([]Entry{{At: day(11, 20, 21), Theme: "", Text: "he pushed me and I'm scared of him"}}, month...)
	d := Build(Month{2026, time.November}, london, entries, res)
	if d.Safety == nil || d.Safety.Count != 1 || len(d.Resources) != len(res) {
		t.Fatalf("safety %+v resources %v", d.Safety, d.Resources)
	}
	r, err := mustRenderer(t).Render(d, Links{PageURL: "https://steady.example/summary?t=x", ChartSrc: "cid:" + ChartContentID})
	if err != nil {
		t.Fatal(err)
	}
	if i, j := strings.Index(r.Text, "First, your safety"), strings.Index(r.Text, "Red flags that came back"); i < 0 || j < i {
		t.Errorf("safety is not first:\n%s", r.Text)
	}
	if !strings.Contains(r.HTML, "0808 2000 247") {
		t.Error("resources missing from HTML")
	}
	for _, word := range []string{"safety", "scared", "pushed", "hurt", "abuse", "danger", "violence"} {
		if strings.Contains(strings.ToLower(r.Subject), word) || strings.Contains(strings.ToLower(r.SMS), word) {
			t.Errorf("subject %q or SMS %q shows %q", r.Subject, r.SMS, word)
		}
	}
}

func mustRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./summary -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	links := Links{PageURL: "https://steady.example/summary?t=token", ChartSrc: "cid:" + ChartContentID,
		UnsubscribeURL: "https://steady.example/unsubscribe?t=token", SettingsURL: "https://steady.example/settings?t=token"}
	uk, _ := ResourcesFor("uk")
	scared := append(slices.Clone(month), Entry{At: day(11, 24, 21), Theme: themes.Distancing,
		Text: "he threatened me last night and I was scared to go home"})
	page := Links{PageURL: links.PageURL, ChartSrc: "/summary/chart.png?t=token", Page: true, LeaveURL: "https://www.bbc.co.uk/weather"}
	for _, c := range []struct {
		name  string
		d     Data
		links Links
	}{
		{"november", Build(Month{2026, time.November}, london, month, nil), links},
		{"nudge", Build(Month{2026, time.December}, london, month, nil), links},
		// The safety section with the resources, in the email and on the
		// web page.
		{"safety", Build(Month{2026, time.November}, london, scared, uk), links},
		{"safety.page", Build(Month{2026, time.November}, london, scared, uk), page},
	} {
		r, err := mustRenderer(t).Render(c.d, c.links)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, c.name+".txt", r.Subject+"\n\n"+r.Text)
		golden(t, c.name+".html", r.HTML)
		golden(t, c.name+".sms", r.SMS+"\n")
		if n := smsSegments(r.SMS); n > 2 {
			t.Errorf("%s: SMS is %d segments: %q", c.name, n, r.SMS)
		}
	}
}

// smsSegments is how many SMS segments text takes (the SMS channel's own count).
func smsSegments(text string) int {
	_, n := messages.Segments(text)
	return n
}

func TestSMSFitsTwoSegmentsWithALongLink(t *testing.T) {
	t.Parallel()
	d := Build(Month{2026, time.September}, london, nil, nil)
	d.Title, d.Nudge = "September 2026", false
	d.Recurring = make([]Item, 9)
	url := "https://steady.example.org/summary?t=" + strings.Repeat("a", 40)
	if n := smsSegments(SMS(d, url)); n > 2 {
		t.Errorf("%d segments: %q", n, SMS(d, url))
	}
}

func TestChartDecodes(t *testing.T) {
	t.Parallel()
	d := Build(Month{2026, time.November}, london, month, nil)
	b, err := Chart(d)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got.X != ChartWidth || got.Y != ChartHeight {
		t.Errorf("chart is %v, want %dx%d", got, ChartWidth, ChartHeight)
	}
	// The first week's bar (honesty, keeping_word) is drawn in their colours.
	found := map[string]bool{}
	for y := range ChartHeight {
		for x := range ChartWidth {
			r, g, b, _ := img.At(x, y).RGBA()
			for th, c := range themeColors {
				if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(b>>8) == c.B {
					found[th] = true
				}
			}
		}
	}
	for _, th := range []string{themes.Honesty, themes.KeepingWord, themes.HasYourBack, themes.Distancing} {
		if !found[th] {
			t.Errorf("no %s bar in the chart", th)
		}
	}
	if found[themes.Safety] {
		t.Error("safety drawn but never flagged")
	}
}

func TestSafetyMessageIsShortAndCalm(t *testing.T) {
	t.Parallel()
	for _, country := range Countries() {
		res, ok := ResourcesFor(country)
		if !ok || len(res) == 0 {
			t.Fatalf("%s: no resources", country)
		}
		sms := SafetyMessage(steady.Subscriber{Channel: steady.ChannelSMS, Address: "+15550100"}, "", res, "https://s.example/unsubscribe?t=x", "mailto:s+u-x@s.example?subject=unsubscribe")
		if n := smsSegments(sms.Text); n > 2 || !strings.Contains(sms.Text, res[0].Contact) {
			t.Errorf("%s: SMS %d segments: %q", country, n, sms.Text)
		}
		mail := SafetyMessage(steady.Subscriber{Channel: steady.ChannelEmail, Address: "a@example.org"}, "", res, "https://s.example/unsubscribe?t=x", "mailto:s+u-x@s.example?subject=unsubscribe")
		for _, r := range res {
			if !strings.Contains(mail.Text, r.Contact) {
				t.Errorf("%s: email lacks %q", country, r.Contact)
			}
		}
		preview := strings.ToLower(mail.Subject + " " + sms.Text[:min(len(sms.Text), 90)])
		for _, word := range []string{"abuse", "violence", "danger", "unsafe", "hurt", "hit", "threat"} {
			if strings.Contains(preview, word) {
				t.Errorf("%s: subject or SMS preview shows %q: %q", country, word, preview)
			}
		}
	}
}

func TestPluralAndReplyCount(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{1: "1 reply", 4: "4 replies", 0: "0 replies"} {
		if got := plural(n, "reply"); got != want {
			t.Errorf("plural(%d, reply) = %q, want %q", n, got, want)
		}
	}
	if got := plural(2, "day"); got != "2 days" {
		t.Errorf("plural(2, day) = %q", got)
	}
	d := Data{Title: "November 2026", Replies: 4}
	if got := SMS(d, ""); !strings.Contains(got, "(4 replies)") {
		t.Errorf("SMS: %q", got)
	}
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Render(Data{Title: "November 2026", Replies: 4, Recurring: []Item{{Theme: "honesty", Name: "Honesty", Count: 2}}}, Links{})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{out.Text, out.HTML} {
		if strings.Contains(body, "answered 4 prompts") || !strings.Contains(body, "You sent 4 replies this month") {
			t.Errorf("reply count wording:\n%s", body)
		}
	}
}
