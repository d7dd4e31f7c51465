package analysis

import (
	"fmt"
	"github.com/steadyapp/steady/themes"
	"strings"
	"testing"
)

func flagsString(fs []Flag) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, fmt.Sprintf("%s:%s[%s]", f.Theme, f.Polarity, f.Evidence))
	}
	return strings.Join(parts, " ")
}

// The hard cases the issue names, one row each, with the evidence expected.
func TestAnalyzeHardCases(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, text, theme, want string
	}{
		{"partner lied", "he lied to me about the money", "", "honesty:red[he lied to me about the money]"},
		{"negated lie", "he didn't lie to me", "", "honesty:green[he didn't lie to me]"},
		{"not once", "not once did he take my side", "", "has_your_back:red[not once did he take my side]"},
		{"I lied is not a flag", "I lied to him", "", ""},
		{"third party", "my sister lied to me", "", ""},
		{"hedge then flag", "maybe he's just tired, but he's been distant", "", "distancing:red[maybe he's just tired, but he's been distant]"},
		{"two themes", "he lied about it and broke his promise", "",
			"honesty:red[he lied about it and broke his promise] keeping_word:red[he lied about it and broke his promise]"},
		{"shorthand", "hes been lyin 2 me abt the $", "", "honesty:red[hes been lyin 2 me abt the]"},
		{"nothing", "we went to the cinema", "", ""},
		{"bare no", "no", themes.Trust, "trust:red[no]"},
		{"nope", "Nope.", themes.Trust, "trust:red[Nope]"},
		{"not really", "not really", themes.Confiding, "confiding:red[not really]"},
		{"yes mostly", "yes mostly", themes.Friendship, "friendship:green[yes mostly]"},
		{"scale with text", "2 - he cancelled again", themes.KeepingWord, "keeping_word:red[2 - he cancelled again]"},
		{"scale 2/5", "2/5", themes.Honesty, "honesty:red[2/5]"},
		{"scale 4", "4", themes.Honesty, "honesty:green[4]"},
		{"scale 3 neither", "3", themes.Honesty, ""},
		{"word number", "five", themes.Dependability, "dependability:green[five]"},
		{"answer without theme ignored", "no", "", ""},
		{"text overrides answer", "yes but he still lies", themes.Honesty, "honesty:red[yes but he still lies]"},
		{"answer plus other theme", "no he walked out", themes.Honesty, "honesty:red[no] distancing:red[no he walked out]"},
		{"no does not negate the text", "no he bailed on me", themes.KeepingWord, "keeping_word:red[no he bailed on me]"},
		{"no one is not an answer", "no one listens to me here", themes.Honesty, "confiding:red[no one listens to me here]"},
		{"safety", "he pushed me", "", "safety:red[he pushed me]"},
		{"safety afraid to go home", "I'm afraid to go home", "", "safety:red[I'm afraid to go home]"},
		{"safety negated is nothing", "he has never hit me", "", ""},
		{"negation stops at but", "he didn't hit me but he threatened to", "", "safety:red[he didn't hit me but he threatened to]"},
		{"I pushed him", "I pushed him away", "", ""},
		{"not sure is a hedge", "I'm not sure he lied", "", "honesty:red[I'm not sure he lied]"},
		{"not sure about us is negation", "he's not sure about us", "", "fear_doubt:red[he's not sure about us]"},
		{"scared to tell is confiding", "I'm scared to tell him", "", "confiding:red[I'm scared to tell him]"},
		{"evidence is the sentence", "Work was busy. He ignored my texts all week. Anyway.", "", "distancing:red[He ignored my texts all week]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := flagsString(Analyze(c.text, c.theme)); got != c.want {
				t.Errorf("Analyze(%q, %q)\n got  %s\n want %s", c.text, c.theme, got, c.want)
			}
		})
	}
}

func TestAnalyzeIsDeterministic(t *testing.T) {
	t.Parallel()
	text := "He lied, broke his promise, stood up for me with his mum, and I'm scared of him. 2"
	first := flagsString(Analyze(text, themes.Honesty))
	for range 20 {
		if got := flagsString(Analyze(text, themes.Honesty)); got != first {
			t.Fatalf("run differs:\n%s\n%s", got, first)
		}
	}
}

func TestKnown(t *testing.T) {
	t.Parallel()
	for _, id := range themes.AnalysisThemes() {
		if !themes.Known(id) || themes.Name(id) == id {
			t.Errorf("theme %q: known %v, name %q", id, themes.Known(id), themes.Name(id))
		}
	}
	if themes.Known("happiness") || themes.Known("") {
		t.Error("unknown theme reported known")
	}
}

func TestAnalyzeCurlyApostrophesAndCase(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"He didn\u2019t lie to me":   "honesty:green[He didn\u2019t lie to me]",
		"HE LIED TO ME AGAIN!!!":     "honesty:red[HE LIED TO ME AGAIN]",
		"he lied \U0001F622 again":   "honesty:red[he lied \U0001F622 again]",
		"   ":                        "",
		"he cheated on me":           "honesty:red[he cheated on me]",
		"she accused me of cheating": "trust:red[she accused me of cheating]",
	} {
		if got := flagsString(Analyze(text, "")); got != want {
			t.Errorf("Analyze(%q) = %s, want %s", text, got, want)
		}
	}
}
