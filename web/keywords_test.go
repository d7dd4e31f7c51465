package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestKeyword(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ body, want string }{
		// Issue 9, finding 6: each of these was stored as a reflection.
		{"STOP!", kwStop},
		{"Stop.", kwStop},
		{"stop please", kwStop},
		// Found by a black-box pass: a common short form, and the word
		// spelled out (both were stored as replies).
		{"unsub", kwStop},
		{"Unsub please", kwStop},
		{"S T O P", kwStop},
		{"s.t.o.p", kwStop},
		{"H E L P", kwHelp},
		{"I M O K", ""},
		{"Stop texting me", kwStop},
		{"OPT OUT", kwStop},
		{"ＳＴＯＰ", kwStop},
		{"s\u200btop", kwStop},
		{"stop\u200b", kwStop},

		// The stop words, alone, in any case and dress.
		{"STOP", kwStop},
		{"  stop  ", kwStop},
		{"STOPALL", kwStop},
		{"unsubscribe", kwStop},
		{"Cancel", kwStop},
		{"END", kwStop},
		{"quit", kwStop},
		{"optout", kwStop},
		{"Opt-Out", kwStop},
		{"opt‑out", kwStop}, // non-breaking hyphen
		{"revoke", kwStop},
		{"STOP!!!", kwStop},
		{"'STOP'", kwStop},
		{"stop stop stop", kwStop},
		{"STÒP", kwStop},                             // an accent
		{"S̶T̶O̶P̶", kwStop},                         // combining strikethrough
		{"𝐒𝐓𝐎𝐏", kwStop},                             // mathematical bold
		{"Ⓢⓣⓞⓟ", kwStop},                             // circled
		{"\u202eSTOP\u202c", kwStop},                 // right-to-left override
		{"\u2066stop\u2069", kwStop},                 // isolate
		{"\u200fSTOP\u200e", kwStop},                 // direction marks
		{"\ufeffSTOP", kwStop},                       // byte-order mark
		{"S\u00adTOP", kwStop},                       // soft hyphen
		{"st\u2060op", kwStop},                       // word joiner
		{"stop\ufe0f", kwStop},                       // variation selector
		{"STOP\u3164", kwStop},                       // Hangul filler
		{"🛑 STOP 🛑", kwStop},                         // emoji at the edges
		{"stop 🙏", kwStop},                           //
		{"✋🏽stop", kwStop},                           // emoji with a skin tone
		{"stop\u00a0please", kwStop},                 // no-break space
		{"stop\r\nplease", kwStop},                   //
		{"STОP", kwStop},                             // Cyrillic О among Latin letters
		{"ЅТОР", kwStop},                             // all four Cyrillic look-alikes
		{"QUİT", kwStop},                             // Turkish dotted capital I
		{"Stop. I need to think about this", kwStop}, // first word: honoured
		{"stop 停止", kwStop},

		// Starts with a stop word, or asks to stop.
		{"unsubscribe me", kwStop},
		{"Unsubscribe me from this please", kwStop},
		{"cancel my subscription", kwStop},
		{"Cancel my subscription, thank you", kwStop},
		{"end the texts", kwStop},
		{"End this", kwStop},
		{"End this now please", kwStop},
		{"quit sending me these texts", kwStop},
		{"Quit messaging me", kwStop},
		{"cancel me", kwStop},
		{"cancel, thanks", kwStop},
		{"Please STOP", kwStop},
		{"please, stop.", kwStop},
		{"Please stop texting", kwStop},
		{"Please stop texting me!", kwStop},
		{"can you stop", kwStop},
		{"Could you please cancel", kwStop},
		{"ok quit", kwStop},
		{"just end it already", ""}, // "it" is not the texts
		{"revoke my consent", kwStop},
		{"Opt out of these texts", kwStop},
		{"I want to opt out", kwStop},
		{"how do I unsubscribe?", kwStop},
		{"please opt me out", kwStop},
		{"leave me alone", kwStop},
		{"Please just leave me alone.", kwStop},
		{"don't text me", kwStop},
		{"Don’t text me anymore", kwStop}, // typographic apostrophe
		{"do not text me", kwStop},
		{"DO NOT CONTACT ME", kwStop},
		{"no more texts", kwStop},
		{"No more messages please", kwStop},
		{"remove me", kwStop},
		{"Please remove me from this list", kwStop},
		{"take me off your list", kwStop},
		{"I don't want these texts", kwStop},
		{"Can you stop sending these?", kwStop},
		{"I want you to stop texting me", kwStop},
		{"I already told you to stop texting me", kwStop},
		{"I said stop", kwStop},
		{"wrong number", kwStop},
		{"Wrong number!", kwStop},

		// Reflections that use the words: replies.
		{"I can't stop thinking about what he said", ""},
		{"We stopped talking for two days", ""},
		{"he told me to stop overreacting", ""},
		{"please stop asking about my sister", ""},
		{"End of the day he came home", ""},
		{"Quit my job today", ""},
		{"End this week with a talk", ""},
		{"Cancel the trip was the right call", ""},
		{"Stopped by her place after work", ""},
		{"stopping was hard", ""},
		{"Stop-and-go traffic, then a good dinner", ""},
		{"He said leave me alone", ""},
		{"I told him to leave me alone", ""},
		{"I wanted him to leave me alone", ""},
		{"She said don't text me after midnight", ""},
		{"My partner said no more texts at dinner", ""},
		{"We agreed no more texts after ten", ""},
		{"She tried to remove me from her life", ""},
		{"I need to stop texting", ""},
		{"I can't stop", ""},
		{"Hi, I would like to opt out of these texts please", ""}, // over shortWords, not led by a stop word
		{"I feel like I want to quit", ""},
		{"we decided to cancel", ""},
		{"Don't stop", ""},
		{"nonstop arguing", ""},
		{"s t o p", kwStop}, // spelled out: a clear request (was a reply before a black-box pass)
		{"🛑", ""},
		{"Стоп", ""}, // Russian: a word of another language
		{"alto", ""},

		// HELP, PAUSE, RESUME, START, YES, UNSTOP: whole text only.
		{"HELP", kwHelp},
		{"help?", kwHelp},
		{"¿Help?", kwHelp},
		{"ＨＥＬＰ", kwHelp},
		{"НЕLР", kwHelp}, // Cyrillic Н, Е, Р
		{"info", kwHelp},
		{"Info.", kwHelp},
		{"help me", ""},
		{"PAUSE", kwPause},
		{"pause!", kwPause},
		{"\u200bPause", kwPause},
		{"pause for a week", ""},
		{"resume", kwResume},
		{"Resume.", kwResume},
		{"START", kwStart},
		{"start!", kwStart},
		{"Start 🙂", kwStart},
		{"start over with him", ""},
		{"YES", kwYes},
		{"Yes!", kwYes},
		{"yes.", kwYes},
		{"ＹＥＳ", kwYes},
		{"YЕS", kwYes}, // Cyrillic Е
		{"yes ❤️", kwYes},
		{"yes he did", ""},
		{"YES. She stood up for me", ""},
		{"Yes, she stood by me at dinner.", ""},
		{"yes yes", ""},
		{"unstop", kwUnstop},
		{"UNSTOP!", kwUnstop},

		// Neither.
		{"", ""},
		{"   ", ""},
		{"...", ""},
		{"\u200b", ""},
		{"hello?", ""},
		{"A better week.", ""},
		{"Central", ""},
		{"Europe/London", ""},
	} {
		if got := keyword(c.body); got != c.want {
			t.Errorf("keyword(%q) = %q, want %q (normalised %q)", c.body, got, c.want, normalizeText(c.body))
		}
	}
}

