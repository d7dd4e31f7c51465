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
		{"checks out now|$", "he checks out, always", true},
		{"checks out now|$", "he checks out now", true},
		{"checks out now|$", "he checks out books", false},
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

// situationCase is one reply and the themes it should flag, in order.
type situationCase struct{ text, theme, want string }

func checkSituations(t *testing.T, cases []situationCase) {
	t.Helper()
	for _, c := range cases {
		if got := themesString(Analyze(c.text, c.theme)); got != c.want {
			t.Errorf("Analyze(%q, %q)\n got  %s\n want %s", c.text, c.theme, got, c.want)
		}
	}
}

// The clause after "but", "then", "until" decides the polarity of a theme
// both clauses speak to.
func TestAnalyzeLaterClauseDecides(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"she helps with the house but only when I nag", "", "dependability:red"},
		{"he listens but then throws it back at me in fights", "", "confiding:red"},
		{"she forgot again, just like she promised she wouldn't, but she said sorry", "", "keeping_word:red"},
		{"he listened for a minute but then turned it into a joke", "", "confiding:red"},
		{"she heard me out, then laughed it off", "", "confiding:red"},
		{"he was dismissive at first, but then he really listened", "", "confiding:green"},
		{"he kept his word for a month, until he started cancelling on me again", "", "keeping_word:red"},
		{"she's usually there for me, except last week when she left me to deal with the move on my own", "", "dependability:red"},
	})
}

// Words the subscriber reports from someone else are that person's claim;
// what the partner does about it is the partner's behaviour.
func TestAnalyzeThirdPartyWords(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"my sister says I'm making a mistake moving in with him, and he just squeezed my hand", "", ""},
		{"my dad keeps telling me she'll never settle down. He's wrong.", "", ""},
		{"my best mate reckons she's hiding something", "", ""},
		{"his mum told everyone I was lying and he told her to stop", "", "has_your_back:green"},
		{"my aunt thinks he will never commit, but he proposed last week", "", "fear_doubt:green"},
		{"my friend says he's a liar and honestly she's right, he lied about the loan", "", "honesty:red"},
	})
}

// Siding with others, described rather than named.
func TestAnalyzeSidingWithOthers(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"she laughed when her sister made fun of my job", "", "has_your_back:red"},
		{"he's on his dad's side every single time", "", "has_your_back:red"},
		{"he made me apologise to his sister", "", "has_your_back:red"},
		{"my friends told her I'm too needy and she agreed with them", "", "has_your_back:red"},
		{"his brother called me lazy and he just nodded along", "", "has_your_back:red"},
		{"his mum had a go at me about the kids and he said nothing", "", "has_your_back:red"},
		{"when her flatmates mocked my accent she went along with it", "", "has_your_back:red"},
	})
}

