package analysis

import (
	"github.com/steadyapp/steady/themes"
	"slices"
	"strings"
)

// rule is one entry of a theme's lexicon: a pattern, who must have acted,
// and the polarity it has when not negated.
type rule struct {
	theme string // "" for a blocker: its words are used up and mean nothing
	also  string // a second theme the same words speak to, or ""
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
	// Blockers: words a general rule below would misread.
	block(
		"^ my best friend|friends|mate|mates|pal", // a third party as the subject, not "she's my best friend"
		"made|makes|make|making it up to",         // making amends, not making things up
		"hit|hits|hitting the gym|road|sack|hay|jackpot|shops",
		"committed suicide|a|crime|fraud",
		"commit|commits|committed|committing to his|her|their ~1 job|work|career|team|gym|training|diet|studies|course",
		"was|were|got|been|is|get|gets|we|i cancel*", // "the match got cancelled", "we cancelled the trip"
		"about trust",
		"when|whenever|if i ~1 open|opened|opening up",      // the writer's opening up is not the partner's doing
		"we sorted|sort|worked|work it|things|everything",   // together, not the partner coming through
		"since|after|once|until we ~1 talked|spoke|chatted", // when a talk happened, not a sign of friendship
		"said|says|say|told me ~1 to have fun|enjoy",        // waving the writer off, not fun together
		"that is|was boring", "sorry|sounds|sound boring",   // the writer's own reply being boring
		"the|my honest answer|truth", "to be honest|truthful", "in all honesty", // the writer's candour
		"his|her|their|your best friend|friends|mate|mates|pal|buddy", // a third party, not the partner as a friend
		"tell|told|text|texted|call|called|ask|asked|phoned|rang my best friend|mate|pal",
	),
	r(themes.Dependability, Green, partner, "covered|covers|cover|covering the|our|my ~1 mortgage|rent|bills"),

	// Safety: physical harm, threats, fear of the partner. Only ever red.
	r(themes.Safety, Red, anyone,
		"will|would|does|did not let me leave|go|out|see|visit|drive|work|wear",
		"punch*|punched", "bruise*", "smash*|smashing|breaking|broke|throwing|threw|throws|throw things|stuff",
		"scared|afraid|terrified|frightened of what he|she|they ~ do",
		"scared|afraid|terrified|frightened to go|come|be ~1 home|back",
		"scared|afraid|terrified|frightened of going|coming|being ~1 home|back",
		"not feel|felt|feeling safe", "unsafe", "fear for my safety|life",
		"kill me", "came|comes|coming|went at me", "scaring|scares|scared|scare|frightens|frighten|frightened|terrifies|terrify|intimidat* me",
		"walk|walking|walked on eggshells",
		"never see the|my|our|them ~1 kids|children|baby|son|daughter|again|$",
		"if i leave|left|go ~4 take|keep|took ~2 kids|children|baby|son|daughter",
		"take|took|taking|takes ~3 kids|children|baby|son|daughter away|from me",
		"take|took|taking|takes ~3 kids|children|baby|son|daughter and leave|go|run|disappear|move|never",
		"be sorry if|when i",
		"if i ~1 leave|left|go|went ~4 find|kill|hurt|ruin|destroy|regret",
		"scared|afraid|terrified|frightened to be alone with|around @p", "scared|afraid|terrified|frightened to be around @p",
		"keeps|kept|keep|held|holds|holding|pulled|pulls|grabbed|waved|had|has|got ~3 knife|knives|gun|guns|weapon", "knife|gun|weapon ~3 me", "his|her|their fist|fists",
		"there will|would be trouble|hell", "hell to pay", "next it will|would be me",
		"hurt|kill|harm himself|herself|themselves|themself if",
		"i belong|belonged to him|her|them",
		"he|she|they said|says|told|threatened|threatens ~10 if i ~3 leave|left|leaving",
		"please do not text|call|message|email|contact me ~1 back|again",
		"nobody|no one else would|will ~2 want|have|love|put up with me", "be nothing without him|her|them",
		"by|past|near my head|face", "next to my head|face", "never know what ~4 set|sets|trigger|triggers",
		"hid|hide|hiding|hides|locked|lock ~1 myself|me in the|my ~1 bathroom|bedroom|room|car", "until|till he|she|they ~1 calmed|calms|calm down",
		"sex when|after|even though i ~1 said|say no", "raped|rape|rapes|assaulted|assault"),
	r(themes.Safety, Red, notOther, "ask|asking|asked|get|getting|need|needs ~2 permission"),
	r(themes.Safety, Red, self, "scared|afraid|terrified|frightened of @p|my"),
	// Thoughts of self-harm: the same prompt support note goes out, and
	// every country's resources include a crisis line.
	r(themes.Safety, Red, self,
		"kill|killing|hurt|hurting|harm|harming|cut|cutting myself",
		"end|ending it all", "end|ending my life", "take|taking my own life",
		"want|wanted|wanting|wish|wished to die|be dead",
		"suicid*", "self harm|harming",
		"do not want to be here|alive",
		"no reason|point to live|living", "no reason|point to go|carry on", "no point in living", "no point in going|carrying on"),
	r(themes.Safety, Red, anyone, "better off without me|dead"),
	r(themes.Safety, Red, partner,
		"hit|hits|hitting|slap*|shove*|shoving|push|pushed|pushes|pushing|kick*|choke*|choking|strangle*|grab*|beat|beats|beating|hurt|hurts|hurting|pinned|pin|pins|pinning|yank*|drag|drags|dragged|dragging|smack*|shook|shakes|shaking|spat|spit|bit|bites|restrain*|suffocat*|headbutt*|slam*|throttl* me",
		"hit|hits|slap*|shove*|push|pushed|pushes|kick*|choke*|grab*|punch*|pinned|yank*|pull|pulls|pulled|pulling|twist*|squeez*|drag*|smack*|shook|scratch* my ~1 arm|arms|wrist|wrists|neck|hair|throat|face|head|shoulder|shoulders|jaw|hand|hands|leg|legs|chest|body",
		"held|holds|hold|holding|pinned me down|against",
		"hands|hand around|round|on my throat|neck",
		"raised|raises|raise|raising his|her|their ~1 fist|fists|hand|hands to|at me",
		"laid|lay|lays|put|puts|layed a hand|hands|finger on me",
		"blocked|blocks|block|blocking the|my ~1 door|doorway|way|exit",
		"stood|stands|standing|stand in the|my ~1 door|doorway|way",
		"smash*|broke|breaks|destroy*|threw|throws|snapped my|the|our ~1 phone|laptop|things|stuff|belongings|glasses|door|tv|plates|plate|mirror|window|furniture",
		"locked|locks|lock|locking me out|in",
		"kicked|slammed|smashed|hit|punched ~1 the|a wall|door|table|window",
		"got|gets|getting|get in my face",
		"said|says|told|tells|threaten* ~6 regret it|this",
		"threat*|threatening",
		"took|takes|take|taking|taken|hid|hides|hide|hiding|kept|keeps my ~1 keys|key|passport|card|cards|money|wallet",
		"smash*|smashed|smashes|breaks|broke|destroys|destroyed|wrecks|wrecked something|everything",
		"laid|lay|lays|put|puts his|her|their ~1 hand|hands on me",
		"gets|got|giving|gives that|the look",
		"stands|stood|standing|gets|got ~1 really|very|too|so close",
		"threw|throws|thrown ~ at me", "threw|throws|thrown|throwing ~3 at|against the|a wall|door|floor",
		"forced|forces|force|forcing me", "isolat* me", "cut|cuts|cutting me off from ~2 family|friends|everyone|mum|mom|parents",
		"controls|controlled|controlling all|the|my ~1 money|finances|spending|bank|accounts",
		"kick*|hit|hits|hurt|hurts|beat|beats|kicked ~1 the|our dog|cat|pet|puppy|kids|children"),

	// Specific phrases of one theme that contain another theme's words.
	r(themes.Honesty, Red, partner, "says|said|claims|claimed|swore|swears|insists|insisted he|she|they is|was|were|had|has ~6 but ~4 not|never|no|found|saw|stinks|smells",
		"told me he|she|they is|was|were|had|has ~6 but ~4 not|never|no|found|saw|stinks|smells",
		"lock|locks|locked|locking his|her|their ~1 phone|laptop|computer", "takes|taking|took his|her|their phone|it ~3 to the loo|toilet|bathroom"),
	r(themes.HasYourBack, Red, partner, "around|with his|her|their ~1 friends|mates|family|parents ~6 mock*|belittl*", "around|with his|her|their ~1 friends|mates|family|parents ~6 laughs|laughed|puts|put at|me ~1 me|down"),
	r(themes.HasYourBack, Red, partner,
		"blam*|humiliat*|embarrass*|mock*|belittl*|criticis*|criticiz*|insult* me ~2 in front of",
		"yell*|shout*|scream*|laughed|laughs|laugh|snapped|snaps at me ~2 in front of",
		"made|makes|making|make fun of me ~2 in front of",
		"put|puts|putting me down ~2 in front of",
		"had|has|have|having a go at me ~2 in front of",
		"talks|talked|talk|talking down to me ~2 in front of"),
	r(themes.FearDoubt, Red, partner, "cold feet", "commitment issues|phobe|phobic|problems",
		"nervous|scared|afraid|panic*|weird|awkward|tense|freaks|freaked|freak ~3 marriage|future|commitment|engagement|wedding|proposal",
		"scared|afraid|terrified|frightened|nervous|reluctant|refuses|refused|hesitant to commit*"),
	r(themes.KeepingWord, Red, partner, "stood|stands|stand|standing me up", "blew|blows|blow|blowing me off"),
	r(themes.HasYourBack, Red, anyone, "at|about|called|calls me ~5 and he|she|they ~1 laughed|laughs|agreed|agrees|smirked|smiled"),
	r(themes.FearDoubt, Green, partner, "loves|love|kiss|kisses|hold|holds|acknowledge*|introduce*|proud ~3 in front of"),
	r(themes.Trust, Red, partner, "accus*|accusing ~4 lying|lie|lies|liar|cheating"),
	r(themes.HasYourBack, Red, partner, "pretend|pretends|pretended|pretending not to ~1 hear|notice|see",
		"said|says|saying|say he|she|they ~1 means|meant well", "waiting|waited|wait for @p to ~2 say|do|stand|step|speak",
		"laugh|laughs|laughed|laughing ~1 at|along ~5 joke|jokes|comment|comments|dig|digs about|at me"),
	r(themes.Confiding, Red, partner, "laugh|laughs|laughed|laughing when|whenever|if i ~2 cry|cried|crying|upset|tell|talk|open|share",
		"hide|hides|hid|hiding|bottles|bottled his|her|their ~1 feelings|emotions", "not this again",
		"not want|wants ~1 to hear|know ~1 it|about", "not|never let|lets me in"),
	r(themes.Trust, Red, self, "hide|hid|hiding my phone|messages|texts"),
	r2(themes.Confiding, themes.Trust, Red, partner, "told|tells|shared|spread|blabbed ~4 secret|secrets|private"),
	r2(themes.Confiding, themes.Trust, Red, anyone, "secret|secrets ~10 and|but|then he|she|they told|tells|spread|blabbed|shared"),
	r(themes.Trust, Red, anyone, "cagey|secretive|shifty ~3 phone", "gut says|tells|telling", "gut is telling", "want|wanted|trying to believe @p but"),

	// Honesty.
	r(themes.Confiding, Green, anyone, "honest|open|deep|real|proper conversation|conversations|chat|talk|talks"),
	r(themes.Honesty, Red, anyone, "caught @p in ~ lie*|lying", "caught @p out ~ lie*|lying", "caught out", "caught @p out",
		"found|find|discovered|saw ~3 dating|tinder|hinge|bumble|apps|profile|receipts",
		"leave|leaves|left|leaving ~1 things|stuff|bits|parts|details out", "by omission", "story ~ chang*", "gaslight*", "gaslit"),
	r(themes.Honesty, Green, partner, "hides|hid|hide nothing", "nothing to hide", "open book"),
	r(themes.Honesty, Red, partner,
		"lie|lied|lies|lying|liar",
		"hide|hides|hid|hiding ~ from me",
		"hide|hides|hid|hiding anything|something|things|stuff",
		"hide|hides|hid|hiding his|her|their ~1 phone|messages|texts|screen|spending|debt|debts|purchases|drinking|money",
		"keep|keeps|keeping|kept secret*", "keep|keeps|keeping|kept ~2 from me",
		"sneak*|snuck", "cheat|cheated|cheats|cheating on me|us", "cheated|cheats $", "cheated|cheats ~2 twice|again|before|times", "dishonest", "deceiv*|deceptive", "mislead*|misled",
		"made|makes|make|making ~1 up ~ story|stories|excuse|excuses|lie|lies",
		"made|makes|make|making it|that|things|stuff|everything|something|excuses|stories ~1 up",
		"made|makes|make|making the|a|this|whole ~2 up",
		"twist*|spun|spin|spins ~3 story|truth|words|facts|things|everything|what",
		"cover|covers|covered|covering ~2 up",
		"cover|covers|covered|covering ~3 gambling|drinking|spending|debt|debts|affair|cheating|lies|mistakes",
		"said|says|swore|swears|insisted no|not ~3 but he|she|they ~1 had|did|was|has|is $", "cover|covers|covered|covering his|her|their tracks",
		"was|is|were|are not true", "untrue", "fib|fibs|fibbed|fibbing",
		"denied|denies|deny|denying ~2 everything|it|all|that|anything",
		"pretend*", "half truth|truths", "half the truth", "porkies|fibs", "tall tales|stories",
		"seeing|seen|talking|texting|messaging|meeting|sleeping|went|going|gone|spending ~3 behind my back",
		"swore|swears|insisted|insists|claimed|claims|said|says ~8 but|then|until|and i ~1 found|caught|saw|discovered",
		"delet*|deleted ~2 messages|texts|chats|history|photos|convo|convos|conversation|conversations|dms|calls|app|apps|account"),
	r(themes.Honesty, Green, partner,
		"honest|truthful", "told|tells|tell me the truth", "told|tells me everything", "own|owns|owned|owning up",
		"came|come|comes clean", "straight ~1 with me", "upfront|open about", "open|upfront with me", "transparent",
		"tells|told|tell me every time", "tells|told|tell me straight|right away", "tells|told|tell me first",
		"admit|admits|admitted|admitting", "confess*"),

	r(themes.Honesty, Green, partner, "show|shows|showed|showing me the|his|her|their ~1 messages|texts|phone|statements|bank"),

	// Keeping their word.
	r2(themes.KeepingWord, themes.Dependability, Red, partner, "have|had|need|needs|having to ~1 remind @p", "rolled|rolls|rolling|stumbled|stumbles in|home at"),
	r2(themes.KeepingWord, themes.Dependability, Green, partner, "says|said|promises|promised ~6 it is|was|gets|got done"),
	r2(themes.FearDoubt, themes.KeepingWord, Red, partner, "keep|keeps|kept|keeping moving|pushing|changing|delaying|postponing ~1 the|our date|wedding"),
	r(themes.KeepingWord, Red, partner, "made|makes|make|making excuses", "keep|keeps|kept|keeping saying|says ~6 next|tomorrow|soon|later|someday|eventually",
		"broke|breaks|break|broken the|our|a deal|agreement|rule|rules", "broke|breaks it within|after|again|immediately|straight"),
	r(themes.KeepingWord, Red, anyone, "always happens|happened again"),
	r(themes.KeepingWord, Red, anyone, "words and actions do not match", "words and actions do not line up",
		"empty|broken|hollow promises|words", "all talk", "talk is cheap"),
	r(themes.KeepingWord, Red, partner,
		"broke|breaks|break|broken|breaking ~ promise*|word",
		"went|goes|go|going|gone back on ~1 word|promise|promises|deal|agreement",
		"went|goes|go|going|gone back on what|it|that|everything|his|her|their|our",
		"bail|bailed|bails|bailing|flaked|flakes on|out|of ~1 helping|help", "bail|bailed|bails|bailing", "flake*|flaky", "no show|shows|showed",
		"cancel* ~2 on|plans|plan|date|dinner|trip|holiday|again|last|visit|weekend|night|me|us", "cancel* $",
		"promises|promise|word ~2 not|never|cannot keep|keeps|kept",
		"promis*|swore|swears|said|says|saying|meant|supposed ~8 never did|does|has|happened $",
		// "promised/said he would X ... and never did / and nothing changes"
		"promis*|swore|swears|swear|vowed|vows|said|says|saying|insisted|meant|supposed ~8 and|but|then|yet ~2 never|nothing did|does|has|have|had|happens|happened|changes|changed|came|comes|showed|shows|turned|followed|called|calls|is|was|will|$",
		"promis*|swore|swears|swear|vowed|vows|said|says|saying ~8 and|but|then|yet ~3 did|does|has|have|had not",
		"promis*|swore|swears|swear|vowed|vows|said|says|saying ~8 still waiting|nothing|not",
		"promis*|swore|swears|swear|vowed|vows|said|says|saying ~8 still has|have|is|does|did not",
		"promis*|swore ~ ~ did not|never",
		"promis*|swore|swears|said|says|saying ~8 and|but it|that is|was still",
		"forgot|forget|forgets|forgetting my|our ~ birthday|anniversary|plans|date", "forgot|forgets $", "forgot|forgets again"),
	r(themes.KeepingWord, Green, partner,
		// "promised/said he would X ... and he did"
		"promis*|swore|swears|swear|vowed|vows|said|says ~8 and|but he|she|they ~1 did|does|has|have|had|was|is|will $",
		"promis*|swore|swears|swear|vowed|vows|said|says ~8 and|but he|she|they ~1 kept|followed|delivered|stuck|showed|turned|came|was there",
		"promis*|swore|swears|swear|vowed|vows ~8 and|but ~1 actually|finally",
		"kept|keep|keeps|keeping ~ word|promise*", "follow|followed|follows|following through",
		"did|does|do what|everything|all he|she|they said|promised|says|say|promise|promises", "like he|she|they said|promised",
		"man|woman|person of his|her|their word", "true|good to|for his|her|their word",
		"stuck|sticks|stick|sticking to ~2 plan|plans|budget|agreement|deal|promise|word|schedule",
		"delivered|delivers|deliver on",
		"remembered|remembers|remember my|our ~ birthday|anniversary|plans|date",
		"show|shows|showed|turn|turned up"),

	// Trust.
	r(themes.Trust, Red, notOther,
		"go|goes|went|going|been through my phone|messages|texts|stuff|things|bag|bags|purse|handbag|handbags|backpack|diary|car|drawer|wallet|pockets|laptop|computer|emails|email|dms|drawers|chats|photos|browser|history",
		"check*|checks ~ location|phone|messages|texts|emails", "check*|checks up|on @p|me", "check*|checks up on @p",
		"track*|tracks ~ location", "password*", "snoop*", "spy|spies|spying on me",
		"says|said|thinks|think|convinced|sure|believes i am|was ~1 lying|cheating|seeing|flirting|sleeping|hiding"),
	r(themes.Trust, Red, partner, "check*|checks up on me", "tabs on", "monitor*", "mind|minds me ~1 going|having|seeing|spending|out", "jealous*", "accus*", "interrogat*", "paranoid", "possessive", "controlling",
		"read|reads|reading my ~1 messages|texts|emails|dms|diary|phone|chats|journal", "read|reads|reading everything", "read|reads|reading all my",
		"know|knows|knowing where|who i ~1 am|was|go|went|have|been|with|talk|talking|text|texting|see|seeing",
		"question|questions|questioned|questioning|quiz*|grill* me",
		"asks|asking|asked|ask|demands|demanding ~2 who|where i ~2 texting|talking|messaging|with|been|was|am",
		"share|sharing my location", "see|seeing my phone|messages|texts|emails", "look|looks|looking|looked at|through my phone|messages|texts|emails"),
	r(themes.Trust, Red, self, "suspicious"),
	r(themes.Trust, Green, self, "believe|believes a|one word", "believe|believes anything he|she|they",
		"feel|felt|feeling secure"),
	r(themes.Trust, Green, self, "never|not ~1 worry|worried when|about ~4 out|away|going|with"),
	r(themes.Trust, Green, partner, "fine|ok|okay|cool|chill|relaxed with|about me ~1 going|having|seeing|out|spending",
		"give|gives|gave|giving me space|freedom", "privacy", "do my own thing"),
	r(themes.Trust, Green, anyone, "trust|trusts|trusted|trusting !my|gut|instinct|instincts|myself", "at ease"),

	// Confiding.
	r2(themes.Confiding, themes.Distancing, Red, partner,
		"walk|walks|walked|walking|storm*|stomp* out|off|away ~ when|whenever|if i ~3 bring|raise|mention|open|talk"),
	r(themes.Confiding, Red, partner,
		"laugh|laughs|laughed|laughing at me", "dismiss*", "shut|shuts|shutting me down",
		"change|changes|changed|changing the subject",
		"roll|rolls|rolled|rolling his|her|their eyes",
		"brush|brushes|brushed|brushing me|my ~2 off", "brush|brushes|brushed|brushing it|things ~1 off when|whenever|if i",
		"tune|tunes|tuned|tuning ~1 out", "invalidat*",
		"my feelings|feeling|worries ~2 stupid|silly|dumb|wrong|nothing|invalid|ridiculous|overreacting|unimportant|annoying",
		"make|makes|made|making fun of me", "told|tells|tell|telling me to ~1 get over it|yourself",
		"told|tells|tell|telling me to ~1 grow|man|shut up", "told|tells|tell|telling me to ~1 calm down", "told|tells|tell|telling me to ~1 stop crying",
		"turn|turned|turns|turning|flip|flipped|flips it|things|everything ~1 back|around on me",
		"use|uses|used|using ~2 against me", "defensive", "judg*", "mock*", "belittl*",
		"not|never ~1 get|gets it when|whenever", "hard to talk to", "hard to open up|confide"),
	r(themes.Confiding, Red, self, "not|never ~1 say|tell|share|talk ~2 anymore", "not|never ~1 say|tell|share|talk ~2 any more", "makes|made|make me ~1 shut down"),
	r(themes.Confiding, Red, partner, "says|said|calls|called i am|was|i'm ~1 attacking|nagging|hysterical"),
	r2(themes.Friendship, themes.Confiding, Red, partner, "barely|hardly|not|never know|knows|knew me"),
	r2(themes.Confiding, themes.Distancing, Red, partner, "shut|shuts|shutting me out ~1 completely|totally|entirely|for"),
	r(themes.Confiding, Red, partner, "shut|shuts|shutting me out"),
	r(themes.Confiding, Red, anyone, "too sensitive|dramatic", "being dramatic|sensitive|overdramatic", "being so dramatic|sensitive|overdramatic|hysterical"),
	r(themes.Confiding, Red, self, "scared|afraid|nervous to tell @p", "scared|afraid|nervous to talk to @p", "keep|kept ~ to myself",
		"bottl* ~ up", "walk|walking on eggshells"),
	r(themes.Confiding, Green, self, "tell|told @p anything|everything", "open up", "open|opened|opening up to @p", "share|sharing|shared ~ with @p", "talk to @p",
		"vent|venting|vented to @p", "be honest|open with @p",
		"be|being|feel|felt ~1 vulnerable|myself with|around @p"),
	r(themes.Confiding, Green, anyone, "feel|felt|feeling ~1 heard|understood|listened"),
	r(themes.Confiding, Green, anyone, "first person i go|turn|run to", "easy to talk to", "easy to open up|confide"),
	r(themes.Confiding, Green, partner, "listen|listens|listened|listening", "comfort*", "deep|real talk|talks|conversation", "heart to heart",
		"kind|understanding|gentle|patient|sweet|lovely about it", "hugged|hugs|held me", "hears|heard me out", "hears|heard me", "gets|get|got me $", "understand|understands|understood me",
		"feel|felt|feeling safe to", "safe to talk|share|tell|open|cry",
		"good|great|amazing|brilliant|best listener", "listener", "willing|happy|ready|open to talk|listen",
		"asks|asked|ask|asking how i am|was|feel|felt|feeling|doing|m", "hear|hears|heard|asks|asked|ask|asking about my day|feelings|worries"),

	// Having your back.
	r(themes.HasYourBack, Red, anyone, "laughed|laughing|laughs along"),
	r(themes.HasYourBack, Red, partner,
		"took|takes|take|taking his|her|their ~ side", "sided|sides|siding with", "agreed|agrees|agreeing with his|her|their",
		"threw|throws|throw me under the bus", "does|did nothing about it", "stayed|stays|kept silent|quiet",
		"just stood|stands|sat|sits there", "did|does not say|said ~1 a|one word", "never said|says ~1 a|one word",
		"let|lets|letting @p|his|her|their|them ~3 pile|insult*|disrespect*|bully|bullied|blame|blamed|mock*|belittl*|criticis*|criticiz*|walk|treat|make|have|speak|talk|go|say|call|push ~4 me|us",
		"told|tells|telling|tell his|her|their ~2 i was|am ~2 reason|blame|fault|problem|overreacting|crazy|dramatic|lying|jealous|clingy|difficult|rude|psycho|mental|liar|wrong|unreasonable",
		"backed|backs|chose|chooses|picked|picks|supported|supports|defended|defends|believed|believes his|her|their ~3 over|instead",
		"acted|acts|acting like nothing was|is|were|had ~1 happening|wrong|said|going", "acted|acts|acting as if nothing was|is|were|had ~1 happening|wrong|said|going", "acted|acts|acting like nothing $", "acted|acts|acting as if nothing $",
		"left|leaves me to deal with his|her|their", "left|leaves me to handle his|her|their"),
	r(themes.HasYourBack, Green, partner,
		"stood|stand|stands|standing|stuck|stick|sticks up for me|us", "stood|stands by me", "defend*|defended me",
		"stood|stand|stands|standing|stuck|stick|sticks up to|against ~3 for me|us",
		"stood|stand|stands|standing|stuck|stick|sticks up to|against ~2 mum|mom|dad|mother|father|parents|family|sister|brother|friends|mates|boss",
		"defend|defends|defended|defending my|our ~2 choice|decision|honour|honor|name|corner",
		"backed|backs|back|backing me|us up", "back me|us up",
		"went|goes|go|going to bat for me|us", "in my corner", "got|gotten my back",
		"on my side", "have|has|had my back", "ride or die", "take|takes|took|taking|taken my side", "support|supports|supported me",
		"put|puts|putting his|her|their ~2 in his|her|their place",
		"told|tells|telling|tell his|her|their ~2 to stop|quit", "told|tells|telling|tell his|her|their ~2 to back|lay off",
		"told|tells|telling|tell his|her|their ~2 to knock|cut it", "told|tells|telling|tell his|her|their ~2 to leave me|us alone",
		"correct|corrects|corrected|correcting ~2 her|him|them",
		"shut|shuts|shutting it|them|him|her|that down",
		"shut|shuts|shutting his|her|their mum|mom|mother|dad|father|sister|brother|family|friend|friends|mate|mates|parents down",
		"jumped|jumps|came|comes|rushed|leapt to my defence|defense|rescue", "stood|stand|stands|standing with me|us", "is|are with me $",
		"told|tells|telling|tell|made|makes|make @p|his|her|their ~2 apologi*",
		"told|tells|telling|tell his|her|their|them|him|her ~2 off",
		"told|tells|telling|tell him|her|them to wind|back|knock|pack|cut|leave|stop|lay|shut", "chose|chooses|choose|picked|picks me over"),

	// Distancing.
	r(themes.Distancing, Red, anyone, "silent treatment", "cold shoulder", "grown|growing|grew apart", "spend|spends|spent|spending ~ ~ instead of me", "spend|spends|spent|spending more time with ~3 than",
		"with|see|seeing his|her|their ~1 mates|friends|family|mum|mom|parents instead",
		"without me !even|asking|having|needing|noticing|saying|knowing"),
	r(themes.Distancing, Red, partner, "blank|blanks|blanked|blanking me", "not ~1 talk|talks to me"),
	r(themes.HasYourBack, Red, partner, "undermin*"),
	r(themes.Dependability, Green, partner, "found|finds|find time to|for", "remembered|remembers ~3 operation|appointment|scan|interview|exam|surgery|results"),
	r(themes.Friendship, Red, anyone, "on our phones", "on our own phones", "like ~3 stranger|strangers"),
	r(themes.FearDoubt, Red, partner, "put|puts|putting off ~3 date|wedding|moving|engagement|future|marriage|commitment|proposing"),
	r(themes.KeepingWord, Red, partner, "promis*|swore|said|says he|she|they would|will ~8 . he|she|they did|does|has not|never",
		"promis*|swore ~8 . ~2 nothing|never", "promis*|swore|said|says|told ~2 would|will ~8 . ~8 instead $"),
	r(themes.Confiding, Red, partner, "fob|fobs|fobbed|fobbing|palm|palms|palmed|palming me off", "bit|bites|bite|biting my head off",
		"makes|made|make|making me feel small|stupid|silly|ridiculous|crazy|pathetic|worthless", "makes|made|make|making me feel like an idiot", "makes|made|make|making me feel like i am|was ~1 crazy|stupid|mad|insane|overreacting|paranoid|dramatic|nothing|nagging",
		"talks|talked|talk|talking down to me"),
	r(themes.Confiding, Green, partner, "my|a safe place|space|person|haven"),
	r(themes.Honesty, Red, partner, "seeing|shagging someone|somebody else", "sleeping with someone|somebody else", "seeing|shagging other|another", "sleeping with other|another"),
	r(themes.FearDoubt, Red, partner, "drag|drags|dragged|dragging ~1 feet"),
	r(themes.Honesty, Red, anyone, "different answer|answers|story|stories|version|excuse ~3 every|each time", "has|gives|had|gave|got a different answer|story|version|excuse"),
	r(themes.Trust, Red, notOther, "log|logs|logged|logging into|in my", "log|logs|logged|logging in to my", "hack|hacks|hacked|hacking my|into"),
	r(themes.KeepingWord, Red, partner, "always ~3 excuse|excuses"),
	r(themes.Dependability, Green, partner, "pull|pulls|pulled|pulling his|her|their weight", "pick|picks|picked|picking up the slack"),
	r(themes.HasYourBack, Green, partner, "stuck|sticks|stick|sticking by me|us"),
	r(themes.Friendship, Green, anyone, "sense of humour|humor", "highlight of my", "he|she|they is|are|was ~2 fun"),
	r(themes.Confiding, Red, anyone, "when|whenever|if|time i try|tried|want|wanted to talk|open|bring ~6 tired|knackered|exhausted|busy|later|now"),
	r(themes.Honesty, Red, partner, "like i ~1 invented|imagined|dreamt|dreamed", "i ~1 imagined|invented|dreamt|dreamed ~2 it|things|that",
		"said|says|told|claimed|claims|swore ~10 turns|turned out"),
	r(themes.Friendship, Green, we, "go|went|going out ~3 together|every|for|dancing|dinner|drinks"),
	r(themes.Distancing, Red, self, "feel|felt|feeling lonely|alone", "feel|felt|feeling completely|so|very|totally alone"),
	r(themes.Dependability, Red, partner, "left|leaves|leaving me hanging"),
	r2(themes.Dependability, themes.Distancing, Red, partner, "packs|packed|pack|packing a bag"),
	r2(themes.HasYourBack, themes.Distancing, Red, partner, "left|leaves|leaving me ~5 strangers"),
	r2(themes.Distancing, themes.Dependability, Green, partner, "check|checks|checked|checking in on|with me|us", "to check in $", "check|checks|checked|checking in ~2 every|each|daily|regularly"),
	r(themes.Distancing, Red, partner,
		"distant", "pull|pulls|pulled|pulling away", "ignor*", "cold|withdrawn", "disappear*", "stonewall*",
		"far away", "miles away", "walk|walked|walks out|off|away", "storm|storms|stormed|storming off|out", "never home", "went|goes|go|going|gone|gets|got|getting ~1 quiet|silent|mute|awol|mia|cold",
		"vanish*", "like i ~1 do not exist", "will|would not say|speak ~1 a|one word", "invisible", "turned|turns|turn|switched|switches|switch his|her|their phone off",
		"ghost*", "avoid|avoids|avoided|avoiding me|us|talking|conversations|conversation|eye",
		"avoid|avoids|avoided|avoiding the|any conversation|subject|topic|issue",
		"shut|shuts|shutting himself|herself|themselves away|off|in", "barely|hardly|rarely|never home",
		"shut|shuts|shutting down $", "shut|shuts|shutting down when|whenever|every|if|completely|emotionally|on",
		"shut|shuts|shutting off emotionally", "closed off", "clam|clams|clammed up",
		"left|leaves|leave me on read|delivered", "left|leaves|leaving me alone", "left|leaves|leaving me on my own", "checked|checks|checking out emotionally|mentally", "emotionally|mentally checked|checks out",
		"checked|checks|checking out of the|our|this ~1 relationship|marriage",
		"retreats|retreated|retreating into|to", "emotionally unavailable|absent|distant", "unavailable", "off with me",
		"hard to reach", "hard to get hold of", "run|ran|runs|running off|away", "arm|arms length", "always on his|her|their ~1 phone|xbox|games|laptop|playstation",
		"not|barely|hardly|never ~1 look|looks|looked at me",
		"not|barely|hardly|never ~1 speak|speaks|speaking|spoken to me", "not|barely|hardly talking to me", "barely|hardly|never talks to me"),
	r(themes.Distancing, Green, partner, "stayed|stays|stay close|near", "makes|make|made|making time $", "he|she|they is|are there $", "make|makes|made|making ~1 time for me",
		"been|more|really|so ~1 present|attentive|affectionate", "affectionate|attentive", "been|more|really|so ~1 close|loving !to",
		"answer|answering|answers|answered|reply|replying|replies|replied ~1 my|to my calls|texts|messages|phone",
		"stuck|stick|sticks|sticking|stayed|stays around", "reached|reaches|reach out",
		"make|makes|made|making ~1 effort", "spend|spends|spent|spending ~2 time with me", "spend|spends|spent|spending ~2 time together"),

	// Fear and doubt.
	r(themes.FearDoubt, Red, anyone, "what his|her|their ~ think*|say", "what people|others|anyone|everyone|they ~ think*|say*",
		"making a mistake", "second guess*", "on the fence", "one foot out", "mixed signals", "hot and cold",
		"not sure|certain he|she|they ~1 want*|love*",
		"not know|sure|certain if|whether|about ~4 future|last|together|us", "not know|sure|certain ~4 going anywhere|somewhere"),
	r(themes.FearDoubt, Red, anyone, "when|whenever|if i ~1 mention|mentions|mentioned|bring|raise|talk ~2 marriage|future|kids|engagement|wedding|commitment|moving", "for a way out", "for an exit",
		"scared|afraid|terrified|frightened|petrified of being left|abandoned|dumped"),
	r(themes.FearDoubt, Red, partner, "insecure"),
	r(themes.FearDoubt, Green, partner, "chose|chooses|choose|choosing me !over", "plan|plans|planning|talk|talks|discuss ~1 kids|ahead|past|beyond|marriage"),
	r(themes.FearDoubt, Red, partner, "doubt|doubts|doubted|doubting us", "ashamed|embarrassed of me|us", "embarrassed to be seen",
		"keep|keeps|kept me ~ secret|hidden", "hide|hides|hid|hiding me|us", "hide|hides|hid|hiding our|the relationship",
		"scared|afraid|terrified|worried|worries|worry|fears|nervous ~3 not|never work|works|last",
		"scared|afraid|terrified|worried|worries|worry|fears|nervous ~3 go|going|goes wrong",
		"scared|afraid|terrified|worried|worries|worry|fears|nervous ~3 fall|falling apart",
		"scared|afraid|terrified|worried|worries|worry|nervous ~3 parents|family|friends|mum|mom|dad|mother|father|people|everyone ~4 approve|think|say|react|judge|like|accept",
		"scared|afraid|terrified of getting|being hurt",
		"scared|afraid|nervous|worried|terrified|embarrassed|ashamed to tell ~1 his|her|their ~1 parents|family|mum|mom|dad|mother|father|friends|mates|boss|colleagues", "scared|afraid|terrified of commitment|committing|getting serious|settling down",
		"hold|holds|holding back", "take|taking|took a break", "time apart", "on a break", "unsure about|of us|this|me", "unsure about|of the|our relationship",
		"not ready $", "not ready for|to ~2 commit*|serious|relationship|marriage|married|marry|us|this|move|moving|kids|engaged|settle|more|next|future|meet|introduce|tell"),
	r(themes.FearDoubt, Green, partner, "sure|confident about|in us", "introduced|introduces|introduce|introducing me", "proud of me|us", "proud to be|introduce|show", "is|are|was|been|seems ~1 proud $",
		"ready for|to ~2 commit*|serious|marriage|married|marry|move|moving|kids|engaged|settle|next|future",
		"told|tell|tells his|her|their ~ about me|us", "told|tell|tells everyone|people ~3 about me|us", "told|tell|tells the world ~3 about me|us",
		"want|wants|wanted to meet my ~1 family|parents|friends|mum|mom|dad", "make|making|made it|us|things official|public", "want|wants|wanted ~4 know about me|us", "all in", "commit|commits|committed|committing",
		"want|wants|wanted to be with me", "want|wants|wanted to marry me", "want|wants|wanted to spend ~2 life|future|forever",
		"he|she|they talk*|plan*|dream* ~3 future|marriage|married|engaged|wedding",
		"show|shows|showed|showing me off", "posted|posts ~3 of|about us|me"),

	// Friendship.
	r(themes.Friendship, Red, anyone, "like|just|more|basically|only ~1 roommates|flatmates|housemates|roomates", "we are|were ~2 roommates|flatmates|housemates|roomates", "co parents|parenting", "coparents|coparenting", "ships that pass|passing",
		"nothing in common", "not my friend", "bored of|with each other", "bored of|with him|her|me|us", "boring", "separate lives", "like strangers", "nothing to talk about", "nothing to say", "in silence",
		"no|lost|zero spark|chemistry|connection", "lost ~2 spark|chemistry|connection|friendship|closeness"),
	r(themes.Friendship, Green, anyone, "best friend|friends|mate|mates|pal|buddy", "fun together", "like old times", "when we first met", "talked for hours",
		"favourite|favorite person|human|people", "person|one i ~2 hang|spend", "get|gets each other $",
		"chatted|chat|chatting|talked|talking ~1 for ages|hours"),
	r(themes.Friendship, Green, we, "great|lovely|loveliest|nice|nicest|amazing|brilliant|wonderful|fab|fantastic|fun|perfect|awesome|good|best|cute|cozy|cosy ~1 time|times|day|night|evening|weekend|date|holiday|trip|afternoon|morning|dinner|walk|chat !sleep",
		"are friends|mates", "are ~1 best|good|great|close|real|true|still friends|mates", "cosy|cozy|romantic"),
	r(themes.Friendship, Green, partner, "laugh|laughs|laughed|laughing at the same", "laugh|laughs|laughed|laughing ~1 at each other",
		"laugh|laughs|laughed|laughing !at|along", "have|had fun", "crack|cracks|cracked|cracking up",
		"so much fun", "such|great fun", "blast", "lots|loads of fun", "such a laugh", "date night"),
	r(themes.Friendship, Green, anyone, "enjoy*"),
	r(themes.Friendship, Green, we, "talk|talked|talking|speak|spoke|speaking !to|about|it", "talk|talked|talking about everything|anything|life",
		"do|doing|did ~2 anything|things|stuff together"),

	// Dependability.
	r(themes.Dependability, Red, partner, "let|lets|letting me down", "unreliable", "left me to", "he|she|they ~3 useless",
		"had|have to ~4 on my own", "had|have to ~4 by myself", "had|have to ~4 alone"),
	r(themes.Dependability, Red, self, "had|have to ~4 on my own", "had|have to ~4 by myself", "had|have to ~4 alone|myself"),
	r(themes.Dependability, Green, anyone, "the one|person i would ~1 call|ring|turn|go", "got|get you|us $", "have|has|had got you|us $"),
	r(themes.Dependability, Red, partner, "forgot|forgets|forget|forgetting ~1 them|kids|children|son|daughter|me|us", "forgot|forgets|forget to pick|collect|get"),
	r(themes.Dependability, Green, partner, "showing|show|shows|showed|turning|turn|turns|turned up for me|us"),
	r(themes.Dependability, Green, self, "count on @p", "can ~1 call|ring|phone @p", "rely|relied on", "lean|leaned on", "depend|depended|depending on"),
	r(themes.Dependability, Green, partner, "there for me", "there when i need*", "there through", "reliable", "supportive",
		"there|around when|whenever i need*",
		"there when|while|during|at|after ~4 died|passed|sick|ill|need*|struggl*|lost|hospital|birth|born|surgery|funeral|hard|tough|crisis|diagnos*|miscarr*|worst|breakdown|bad",
		"help|helped|helps ~ with", "help|helped|helps|helping me through|out", "help|helped|helps|helping me|out|around|$", "help|helped|helps|helping at all", "lift|lifts|lifted a finger",
		"took|takes|take|taking care of everything|me|things|us|it",
		"my|a rock", "dropped|drops|drop everything",
		"came|comes|drove|come ~3 get|got|pick|picked|collect|collected me",
		"did|done|does|doing all the cooking|cleaning|housework|chores|driving|shopping|washing|laundry|childcare|school", "stepped|steps|step up", "dependable",
		"looked|looks|look|looking after me|us|everything", "looked|looks|look|looking after the kids|baby"),
	r(themes.Dependability, Red, partner, "nowhere to be found|seen", "said|says|was|is|always|too ~1 too busy"),
	r(themes.Dependability, Green, partner, "sorted|sorts it|everything|things", "handled|handles it|everything $",
		"took|takes|take|taking the kids|baby|children ~3 so i", "took|takes|take|taking the kids|baby|children ~3 every|for",
		"drove|came|flew|travelled|traveled|rushed|raced ~4 be with me", "drove|came|flew|travelled|traveled|rushed|raced ~4 see|get|collect me"),
)

