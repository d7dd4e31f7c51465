package analysis

import (
	"github.com/steadyapp/steady/themes"
	"testing"
)

// Danger said in everyday words, beyond the lexicon's first list: the
// partner called violent, threats to life, control of who the writer sees
// and of their money, harm in other verbs, fear of the partner, and
// thoughts of not wanting to live. Written for issue 13 in my own words.
func TestAnalyzeSafetyWording(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"he gets violent after a few drinks",
		"my husband is abusive",
		"she's emotionally abusive and I'm tired",
		"he told me nobody would ever find me if I left",
		"he slammed me against the fridge",
		"she spat at me in the car park",
		"he put me in hospital in the spring",
		"he forbids me from visiting my parents",
		"he doesn't let me talk to my friends",
		"he won't allow me to leave the house",
		"I'm not allowed to see my family on my own",
		"he keeps me from seeing anyone",
		"he makes me give him my wages",
		"he took my phone off me so I couldn't ring anyone",
		"I'm frightened he'll hurt me",
		"I'm scared for my safety when he drinks",
		"I'm terrified to leave him",
		"I hide from him in the car",
		"I flinch when he comes near me",
		"I don't want to live anymore",
		"I see no point in living",
		"I wish I was dead",
		"everyone would be better off if I wasn't around",
		"I took too many tablets last week",
		"I've started cutting myself again",
		"he said he'd take the kids and I'd never see them again",
		"he hitted me yesterday",
		"he broke my nose",
		"he takes all my wages",
		"he controls every penny I spend",
		"he is controlling and scary",
		"he held a knife to my throat",
		"he burned me with his lighter",
		"I called the police on him last night",
		"I've got a protection order now",
		"I'm staying at a refuge with the kids",
		"I sleep with the door locked because of him",
		"he gets physical when he's had a drink",
		"she elbowed me in the ribs",
		"my arm is bruised from where he grabbed it",
		"I tell people I walked into a door",
		"he threatened to send my nudes to my family",
		"he says he'll get me deported",
		"he won't let me sleep until I say sorry",
		"I'm hiding at my friend's with the baby",
		"I've got a bag packed just in case",
		"nobody else would want me, he says",
		"in front of the kids he hit me",
		"my ex-husband keeps turning up at my house and threatening me",
		"im afraid from him",
		"he said he would make my life hell if I go",
		"he said I'll be sorry",
		"he take my phone and my money",
		"he don't let me talk with my family",
		"he makes me scared",
		"i feel in danger at home",
		"i think everyone is better without me",
		// The second round's wording (issue 13), in my own words.
		"when I told him no he shoved me into the door",
		"if I can't say where I was she grabs my arm",
		"he said stop crying or he'd give me something to cry about",
		"she keeps a hammer by the bed and picks it up when we argue",
		"he shook the baby when she wouldn't settle",
		"can't write much, he's home",
		"my passport has gone missing again and he just smiles",
		"all my wages go into his account",
		"there's a lock on the outside of our bedroom door",
		"I found an airtag in my car",
		"he made me quit my job so I'd be at home",
		"she changed my passwords so I can't get into my email",
		"he decides what I can wear",
		"I'm not allowed to visit my sister without him",
		"he hid my insulin after the argument",
		"I'm scared to fall asleep next to her",
		"tengo miedo, me dijo que me mata si me voy",
		"je ne veux plus vivre comme ça",
		"non voglio più vivere",
		"er hat mir gedroht",
		// Found by a black-box pass over steady analyze (2026-12-04).
		"no quiero vivir",
		"não quero mais viver assim",
		"il m'a frappée devant les enfants",
		"er hat mich wieder geschlagen",
		"j'ai peur de rentrer ce soir",
	} {
		if !hasFlag(Analyze(text, ""), themes.Safety) {
			t.Errorf("Analyze(%q) = %s, want a safety flag", text, flagsString(Analyze(text, "")))
		}
	}
}

// Figures of speech and everyday control words are no danger.
func TestAnalyzeNotSafety(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"this job is killing me",
		"the commute is gonna kill me",
		"my feet are killing me after the walk",
		"she'd kill me if she knew I told you",
		"he scared me half to death hiding behind the door",
		"he punched the air when I said yes",
		"I'm not allowed to tell you what he got me",
		"he pushed me to go for the promotion",
		"I don't want to live in this city anymore",
		"I'm scared he'll lose interest",
		"I'm scared he will hurt himself at the gym",
		"I see no point in going to his work party",
		"he withdrew some cash for the trip",
		"he's never violent, he just sulks",
		"he threw me a surprise party",
		"broke my arm skiing",
		"a car nearly ran me over on the crossing",
		"the film was terrifying",
		"he throws it back at me in arguments",
		"he won't post any photos of us",
		"he gets physical with his work, he's a builder",
		"my brother gets aggressive when he loses at cards",
		"my friend's husband is violent, how do I help her",
		"he takes everything in his stride",
		"she plays rugby and comes home with bruises",
		"he hits me with the truth even when it stings",
		"my boss is going to kill me, I'm late again",
		"mi jefe me va a matar",
		"the baby kicked so hard I nearly dropped my tea",
		"not once has he hit me",
		"I don't think he'd ever hurt me",
		"he offered to put a tracker on my bike after it was stolen",
		"she whacked me with a cushion during the film",
	} {
		if hasFlag(Analyze(text, ""), themes.Safety) {
			t.Errorf("Analyze(%q) = %s, want no safety flag", text, flagsString(Analyze(text, "")))
		}
	}
}

func hasFlag(fs []Flag, theme string) bool {
	for _, f := range fs {
		if f.Theme == theme {
			return true
		}
	}
	return false
}

// "cannot" is "can not": "I cannot trust him" is no sign of trust (it was,
// when the word went unexpanded).
func TestCannotIsNegated(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"I cannot trust him", "I cannot depend on her for anything"} {
		for _, f := range Analyze(text, "") {
			if f.Polarity == Green {
				t.Errorf("Analyze(%q) = %s, want no sign of support", text, flagsString(Analyze(text, "")))
			}
		}
		if len(Analyze(text, "")) == 0 {
			t.Errorf("Analyze(%q) gave no flag, want a red one", text)
		}
	}
}
