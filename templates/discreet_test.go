package templates

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	steady "github.com/steadyapp/steady"
)

// TestComposeDiscreetGolden shows every message in discreet mode.
func TestComposeDiscreetGolden(t *testing.T) {
	t.Parallel()
	c := setup(t)
	// KindAgain is a confirmation to a subscriber already active (a repeat
	// sign-up), which is sent their settings link.
	// KindMove and KindNotice are confirm deliveries marked by their
	// prompt id: a move's confirmation to the new address, and the short
	// notice after a change on the settings page.
	for _, kind := range []steady.Kind{steady.KindConfirm, KindAgain, KindMove, KindNotice, steady.KindPrompt, steady.KindGoodbye} {
		for _, ch := range []steady.Channel{steady.ChannelEmail, steady.ChannelSMS} {
			name := fmt.Sprintf("%s.%s.discreet", kind, ch)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				sub := testSubscriber(ch)
				sub.Discreet = true
				compose := kind // the subtests of one kind share kind: never change it
				promptID := ""
				switch kind {
				case steady.KindConfirm:
					sub.Status = steady.StatusPending
				case KindAgain:
					compose = steady.KindConfirm
				case KindMove:
					compose, promptID = steady.KindConfirm, steady.MovePromptID
				case KindNotice:
					compose, promptID = steady.KindConfirm, steady.NoticePromptID
					sub.NextSlot = time.Date(2026, 3, 5, 20, 30, 0, 0, time.UTC)
				}
				d := testDelivery(compose, ch)
				if promptID != "" {
					d.PromptID = promptID
				}
				m, err := c.Compose(d, sub)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, name, dump(m))
			})
		}
	}
}

var wordRE = regexp.MustCompile(`[a-z]+`)

// themeWords are the words of the prompt catalogue (every prompt's text,
// every theme's id, name and summary) a lock screen must never show, with
// the everyday words any sentence has left out; plus the words that name
// what the programme is about.
func themeWords(t *testing.T, c *Composer) map[string]bool {
	t.Helper()
	common := map[string]bool{}
	// Everyday words any message has, which the catalogue happens to use
	// too ("check" as in "check in on you", "steady" as the default
	// programme name): they say nothing about what the prompts ask.
	everyday := "a an and are as at be by can did do does for from had has have how i if in is it me my of on or so than that the then they this to was were what when who with you your yes no " +
		"add answer anything asked care check each every get help mind more never not out say steady take them there want words yourself step left"
	for _, w := range strings.Fields(everyday) {
		common[w] = true
	}
	words := map[string]bool{"relationship": true, "relationships": true, "partner": true, "reflection": true, "reflections": true, "reflect": true}
	add := func(s string) {
		for _, w := range wordRE.FindAllString(strings.ToLower(s), -1) {
			if !common[w] && len(w) > 2 {
				words[w] = true
			}
		}
	}
	for _, p := range c.Set.Catalog().Prompts() {
		add(p.Text)
	}
	for _, th := range c.Set.Catalog().Themes() {
		add(th.ID + " " + th.Name + " " + th.Summary)
	}
	if len(words) < 50 {
		t.Fatalf("only %d catalogue words: the catalogue did not load", len(words))
	}
	return words
}

// spoken returns the catalogue words in s, ignoring URLs.
func spoken(s string, words map[string]bool) []string {
	var found []string
	for _, f := range strings.Fields(s) {
		if strings.Contains(f, "://") {
			continue
		}
		for _, w := range wordRE.FindAllString(strings.ToLower(f), -1) {
			if words[w] {
				found = append(found, w)
			}
		}
	}
	return found
}

// In discreet mode a text prompt is exactly the neutral line and the reply
// page's link, for every prompt in the catalogue: none of its words, and
// no past words even when resurfacing is on.
func TestDiscreetSMSPromptIsNeutral(t *testing.T) {
	t.Parallel()
	c := setup(t)
	c.Past = fixedPast{Past{Text: "He made me laugh all evening.", When: "on 3 October", StopURL: "https://steady.example/past-words?t=PAST"}}
	words := themeWords(t, c)
	sub := testSubscriber(steady.ChannelSMS)
	sub.Discreet, sub.Resurface = true, true
	for _, p := range c.Set.Catalog().Prompts() {
		d := testDelivery(steady.KindPrompt, steady.ChannelSMS)
		d.PromptID, d.Theme, d.PromptText = p.ID, p.Theme, p.Text
		m, err := c.Compose(d, sub)
		if err != nil {
			t.Fatal(err)
		}
		if want := "Your check-in is ready: https://steady.example/reply?t=REPLYTOKEN"; m.Text != want {
			t.Fatalf("%s: text = %q, want %q", p.ID, m.Text, want)
		}
		if w := spoken(m.Text, words); len(w) > 0 {
			t.Errorf("%s: the neutral line speaks catalogue words %q", p.ID, w)
		}
	}
}