func TestNormalizeText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"  Stop   texting\tme!! ", "stop texting me"},
		{"ＳＴＯＰ", "stop"},
		{"Don’t text me", "dont text me"},
		{"opt-out", "optout"},
		{"-stop-", "stop"},
		{"stop—please", "stop please"}, // an em dash separates
		{"Straße", "strasse"},
		{"ﬁne", "fine"},
		{"café", "cafe"},
		{"STОP", "stop"},
		{"ЅТОР", "stop"},
		{"Стоп", "ctoп"}, // п is not a look-alike
		{"😀😀", ""},
		{"a\u200db", "ab"},
		{"½", "1 2"},
		{"\x00STOP\x00", "stop"},
	} {
		if got := normalizeText(c.in); got != c.want {
			t.Errorf("normalizeText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSameWords(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"JOIN", "join!", true},
		{"Join now", "JOIN  NOW.", true},
		{"join", "join us", false},
		{"", "", false},
		{"!!!", "", false},
	} {
		if got := sameWords(c.a, c.b); got != c.want {
			t.Errorf("sameWords(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// FuzzKeyword: keyword never panics, normalizeText is idempotent, and a
// text and its normalised form are the same keyword.
func FuzzKeyword(f *testing.F) {
	for _, s := range []string{
		"STOP!", "Stop.", "stop please", "Stop texting me", "OPT OUT", "ＳＴＯＰ", "s\u200btop",
		"I can't stop thinking about what he said", "YES. She stood up for me", "help?",
		"ΐ\u0345", "ǅ", "ᴬ", "İ", "ᄀ'ᅡ", "a-\u0301b", "\xff\xfe", "🛑", "Ⓢⓣⓞⓟ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		kw := keyword(body)
		n := normalizeText(body)
		if !utf8.ValidString(n) && utf8.ValidString(body) {
			t.Fatalf("normalizeText(%q) = %q, not valid UTF-8", body, n)
		}
		if again := normalizeText(n); again != n {
			t.Fatalf("normalizeText not idempotent: %q -> %q -> %q", body, n, again)
		}
		if strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Fatalf("normalizeText(%q) = %q: spacing not collapsed", body, n)
		}
		if got := keyword(n); got != kw {
			t.Fatalf("keyword(%q) = %q but keyword of its normalised form %q = %q", body, kw, n, got)
		}
	})
}