// firstWords indexes the rules by the words their patterns can start with
// ("^" aside), so a reply's words are tried only against rules that could
// match there; prefixRules are the rules whose first element has a prefix
// ("accus*"), tried everywhere.
var firstWords, prefixRules = indexRules(rules)

func indexRules(rs []rule) (map[string][]int, []int) {
	idx := map[string][]int{}
	var prefix []int
	for ri, r := range rs {
		first := r.pat[0]
		if first.kind == '^' {
			first = r.pat[1]
		}
		if slices.ContainsFunc(first.words, func(w string) bool { return strings.HasSuffix(w, "*") }) {
			prefix = append(prefix, ri)
			continue
		}
		for _, w := range first.words {
			if l := idx[w]; len(l) == 0 || l[len(l)-1] != ri {
				idx[w] = append(l, ri)
			}
		}
	}
	return idx, prefix
}

// ruleStarts lists, for each rule, the positions in toks where its pattern
// could start, in order.
func ruleStarts(toks []token) [][]int {
	starts := make([][]int, len(rules))
	for i, t := range toks {
		if isBarrier(t.w) {
			continue
		}
		for _, ri := range firstWords[t.w] {
			starts[ri] = append(starts[ri], i)
		}
	}
	for _, ri := range prefixRules {
		first := rules[ri].pat[0]
		if first.kind == '^' {
			first = rules[ri].pat[1]
		}
		for i, t := range toks {
			if !isBarrier(t.w) && wordIn(t.w, first.words) {
				starts[ri] = append(starts[ri], i)
			}
		}
	}
	return starts
}

// r2 is r for phrases that speak to two themes at once ("walks out when I
// bring things up" is both distancing and confiding).
func r2(theme, also string, pol Polarity, a actor, pats ...string) []rule {
	out := r(theme, pol, a, pats...)
	for i := range out {
		out[i].also = also
	}
	return out
}

// block lists phrases that use up their words and mean nothing, so a
// general rule does not misread them ("my best friend" as a subject).
func block(pats ...string) []rule { return r("", "", anyone, pats...) }

func concat(groups ...[]rule) []rule {
	var out []rule
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
