package analysis

import "github.com/steadyapp/steady/themes"

// rule is one entry of a theme's lexicon: a pattern, who must have acted,
// and the polarity it has when not negated.
type rule struct {
	theme string
	pol   Polarity
	actor actor
	pat   pattern
}

func r(theme string, pol Polarity, a actor, pats ...string) []rule {
	out := make([]rule, len(pats))
	for i, p := range pats {
		out[i] = rule{theme: theme, pol: pol, actor: a, pat: compile(p)}
	}
	return out
}

// rules are tried in this order and a word used by one match is not used
// again, so specific phrases come before the general words they contain
// ("laughs at me" before "laugh", "caught him in a lie" before "lie").
// A negator shortly before a match flips it ("he never lies" is green,
// "not once did she take my side" is red); Safety matches are dropped
// instead. See doc.go for what each theme covers.
var rules = concat(
	// Safety: physical harm, threats, fear of the partner. Only ever red.
	r(themes.Safety, Red, anyone,
		"will|would not let me leave|go|out",
		"punch*|punched", "bruise*", "smash*|smashing|breaking|broke|throwing|threw things|stuff",
		"scared|afraid|terrified|frightened of what he|she|they ~ do",
		"scared|afraid|terrified|frightened to go|come home", "scared|afraid|terrified|frightened of going|coming home",
		"not feel|felt|feeling safe", "unsafe", "fear for my safety|life",
		"kill me", "scaring|scares|scared|frightens|terrifies me"),
	r(themes.Safety, Red, self, "scared|afraid|terrified|frightened of @p|my"),
	r(themes.Safety, Red, partner,
		"hit|hits|hitting|slap*|shove*|shoving|push|pushed|pushes|pushing|kick*|choke*|choking|strangle*|grab*|beat|beats|beating|hurt|hurts|hurting me",
		"threat*|threatening",
		"threw|throws|thrown ~ at me"),

	// Honesty.
	r(themes.Honesty, Red, anyone, "caught @p in ~ lie*|lying", "story ~ chang*", "gaslight*"),
	r(themes.Honesty, Red, partner,
		"lie|lied|lies|lying|liar",
		"hide|hides|hid|hiding ~ from me",
		"keep|keeps|keeping|kept secret*",
		"sneak*|snuck", "cheat|cheated|cheats|cheating on me|us", "dishonest", "deceiv*|deceptive", "mislead*|misled"),
	r(themes.Honesty, Green, partner,
		"honest|truthful", "told|tells|tell me the truth", "told|tells me everything", "own|owns|owned|owning up",
		"came|come|comes clean", "straight with me", "upfront|open about"),

	// Keeping their word.
	r(themes.KeepingWord, Red, anyone, "words and actions do not match", "words and actions do not line up"),
	r(themes.KeepingWord, Red, partner,
		"broke|breaks|break|broken|breaking ~ promise*|word",
		"bail|bailed|bails|bailing", "flake*|flaky", "cancel*",
		"promis*|swore ~ ~ did not|never",
		"said|says|saying he|she|they would|will ~ ~ never|not",
		"forgot|forget|forgets|forgetting my|our ~ birthday|anniversary|plans|date"),
	r(themes.KeepingWord, Green, partner,
		"kept|keep|keeps|keeping ~ word|promise*", "follow|followed|follows|following through",
		"did|does|do what he|she|they said|promised", "like he|she|they said|promised",
		"show|shows|showed|turn|turned up"),

	// Trust.
	r(themes.Trust, Red, anyone,
		"go|goes|went|going through my phone|messages|texts|stuff|things",
		"check*|checks ~ location|phone|messages|texts|emails", "check*|checks up|on @p|me",
		"track*|tracks ~ location", "password*", "snoop*", "spy|spies|spying on me",
		"says|said|thinks|think i am|was lying|cheating"),
	r(themes.Trust, Red, partner, "jealous", "accus*", "interrogat*"),
	r(themes.Trust, Red, self, "suspicious"),
	r(themes.Trust, Green, anyone, "trust|trusts|trusted|trusting !my|gut|instinct|instincts|myself", "at ease"),

	// Confiding.
	r(themes.Confiding, Red, partner,
		"laugh|laughs|laughed|laughing at me", "dismiss*", "shut|shuts|shutting me down|out",
		"change|changes|changed|changing the subject"),
	r(themes.Confiding, Red, anyone, "too sensitive|dramatic", "being dramatic|sensitive|overdramatic"),
	r(themes.Confiding, Red, self, "scared|afraid|nervous to tell @p", "scared|afraid|nervous to talk to @p", "keep|kept ~ to myself"),
	r(themes.Confiding, Green, self, "tell|told @p anything|everything", "open up", "share|sharing|shared ~ with @p", "talk to @p"),
	r(themes.Confiding, Green, partner, "listen|listens|listened|listening", "comfort*", "deep|real talk|talks|conversation", "heart to heart"),

	// Having your back.
	r(themes.HasYourBack, Red, anyone, "laughed|laughing|laughs along"),
	r(themes.HasYourBack, Red, partner,
		"took|takes|take|taking his|her|their ~ side", "sided|sides|siding with", "agreed|agrees|agreeing with his|her|their",
		"threw|throws|throw me under the bus", "does|did nothing about it", "stayed|stays|kept silent|quiet"),
	r(themes.HasYourBack, Green, partner,
		"stood|stand|stands|standing|stuck|stick|sticks up for me", "stood|stands by me", "defend*|defended me",
		"on my side", "have|has|had my back", "take|takes|took|taking my side", "support|supports|supported me"),

	// Distancing.
	r(themes.Distancing, Red, anyone, "silent treatment", "grown|growing|grew apart", "spend|spends|spent|spending ~ ~ instead of me", "without me"),
	r(themes.Distancing, Red, self, "feel|felt|feeling lonely|alone"),
	r(themes.Distancing, Red, partner,
		"distant", "pull|pulls|pulled|pulling away", "ignor*", "cold|withdrawn", "disappear*", "stonewall*",
		"far away", "walk|walked|walks out|off", "never home", "went quiet|silent"),
	r(themes.Distancing, Green, partner, "stayed|stays|stay close|near", "makes|made time for me"),

	// Fear and doubt.
	r(themes.FearDoubt, Red, anyone, "what his|her|their ~ think*|say", "making a mistake", "second guess*"),
	r(themes.FearDoubt, Red, partner, "doubt|doubts|doubted|doubting us", "ashamed|embarrassed of me|us", "embarrassed to be seen",
		"keep|keeps|kept me ~ secret", "hide|hides|hid|hiding me"),
	r(themes.FearDoubt, Green, partner, "sure|confident about|in us", "introduced|introduces me", "proud of me|us",
		"told|tell|tells his|her|their ~ about me"),

	// Friendship.
	r(themes.Friendship, Red, anyone, "roommates", "nothing in common", "not my friend"),
	r(themes.Friendship, Green, anyone, "best friend|friends", "fun together", "like old times", "when we first met", "talked for hours"),
	r(themes.Friendship, Green, partner, "laugh|laughs|laughed|laughing !at|along", "have|had fun"),
	r(themes.Friendship, Green, anyone, "enjoy*"),
	r(themes.Friendship, Green, we, "talk|talked|talking !to|about|it"),

	// Dependability.
	r(themes.Dependability, Red, partner, "let|lets|letting me down", "unreliable", "left me to"),
	r(themes.Dependability, Green, self, "count on @p", "rely|relied on", "lean|leaned on"),
	r(themes.Dependability, Green, partner, "there for me", "there when i need*", "there through", "reliable", "supportive",
		"help|helped|helps ~ with"),
)

func concat(groups ...[]rule) []rule {
	var out []rule
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
