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

func themesString(fs []Flag) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Theme+":"+string(f.Polarity))
	}
	return strings.Join(parts, " ")
}

// Replies written by someone else, which the first lexicon missed: general
// rules ("promised ... and he did", "stood up to X for me", "won't commit")
// rather than listed sentences.
func TestAnalyzeGeneralRules(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text, theme, want string
	}{
		{"He told his mother I was the reason we missed christmas, which wasn't true, and he didn't correct her when she went off at me",
			themes.HasYourBack, "has_your_back:red honesty:red"},
		{"I don't know anymore. He says he'll change and then nothing changes", themes.KeepingWord, "keeping_word:red"},
		{"We had a lovely weekend away, he planned all of it", themes.Friendship, "friendship:green"},
		{"she won't commit to anything because she's scared it won't work out", themes.FearDoubt, "fear_doubt:red"},
		{"he stood up to his dad for me for the first time ever!!", themes.HasYourBack, "has_your_back:green"},
		{"He promised he'd stop drinking and he did, 2 months sober", themes.KeepingWord, "keeping_word:green"},
		// promise ... outcome, over a long gap and a comma
		{"every time he swears it's the last time, and it never is", "", "keeping_word:red"},
		{"he said he'd sort the insurance and of course he didn't", "", "keeping_word:red"},
		{"she said she would help with the move and she did, all weekend", "", "keeping_word:green"},
		{"he stood me up again", "", "keeping_word:red"},
		// hyphenated words are split, not broken into clauses
		{"she keeps second-guessing us", "", "fear_doubt:red"},
		{"he was a no-show again", "", "keeping_word:red"},
		// "stopped" and "used to" negate; "used to" never drops a safety flag
		{"he's stopped checking my phone", "", "trust:green"},
		{"we used to laugh all the time", "", "friendship:red"},
		{"he used to hit me", "", "safety:red"},
		// who acted: "my best friend" opening a clause is somebody else
		{"my best friend stood up for me at work", "", ""},
		{"she's my best friend", "", "friendship:green"},
		{"my mum keeps checking up on me", "", ""},
		{"he checks up on me all day", "", "trust:red"},
		// one phrase, two themes
		{"he walks out when I bring things up", "", "confiding:red distancing:red"},
		// safety in its many forms
		{"he smashed my phone so I couldn't call anyone", "", "safety:red"},
		{"he blocked the door", "", "safety:red"},
		{"he said I'd regret it if I left", "", "safety:red"},
		{"he says he'll take the kids and I'll never see them again", "", "safety:red"},
		{"he's never laid a hand on me", "", ""},
		// a negation that admits it happened before is no all-clear
		{"He didnt hit me this time", "", "safety:red"},
		{"he doesn't push me any more", "", "safety:red"},
		{"he didn't hit me, we just argued", "", ""},
		// thoughts of self-harm bring the same support note
		{"I want to kill myself", "", "safety:red"},
		{"sometimes I think everyone would be better off without me", "", "safety:red"},
		{"i dont want to be here anymore", "", "safety:red"},
		{"no reason to go on", "", "safety:red"},
		{"I see no point in living", "", "safety:red"},
		{"I don't want to hurt myself, I just feel low", "", ""},
		{"no point asking him, he never listens", themes.Confiding, "confiding:red"},
		// neutral replies stay neutral
		{"the flight got cancelled so we stayed home", "", ""},
		{"we checked out the new thai place", "", ""},
		{"he hit the gym hard this week", "", ""},
		{"it's safe to say we had a good time at the wedding", "", "friendship:green"},
		{"he made it up to me with a surprise dinner", "", ""},
		{"no jealousy at all, he's fine with me having guy friends", "", "trust:green"},
		// an opening echo of the question is not a claim, and the answer may follow it
		{"can i trust him? no. he's cheated twice that i know of", themes.Trust, "trust:red honesty:red"},
		{"Best friend? She barely knows me.", themes.Friendship, "friendship:red confiding:red"},
		// names and roles as the actor; a named third party is not the partner
		{"My mum was awful to me at Christmas. Tom stood up for me straight away.", "", "has_your_back:green"},
		{"When I was made redundant Kofi quietly covered the mortgage", "", "dependability:green"},
		{"My best friend Jo always has my back", "", ""},
		{"His brother Dave lied to the whole family about me", "", ""},
		{"I'm scared of him", "", "safety:red"},
		// after "has" or "is" the subject is not "I", whatever clause came between
		{"my boyfriend, who I thought I knew, has been lying about where he goes", "", "honesty:red"},
		{"I'm the one who's been distant, not him.", "", ""},
		// idioms
		{"hubby left me hanging at the station", "", "dependability:red"},
		{"she went AWOL after our fight", "", "distancing:red"},
		{"he gaslit me about the whole thing", "", "honesty:red"},
		{"my other half is my ride or die", "", "has_your_back:green"},
		{"he threw me under the bus", "", "has_your_back:red"},
		{"she fobbed me off again", "", "confiding:red"},
		{"he doesn't pull his weight", "", "dependability:red"},
		// pulling away when the writer raises something is confiding too
		{"she blanks me when I try to bring up money", "", "distancing:red confiding:red"},
		// safety, and lookalikes that are not
		{"he took my car keys and my bank card", "", "safety:red"},
		{"he says he'd hurt himself if I went away for the weekend", "", "safety:red"},
		{"i have to ask permission to leave the flat", "", "safety:red"},
		{"I had to ask my manager for permission to leave early", "", ""},
		{"he cut his finger on a kitchen knife making dinner", "", ""},
		{"our toddler hit me with a toy truck today haha", "", ""},
		{"he didn't call me back until the morning, his phone died", "", ""},
		{"we sorted it out in the end", "", ""},
		// a past set against now flips like "used to"; "not sure" doubts support
		{"She was always so affectionate but these days she barely looks at me", "", "distancing:red"},
		{"I'm not sure I trust her anymore", "", "trust:red"},
		{"I'm not sure he lied", "", "honesty:red"},
		// a promise and its outcome across a sentence break
		{"He said he'd come to the scan. He didn't.", "", "keeping_word:red"},
		{"she says she's at her sister's but her sister hasn't seen her", "", "honesty:red"},
	} {
		if got := themesString(Analyze(c.text, c.theme)); got != c.want {
			t.Errorf("Analyze(%q, %q) = %s, want %s", c.text, c.theme, got, c.want)
		}
	}
}

func TestPatternElements(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pat, text string
		want      bool
	}{
		{"promised ~8 and he did", "promised he would stop drinking for good and he did", true},
		{"promised ~ and he did", "promised he would stop drinking for good and he did", false},
		{"he did $", "he did, 2 months", true},
		{"he did $", "he did not", false},
		{"^ my friend", "my friend came", true},
		{"^ my friend", "she is my friend", false},
		{"laugh !at", "laugh at me", false},
		{"laugh !at", "laugh together", true},
	} {
		toks := tokenize(c.text)
		found := false
		for i := range toks {
			if _, ok := compile(c.pat).matchAt(toks, i); ok {
				found = true
			}
		}
		if found != c.want {
			t.Errorf("pattern %q in %q: %v, want %v", c.pat, c.text, found, c.want)
		}
	}
}