// Behaviour with no cue word: unanswered contact, turning away, a promise
// and its breach or fulfilment far apart, being there, the theme word as a
// verb.
func TestAnalyzeBehaviourPatterns(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"I rang him five times and he never picked up", "", "distancing:red"},
		{"she didn't answer a single one of my calls all weekend", "", "distancing:red"},
		{"I told him about my awful day and he just said ok and went back to his phone", "", "confiding:red distancing:red"},
		{"she promised she would come to my graduation, we talked about it all week, then she cancelled the morning of", "", "keeping_word:red"},
		{"he swore he'd be at the recital and on the night he was nowhere", "", "keeping_word:red"},
		{"he said he'd ring at 8 and he rang at 8 on the dot", "", "keeping_word:green"},
		{"she said she'd pick me up at six and she was there at six", "", "keeping_word:green"},
		{"he was by my side every single night in the hospital, holding my hand", "", "dependability:green"},
		{"she was there every evening after my op", "", "dependability:green"},
		{"she's always hesitating about us", "", "fear_doubt:red"},
		{"he constantly doubts whether we should move in together", "", "fear_doubt:red"},
		{"he keeps wondering if we should even be together", "", "fear_doubt:red"},
		{"he said he'd fix the shower weeks ago, still cold water", "", "keeping_word:red"},
		{"she said she'd call when she got there, nothing until morning", "", "keeping_word:red"},
		{"he said he would come to the scan with me but he went to football", "", "keeping_word:red"},
		{"she say she will phone and she dont phone", "", "keeping_word:red"},
		{"he \"promised\" to clean the car", "", "keeping_word:red"},
		{"when things got tough she just left", "", "distancing:red"},
		{"he shuts down for days when we row", "", "distancing:red"},
		{"she said she'd stop, she hasn't", "", "keeping_word:red"},
		{"said she would, didn't", "", "keeping_word:red"},
		{"she says one thing and does another", "", "keeping_word:red"},
		{"she never leaves my side when I'm ill", "", "distancing:green"},
		{"he never wants to make plans for us", "", "fear_doubt:red"},
		{"I told her I was struggling and she said everyone struggles", "", "confiding:red"},
		{"she listens but never says anything back", "", "confiding:red"},
		{"he gaslights me, says it never happened", "", "honesty:red"},
		{"she gets suspicious every time I go out", "", "trust:red"},
		{"we have zero in common", "", "friendship:red"},
		{"I'd rather be with her than anyone", "", "friendship:green"},
		{"she said next week for the third week in a row", "", "keeping_word:red"},
		{"whenever I need help she's busy", "", "dependability:red"},
		{"she agreed to do the bins on mondays and hasn't done it once", "", "keeping_word:red"},
	})
}

// Sarcasm: a green phrase in scare quotes, after an all-caps intensifier,
// "oh yeah", "sure," or "great job" is not support; with a contrary fact
// it is a red flag.
func TestAnalyzeSarcasm(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"oh she's REALLY reliable, as long as you need nothing", "", "dependability:red"},
		{"of course I trust her, that's why I read her texts", "", "trust:red"},
		{"he's great at promises. keeping them, not so much", "", "keeping_word:red"},
		{"she's such a good listener... to her podcasts", "", "confiding:red"},
		{"I thought he was honest until I saw the bank statement", "", "honesty:red"},
		{"he was SO supportive when I was ill, went to the pub both nights", "", "dependability:red"},
		{"'always honest'. That's why I found the second phone", "", "honesty:red"},
		{"she's \"honest\" with me, sure, until I check her messages", "", "honesty:red trust:red"},
		{"oh yeah, he's really reliable, forgot me at the station again", "", "dependability:red"},
		{"great job listening to me, as always", "", ""},
		{"thanks a lot for having my back tonight", "", ""},
		{"he was SO supportive, I cried", "", "dependability:green"},
	})
}

// A question or a wish is not a report: it gives no flag by itself, and an
// opening question that echoes the prompt leaves the answer after it.
func TestAnalyzeQuestionsAndWishes(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"if he ever lied to me I'd leave, but he hasn't", "", ""},
		{"I wonder if she'd stick up for me if her dad started", "", ""},
		{"we argued about the bills but sorted it out", "", ""},
		{"my brother can't be trusted with a secret", "", ""},
		{"Every time I try to open up she tells me I'm being dramatic", "", "confiding:red"},
		{"Does he really listen to me? I don't know.", "", ""},
		{"Can I count on her when things get hard?", "", ""},
		{"Has your partner been there for you this week? No, not really", themes.Dependability, "dependability:red"},
		{"> Has your partner been there for you this week?\nyes, every day", themes.Dependability, "dependability:green"},
		{"I wish he'd open up to me more", "", ""},
		{"if only she would stand up for me", "", ""},
		{"what if he's lying to me?", "", ""},
		{"why does he always lie to me?", "", "honesty:red"},
		{"is it normal that he pushed me?", "", "safety:red"},
	})
}

// Several themes in one reply, one flag per theme per clause.
func TestAnalyzeSeveralThemes(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"he's been secretive lately and made up some story about where he was", "", "trust:red honesty:red"},
		{"she cancelled on me again and then ignored my texts", "", "keeping_word:red distancing:red"},
		{"he lied about the money, and he never backs me up with his family", "", "honesty:red has_your_back:red"},
	})
}