var preheaderRE = regexp.MustCompile(`<div style="display:none[^>]*>([^&<]*)`)

// In discreet mode what an inbox shows of an email (subject and preview
// line, and the text part's first line) speaks no catalogue word, and
// the confirmation and text messages speak none at all.
func TestDiscreetPreviewsAreNeutral(t *testing.T) {
	t.Parallel()
	c := setup(t)
	words := themeWords(t, c)
	for _, kind := range []steady.Kind{steady.KindConfirm, KindAgain, steady.KindPrompt, steady.KindGoodbye} {
		for _, ch := range []steady.Channel{steady.ChannelEmail, steady.ChannelSMS} {
			sub := testSubscriber(ch)
			sub.Discreet = true
			name := fmt.Sprintf("%s.%s", kind, ch)
			switch kind {
			case steady.KindConfirm:
				sub.Status = steady.StatusPending
			case KindAgain:
				kind = steady.KindConfirm
			}
			m, err := c.Compose(testDelivery(kind, ch), sub)
			if err != nil {
				t.Fatal(err)
			}
			if ch == steady.ChannelSMS {
				if w := spoken(m.Text, words); len(w) > 0 {
					t.Errorf("%s: the text speaks catalogue words %q: %q", name, w, m.Text)
				}
				continue
			}
			pre := preheaderRE.FindStringSubmatch(m.HTML)
			if pre == nil {
				t.Fatalf("%s: no hidden preheader in the HTML", name)
			}
			first, _, _ := strings.Cut(m.Text, "\n")
			for part, s := range map[string]string{"subject": m.Subject, "preheader": pre[1], "first line": first} {
				if w := spoken(s, words); len(w) > 0 {
					t.Errorf("%s: the %s %q speaks catalogue words %q", name, part, s, w)
				}
			}
			if kind == steady.KindConfirm && !strings.HasPrefix(name, "again") {
				if w := spoken(m.Text, words); len(w) > 0 {
					t.Errorf("%s: the confirmation speaks catalogue words %q", name, w)
				}
			}
		}
	}
	sub := testSubscriber(steady.ChannelEmail)
	sub.Discreet = true
	m, err := c.Compose(testDelivery(steady.KindPrompt, steady.ChannelEmail), sub)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Your check-in" || !strings.HasPrefix(m.Text, "A new check-in is ready.\n") {
		t.Errorf("subject %q, text starts %q", m.Subject, m.Text[:40])
	}
}

// An operator's override written before discreet mode (it never reads
// .Discreet) is not used for a discreet subscriber, whose text would show
// the question on a lock screen; one that reads .Discreet is.
func TestOverrideWithoutDiscreet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "prompt.sms.tmpl", `{{define "text"}}Custom: {{.PromptText}} {{.ReplyURL}}{{end}}`)
	writeFile(t, dir, "confirm.sms.tmpl", `{{define "text"}}{{if .Discreet}}Quiet confirm{{else}}Loud confirm{{end}}{{end}}`)
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := &Composer{Set: s, Links: fakeLinks{}}
	sub := testSubscriber(steady.ChannelSMS)
	compose := func(kind steady.Kind) string {
		t.Helper()
		m, err := c.Compose(testDelivery(kind, steady.ChannelSMS), sub)
		if err != nil {
			t.Fatal(err)
		}
		return m.Text
	}
	if got := compose(steady.KindPrompt); !strings.HasPrefix(got, "Custom: ") {
		t.Errorf("the override is not used for everyone else: %q", got)
	}
	sub.Discreet = true
	if got, want := compose(steady.KindPrompt), "Your check-in is ready: https://steady.example/reply?t=REPLYTOKEN"; got != want {
		t.Errorf("discreet prompt with an old override = %q, want %q", got, want)
	}
	sub.Status = steady.StatusPending // a confirmation to an active one is KindAgain
	if got := compose(steady.KindConfirm); got != "Quiet confirm" {
		t.Errorf("an override that reads .Discreet was not used: %q", got)
	}
}
