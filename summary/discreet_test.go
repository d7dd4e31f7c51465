package summary

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

// relationshipWords must not show where a lock screen or an inbox preview
// shows a discreet subscriber's summary or note.
var relationshipWords = []string{"relationship", "partner", "reflection", "summary", "safety", "unsafe", "abuse",
	"violence", "danger", "hotline", "helpline", "refuge", "hurt", "threat", "theme", "steady"}

func neutral(t *testing.T, what, s string, extra ...string) {
	t.Helper()
	lower := strings.ToLower(s)
	for _, w := range append(relationshipWords, extra...) {
		if strings.Contains(lower, strings.ToLower(w)) {
			t.Errorf("%s %q says %q", what, s, w)
		}
	}
}

var summaryPreheaderRE = regexp.MustCompile(`<div style="display:none[^>]*>([^<]*)</div>`)

// A discreet subscriber's summary: a neutral subject, preview line, first
// text line and text message; golden files show all of it.
func TestDiscreetSummary(t *testing.T) {
	t.Parallel()
	links := Links{PageURL: "https://steady.example/summary?t=token", ChartSrc: "cid:" + ChartContentID,
		UnsubscribeURL: "https://steady.example/unsubscribe?t=token", SettingsURL: "https://steady.example/settings?t=token"}
	for _, c := range []struct {
		name string
		d    Data
	}{
		{"november", Build(Month{2026, time.November}, london, month, nil)},
		{"nudge", Build(Month{2026, time.December}, london, month, nil)},
	} {
		c.d.Discreet, c.d.Program = true, "Harbor"
		r, err := mustRenderer(t).Render(c.d, links)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, c.name+".discreet.txt", r.Subject+"\n\n"+r.Text)
		golden(t, c.name+".discreet.html", r.HTML)
		golden(t, c.name+".discreet.sms", r.SMS+"\n")
		neutral(t, c.name+" subject", r.Subject)
		first, _, _ := strings.Cut(r.Text, "\n")
		neutral(t, c.name+" first line", first)
		pre := summaryPreheaderRE.FindStringSubmatch(r.HTML)
		if pre == nil {
			t.Fatalf("%s: no preheader", c.name)
		}
		neutral(t, c.name+" preheader", pre[1])
		if want := "Your " + strings.Fields(c.d.Title)[0] + " check-in is ready. " + links.PageURL; r.SMS != want {
			t.Errorf("%s: SMS %q, want %q", c.name, r.SMS, want)
		}
	}
}

// A discreet subscriber's safety note names no helpline and speaks of no
// danger in its subject or opening lines; the resources come lower down.
func TestDiscreetSafetyNote(t *testing.T) {
	t.Parallel()
	res, _ := ResourcesFor("uk")
	var names []string
	for _, r := range res {
		names = append(names, r.Name)
	}
	sub := steady.Subscriber{Channel: steady.ChannelEmail, Address: "a@example.org", Preferences: steady.Preferences{Discreet: true}}
	mail := SafetyMessage(sub, "Harbor", res, "https://s.example/unsubscribe?t=x", "")
	golden(t, "safety.email.discreet", "Subject: "+mail.Subject+"\n\n"+mail.Text)
	neutral(t, "subject", strings.ReplaceAll(mail.Subject, "Harbor", ""), names...)
	lines := strings.SplitN(mail.Text, "\n", 4)
	neutral(t, "opening lines", strings.Join(lines[:3], "\n"), names...)
	// The opening fills the preview an inbox shows (about 140 characters).
	if i := strings.Index(mail.Text, "unsafe"); i < 140 {
		t.Errorf("safety words start at character %d: %q", i, mail.Text)
	}
	for _, r := range res {
		if !strings.Contains(mail.Text, r.Contact) {
			t.Errorf("the note lacks %s", r.Contact)
		}
	}
	sub.Channel, sub.Address = steady.ChannelSMS, "+447700900123"
	sms := SafetyMessage(sub, "Harbor", res, "https://s.example/unsubscribe?t=x", "")
	golden(t, "safety.sms.discreet", sms.Text+"\n")
	neutral(t, "text", strings.ReplaceAll(sms.Text, "Harbor", ""), append(names, "confidence")...)
	if !strings.HasPrefix(sms.Text, "Harbor: ") || smsSegments(sms.Text) > 2 {
		t.Errorf("text %q", sms.Text)
	}
}

// The programme's name is used everywhere; "Steady" appears nowhere when
// it is renamed.
func TestSummaryProgramName(t *testing.T) {
	t.Parallel()
	res, _ := ResourcesFor("uk")
	d := Build(Month{2026, time.November}, london, month, nil)
	d.Program = "Harbor"
	r, err := mustRenderer(t).Render(d, Links{PageURL: "https://h.example/summary?t=x", ChartSrc: "cid:" + ChartContentID, UnsubscribeURL: "https://h.example/u"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := mustRenderer(t).Render(d, Links{ChartSrc: "/c.png", Page: true, LeaveURL: DefaultLeaveURL})
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []steady.Subscriber{{Channel: steady.ChannelEmail, Address: "a@example.org"}, {Channel: steady.ChannelSMS, Address: "+447700900123"}} {
		m := SafetyMessage(sub, "Harbor", res, "https://h.example/u", "")
		r.Text += m.Subject + m.Text
	}
	for what, s := range map[string]string{"subject": r.Subject, "text": r.Text, "html": r.HTML, "sms": r.SMS, "page": page.HTML} {
		if strings.Contains(s, "Steady") {
			t.Errorf("the %s says Steady:\n%s", what, s)
		}
	}
	if !strings.Contains(page.HTML, `id="leave-quickly" href="`+DefaultLeaveURL+`" rel="noreferrer" aria-label=`) || !strings.Contains(page.HTML, "/static/leave.js") {
		t.Errorf("the summary page has no Leave quickly button:\n%s", page.HTML)
	}
	if strings.Contains(r.HTML, "leave-quickly") {
		t.Error("the summary email carries the page's Leave quickly button")
	}
	if !strings.Contains(r.Subject, "Harbor") || !strings.Contains(r.SMS, "Harbor") {
		t.Errorf("subject %q, SMS %q: no programme name", r.Subject, r.SMS)
	}
}