// Short answers in other languages.
func TestAnalyzeShortAnswersInOtherLanguages(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"Nein. Er hört mir nie zu", themes.Confiding, "confiding:red"},
		{"ja", themes.Trust, "trust:green"},
		{"gar nicht", themes.Trust, "trust:red"},
		{"oui", themes.Honesty, "honesty:green"},
		{"non", themes.Honesty, "honesty:red"},
		{"pas du tout", themes.Dependability, "dependability:red"},
		{"sí", themes.KeepingWord, "keeping_word:green"},
		{"si, siempre", themes.KeepingWord, "keeping_word:green"},
		{"claro que sí", themes.HasYourBack, "has_your_back:green"},
		{"para nada", themes.HasYourBack, "has_your_back:red"},
		{"sim", themes.Friendship, "friendship:green"},
		{"não", themes.Friendship, "friendship:red"},
		{"nao 2", themes.Friendship, "friendship:red"},
		{"sì, sempre", themes.Distancing, "distancing:green"},
		{"per niente", themes.Distancing, "distancing:red"},
		{"non stop arguing lately", themes.Honesty, ""},
		{"leider nein", themes.Trust, "trust:red"},
		{"claro que no", themes.Trust, "trust:red"},
		{"jein", themes.Trust, ""},
		{"bien sûr", themes.Confiding, "confiding:green"},
		{"hell yes", themes.Friendship, "friendship:green"},
		{"8/10", themes.Friendship, "friendship:green"},
		{"3/10", themes.Friendship, "friendship:red"},
		{"\U0001F44D", themes.Friendship, "friendship:green"},
	})
}

// Distrust under a hedge is distrust, not a sign of honesty.
func TestAnalyzeHedgedDistrust(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"I don't think he's lying but something feels off", "", "trust:red"},
		{"I don't think she's cheating, but I can't shake the feeling something is going on", "", "trust:red"},
		{"he doesn't lie to me, he's always straight with me", "", "honesty:green"},
	})
	// A story that does not add up may be read as a lie too (the learned
	// model may say so); what matters is the distrust, and that no sign of
	// honesty comes of the hedge.
	text := "I don't believe he'd lie to me, but his story doesn't add up"
	got := themesString(Analyze(text, ""))
	if !strings.Contains(got, "trust:red") || strings.Contains(got, "honesty:green") {
		t.Errorf("Analyze(%q) = %s, want trust:red and no honesty:green", text, got)
	}
}

// Phrases the lexicon meant to hold but, written as "a|b c" (which reads
// "a or b, then c"), never matched.
func TestAnalyzeLexiconPhrases(t *testing.T) {
	t.Parallel()
	checkSituations(t, []situationCase{
		{"some nights I just want to die", "", "safety:red"},
		{"he had sex with me even though I said no", "", "safety:red"},
		{"she says she'll take the kids away", "", "safety:red"},
		{"he's scared of commitment", "", "fear_doubt:red"},
		{"she told me straight, no excuses", "", "honesty:green"},
		{"he made a joke of it when I cried", "", "confiding:red"},
		{"I told him to leave me alone and he keeps turning up", "", "safety:red"},
	})
}

// A clause too long to quote whole is quoted as the words around the
// match, never as the single word the model weighed most.
func TestLongClauseEvidenceHasWords(t *testing.T) {
	t.Parallel()
	text := "he broke his promise again and again " + strings.Repeat("and then he went on and on about the same thing ", 20)
	fs := Analyze(text, "keeping_word")
	if len(fs) == 0 {
		t.Fatalf("Analyze(long) gave no flag")
	}
	for _, f := range fs {
		if !strings.Contains(text, f.Evidence) || len(strings.Fields(f.Evidence)) < 5 || len(f.Evidence) > maxEvidence {
			t.Errorf("flag %s quotes %q: want five words or more of the reply, at most %d bytes", f.Theme, f.Evidence, maxEvidence)
		}
	}
}
