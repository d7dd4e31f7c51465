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
	other bool // counts only after a third party is named in the sentence: "his mum ... and he said nothing"
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
	// Before the blockers, which read "holds my hand" as tenderness only.
	r(themes.FearDoubt, Green, partner, "held|holds|hold|holding|took|takes my hand ~1 in front of"),
	r(themes.FearDoubt, Red, partner, "not want|wants ~1 to tell ~4 about us|me"),
	r(themes.HasYourBack, Red, partner, "laughed|laughs|laughing when|while|as ~3 made|make|makes|making fun|mocked|mocks|teased|teases|insulted|insults"),
	r(themes.Distancing, Green, partner, "not|never leave|left|leaves my side"),
	r(themes.Honesty, Red, partner, "gaslight*", "says|said|insists|insisted|claims|claimed ~3 never happened"),
	block("i can|could tell $", "i can|could tell by|from|that|when"),
	r(themes.Dependability, Green, partner, "was|is|were there ~1 holding|hugging|beside"),
	// Before Safety's "threw ... at me": words thrown back are not objects.
	r(themes.Confiding, Red, partner, "threw|throws|throw|throwing it|that|this|them|things|stuff|everything ~1 back at|in ~1 me|my"),
	// Blockers: words a general rule below would misread.
	block(
		// Figures of speech that sound like danger and are not.
		"punching|punch|punched above",
		"throwing|threw|throw|throws ~2 life away",
		"only thing ~4 threaten|threatens|threatened|threatening",
		"going to ~1 kill|murder me when|if ~3 see|sees|find|finds|hear|hears|notice|notices|get|gets",
		"gonna ~1 kill|murder me when|if ~3 see|sees|find|finds|hear|hears|notice|notices|get|gets",
		"destroy|destroys|destroyed|beat|beats|crush|crushes|crushed|thrash|thrashed|kill|killed|murder|murdered me at|in ~1 monopoly|chess|cards|scrabble|tennis|pool|darts|golf|poker|uno|squash|badminton|mario|fifa|game|games|board",
		"that|it|this|which|what ~1 hurt|hurts|hurting me",
		"it|that|this|which is|was ~1 scary|terrifying|frightening",
		"question|questions scare|scares|scared me",
		"kill|murder|strangle me if i ~1 spoil|spoiled|eat|ate|finish|touch|forget|miss|break|lose|scratch|burn|drop",
		"not let me see|look ~1 what|his|her|their|it|inside|in|at",
		"drags|dragged|drag|dragging me ~1 to|along|round|around|on ~3 sales|shops|shopping|party|parties|gym|church|concert|concerts|museum|museums|wedding|dinner|movies|cinema|market|markets|quiz|hike|walk|walks|gig|gigs|festival|yoga|class|classes|pub|bar|club|beach|park|ikea|dancing",
		"hike|walk|run ~1 he|she|they dragged|drags me",
		"what|that|it|which|this|how ~2 scared|scares|scare|frightened|frightens me", "thoughts ~2 scared|scare|scares|frightened me",
		"scared|scares|frightened me ~2 with a|his|her|their ~1 mask|costume|prank|joke", "scared|scares|scare me senseless|silly",
		"only threat", "not feel|felt|feeling safe trusting|telling|sharing|talking|opening|confiding",
		"^ my best friend|friends|mate|mates|pal", // a third party as the subject, not "she's my best friend"
		"made|makes|make|making it up to",         // making amends, not making things up
		"hit|hits|hitting the gym|road|sack|hay|jackpot|shops",
		"rugby|paintball*|kickbox*|boxing|mma|gym|football|hockey|mosh|sparring|judo|karate|climbing|cage ~10 bruise*|bruised|punched|punch|hits",
		"rugby|paintball*|kickbox*|boxing|mma|gym|football|hockey|mosh|sparring|judo|karate|climbing|cage ~10 black eye|eyes",
		"bruise*|bruised ~10 rugby|paintball*|kickbox*|boxing|mma|gym|football|hockey|mosh|sparring|judo|karate|climbing",
		"commute|job|work|week|heat|boss|exams|exam|deadline|traffic|hangover|kids|mum|mom|dad|mother|father ~4 kill|killing|kills me",
		"pillow fight|fighting", "play fight|fighting|fights", "hit|hits|hitting|smacked|whacked|bopped me with a ~1 pillow|cushion|snowball|towel|balloon",
		"threatening|threatened|threatens ~2 legal|sue|court|lawyers|solicitors", "held up at knifepoint|gunpoint",
		"flinch* ~3 roundabout|roundabouts|corner|corners|junction|brakes|driving",
		"i asked|ask|begged @p to take|hide|keep|hold ~2 my", "offered|offers to ~1 put|install|fit|set ~4 tracker|tracking|camera|cameras|app|airtag",
		"kill|murder|strangle me if i ~1 buy|buys|bought|sing|wake|use|play|watch|post",
		"jefe|jefa|hermano|hermana|madre|padre|mamá|mama|suegra|suegro|abuela|profe me va|mata",
		"hits|hit|hitting me with ~2 truth|honesty|facts|news|questions|question|jokes|joke|puns|compliments",
		"beat|beats|beating me hands down", "jokes|joked|joking ~3 kill|murder|strangle",
		"baby|bump kicked|kicks|kicking",
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
		"squeez*|squeezed|held|holding|holds|took|takes my hand|hands !hard|too|so|till|until", // tenderness, not harm
		"grabbed|grabs|grabbing my hand|hands and we",
		// Things, not people, that "kill" the writer, and other figures of speech.
		"job|commute|work|traffic|kids|boss|heat|weather|hangover|deadline|deadlines|exam|exams|week|gym|stairs|drive|shift|shifts|feet|back|head|cold|flu|this|it|waiting|suspense|hills|run|workout|cramps ~3 kill|killing|kills me",
		"would|will|gonna kill me if ~3 knew|found|find|saw|sees|see|heard|hears",
		"scared|scares|frightened|frightens me ~1 to death",
		"punch*|punched the air",
		"beat|beats|beating me at|to", // a game, not a beating
		"pushed|pushes|push|pushing me to apply|go|try|study|do|be|get|take|start|finish|follow|chase|keep|join|see|talk|write|work|believe", // encouragement
	),
	r(themes.Confiding, Red, anyone, "when|whenever|if|time i try|tried|want|wanted to talk|open|bring ~6 tired|knackered|exhausted|busy|later|now"),
	block("cold ~4 flu|virus|bug|literally|weather|outside|freezing|heating|sore|sneez*"), // a cold, not coldness
	r(themes.HasYourBack, Green, we, "are|were ~2 team"),
	r(themes.KeepingWord, Green, partner, "promis* ~8 and|then we ~1 went|did|got"),
	r(themes.FearDoubt, Green, we, "are|were engaged"),
	r(themes.Friendship, Green, we, "converse|communicate|communicating"),
	r(themes.KeepingWord, Red, partner, "forgets|forgot|forgetting ~3 agreed|promised|promise|promises|said|planned"),
	r(themes.Honesty, Green, partner, "candid|frank|forthcoming", "apologi* ~10 meant it"),
	r(themes.Confiding, Red, anyone, "conversations|conversation|talking ~3 strained|tense|awkward|difficult"),
	r(themes.Distancing, Green, partner, "kiss|kisses|kissed|hug|hugs|hugged me goodbye|hello|goodnight"),
	r(themes.Distancing, Green, partner, "been|is|was home more|earlier|early"),
	r(themes.Confiding, Red, partner, "not|never ~1 get|gets|understand|understands why i"),
	r(themes.Confiding, Red, self, "hiding|hide|hid|keep|keeping|kept things|stuff ~1 from him|her|them"),
	r(themes.HasYourBack, Green, partner, "says|said ~2 nice|good|kind ~2 about me"),
	r(themes.FearDoubt, Green, partner, "brags|bragged|boasts|boasted ~1 about me|us"),
	r(themes.Distancing, Red, anyone, "drift|drifting|drifted|drifts"),
	r(themes.Dependability, Red, anyone, "like a single parent|mum|mom|dad|mother|father"),
	r(themes.Trust, Red, partner, "guilt trip|trips|tripped|tripping"),
	r(themes.Confiding, Red, partner, "sulk*|sulks ~3 if|when|whenever i ~2 say|tell|bring|raise|mention|disagree|complain|ask|talk"),
	r(themes.Distancing, Green, partner, "got|has|have|always ~1 time for me"),
	r(themes.HasYourBack, Red, partner, "told|tells|telling|tell me off ~2 in front of", "made|makes|making excuses for his|her|their"),
	r(themes.HasYourBack, Green, partner, "backing|backed|backs me|us !up"),
	r(themes.Honesty, Red, partner, "phone|phones face down", "changed|changes|change !my ~2 passcode|password|passwords|pin"),
	r(themes.Trust, Red, self, "jealous*"),
	r(themes.Trust, Red, partner, "prove where|who|that i"),
	r(themes.Trust, Green, anyone, "no|never ~3 reason not to trust|believe"),
	r(themes.Friendship, Green, we, "eat|ate|have|had dinner|meals|lunch|breakfast together", "go|went|going for a walk|walks|drive|drink|coffee"),
	r(themes.Friendship, Red, anyone, "date night|nights ~3 stopped|gone|ended|disappeared|dried"),
	r(themes.FearDoubt, Green, partner, "talk|talks|talked|discuss* about moving in"),
	r(themes.Dependability, Red, self, "had|have to ask|beg|nag|remind ~2 times|twice|again|repeatedly|before"),
	r(themes.Dependability, Green, partner, "show|shows|showed|showing|turn|turns|turned|turning up for me|us"),
	r(themes.Honesty, Green, anyone, "no secrets"),
	r(themes.Trust, Green, we, "share|sharing|shared ~1 passwords|password|location|locations"),
	r(themes.Trust, Red, self, "wonder|wondering|wonders|guess|guessing where i stand"),
	r(themes.Trust, Green, self, "know|knowing where i stand"),
	r(themes.Trust, Green, partner, "happy|fine|ok|okay|cool|chill|relaxed|glad for me to ~2 go|have|see|spend|travel|visit"),
	r(themes.KeepingWord, Green, partner, "finally ~6 promis*|promising|promised"),
	r(themes.Dependability, Green, partner, "my go to for|person", "my go to $", "held|holds|hold|holding the fort",
		"cooking|cooked|cooks ~1 every|each night|day|evening"),
	r(themes.Confiding, Green, partner, "was|were|is|been so|really|very|super gentle|patient|understanding"),
	r(themes.HasYourBack, Green, partner, "had|has|have a ~1 word|words with his|her|their", "has|have|had|got my corner"),
	r(themes.Friendship, Green, we, "cooked|cooking|danced|dancing|sang|singing|played|playing|baked|baking ~2 together", "danced|dancing in the kitchen"),
	r(themes.Friendship, Green, anyone, "inside jokes|joke"),
	r(themes.Distancing, Green, partner, "home every|each ~1 evening|night|day", "reached|reaches|reaching for my hand",
		"put|puts|putting his|her|their phone down|away"),
	r(themes.FearDoubt, Green, partner, "can not|cannot wait to marry|move|live|spend|start|meet|build|have"),
	r(themes.FearDoubt, Green, we, "deposit ~4 flat|house|home|place", "flat|house|home|place together"),
	r(themes.Trust, Green, anyone, "phones|phone ~2 lying around|unlocked"),
	block("lying|lie|lies around|down", "lying|lie in bed", "lie|lying in $"), // things lying around, a lie-in
	r(themes.Dependability, Red, partner, "left|leaves|leaving me at the|a ~1 party|pub|club|bar|station|hospital|wedding|airport"),
	r(themes.Honesty, Green, partner, "own|owns|owned|owning his|her|their ~1 mistakes|mistake|mess|part|behaviour|behavior|faults"),
	r(themes.Trust, Red, partner, "read|reads|reading|looks|looking|peers|peering over my shoulder"),
	r(themes.Distancing, Red, partner, "sleeping|sleeps|slept|staying|stays|stayed at his|her|their ~1 mum|mom|mother|parents|brother|sister|mate|friend|friends ~2 most|every|all|a",
		"barely|hardly|never|not ~1 look|looks|looked|looking up"),
	r(themes.Friendship, Green, partner, "surprised|surprises|surprise me ~3 with"),
	r(themes.Dependability, Green, partner, "fixed|fixes|mended|mends|repaired|repairs my"),
	r(themes.HasYourBack, Red, partner, "mock*|belittl*|criticis*|criticiz*|insult* my ~2 in front of"),
	r(themes.HasYourBack, Green, partner, "said|says ~3 enough ~4 mum|mom|dad|mother|father|family|sister|brother|friend|friends|mates|parents", "said|says ~1 mum|mom|dad|mother|father ~1 enough"),
	r(themes.Confiding, Red, anyone, "can not|cannot|never bring|raise|mention|say anything|things|stuff|something ~2 without", "turn|turns|turning|turned into a|an ~1 fight|row|argument|screaming"),
	r(themes.Friendship, Green, anyone, "finish|finishes each other"),
	r(themes.FearDoubt, Green, partner, "talk|talks|talked|discuss ~2 where this|we|it|things ~2 going|heading", "changed|change|updated|update ~2 relationship status"),
	r(themes.FearDoubt, Green, anyone, "for his|her|their blessing"),
	// Fear of the future shows in how they take the word: "flinches every time I say wedding".
	r(themes.FearDoubt, Red, partner, "flinch*|freezes|froze|tenses|tensed|panics|panicked ~7 marriage|wedding|engagement|future|commitment|kids|proposal|married"),
	r(themes.FearDoubt, Red, anyone, "for someone|something better", "better offer"),
	r(themes.FearDoubt, Green, anyone, "when we are|get old|older|grey|retired"),
	block("without judging|judgement|judgment|complaining|moaning|question|questions|fuss|hesitation|hesitating|thinking"),
	r(themes.Distancing, Red, anyone, "invisible", "not ~1 touched|kissed|hugged|held|cuddled me ~1 in|for ~1 months|weeks|ages|years|days|a"),
	r(themes.Honesty, Green, partner, "first to say sorry|apologise|apologize|admit|own"),
	r(themes.Dependability, Red, partner, "not come|go|be ~2 to|for|at my|our ~2 graduation|birthday|party|recital|scan|appointment|funeral|wedding|operation|interview|gig|match"),
	r(themes.Dependability, Green, partner, "did|does|doing everything ~3 cooking|cleaning|driving|shopping|washing|kids|school|chores|housework"),
	r(themes.Trust, Red, notOther, "track*|tracks my|his|her phone|car|movements|every|steps"),
	r(themes.HasYourBack, Green, partner, "told|tells|tell @p where to go"),
	r(themes.Friendship, Green, we, "do|did|doing anything fun"),
	r(themes.Confiding, Green, notOther, "person|one i ~2 tell|call|text|talk ~3 first|everything"),
	r(themes.Friendship, Green, anyone, "best|great|lovely|good|fun night|day|weekend|time|evening in|for ages|months|years", "took|takes|take|taking me out ~2 dinner|for|to|dancing"),
	r(themes.Dependability, Green, partner, "handled|handles|sorted|sorts|organised|organized|arranged ~2 funeral|arrangements|everything|paperwork|appointments|bills|kids"),
	r(themes.FearDoubt, Red, anyone, "not know|sure|certain if|whether he|she|they ~5 want|wants|love|loves|serious|committed|ready|sure ~4 $", "options open"),
	r(themes.Trust, Red, partner, "he|she|they still ~1 talks|talking|texts|texting|messages|messaging|sees|seeing|calls|calling ~2 ex|exes"),
	// A boring film is not a boring partner.
	block("film|movie|films|movies|book|show|match|game|party|meeting|lecture|job|work|class|play|series|episode|wedding|drive|flight ~2 boring"),
	// An attempt to open up is not confiding done.
	block("try|tried|trying|tries|want|wanted|wanting to open|opening|talk|share|confide|tell"),
	r(themes.Dependability, Green, partner, "covered|covers|cover|covering the|our|my ~1 mortgage|rent|bills", "paid|pays|paying my|our|the ~1 rent|bills|mortgage ~2 when|while|after|for|because|so"),

	// Safety: physical harm, threats, fear of the partner. Only ever red.
	r(themes.Safety, Red, anyone,
		"will|would|does|did|do not let me leave|go|out|see|visit|drive|work|wear",
		"will|would|does|did|do not let me have ~3 account|money|card|phone|friends|job|car|keys|passport",
		"account for every|each ~1 minute|penny|hour|pound|pence|cent|dollar",
		"tore|tears|ripped|rips|burned|burnt|destroyed|destroys ~2 passport|documents|papers|visa",
		"told|tell|asked|begged @p to stay away", "told|tell|asked|begged @p to leave me alone", "told|tell|asked|begged @p to stop contacting", "keeps|kept|keep turning|showing up at my",
		"pocket money", "allowance",
		"not|never to wake up", "go to sleep and not|never wake",
		"bruise*", "smash*|smashing|breaking|broke|throwing|threw|throws|throw things|stuff",
		"scared|afraid|terrified|frightened of what he|she|they ~ do",
		"scared|afraid|terrified|frightened to go|come|be ~1 home|back",
		"scared|afraid|terrified|frightened of going|coming|being ~1 home|back",
		"not feel|felt|feeling safe", "unsafe", "fear for my safety|life",
		"kill me", "scaring|scares|scared|scare|frightens|frighten|frightened|terrifies|terrify|intimidat* me",
		"walk|walking|walked on eggshells",
		"never see the|my|our|them ~1 kids|children|baby|son|daughter|again|$",
		"if i leave|left|go ~4 take|keep|took ~2 kids|children|baby|son|daughter",
		"take|took|taking|takes ~3 kids|children|baby|son|daughter away", "take|took|taking|takes ~3 kids|children|baby|son|daughter from me",
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
		"no one else would|will ~2 want|have|love me", "no one else would|will ~2 put up with me", "nobody else would|will ~2 want|have|love me", "nobody else would|will ~2 put up with me", "be nothing without him|her|them",
		"by|past|near my head|face", "next to my head|face", "never know what ~4 set|sets|trigger|triggers",
		"hid|hide|hiding|hides|locked|lock ~1 myself|me in the|my ~1 bathroom|bedroom|room|car", "until|till he|she|they ~1 calmed|calms|calm down",
		"sex ~3 when|after i ~1 said|say no", "sex ~3 even though i ~1 said|say no", "raped|rape|rapes|assaulted|assault"),
	r(themes.Safety, Red, notOther, "ask|asking|asked|get|getting|need|needs ~2 permission", "came|comes|coming|went at me"),
	r(themes.Safety, Red, partnerNamed, "check|checks|checked|checking ~2 mileage|receipts|receipt"),
	// Threats and control said in many ways: blackmail with photos or a
	// secret, harm to someone the writer loves, the partner's self-harm
	// as a lever, keys, papers, medicine or money held back, being
	// followed or tracked, hiding from the partner, and the thought of not
	// being alive.
	r(themes.Safety, Red, partnerNamed,
		"said|says|told|tells|threatened|threatens|saying ~14 regret it|this", "make|makes|made sure i ~1 regret|can not|cannot|never",
		"post|put|send|share|leak|show|upload ~4 photos|pictures|pics|video|videos|vids|nudes|images|fotos|recording|recordings ~6 if|unless|online|everyone|everywhere|alle",
		"post|put|share|leak|upload ~2 it|them|those|that|these online|everywhere",
		"will|would|gonna tell ~4 gay|lesbian|bi|trans|cheating|past|secret|affair", "tell ~4 gay|lesbian|bi|trans|cheating|past|secret|affair ~2 if|unless",
		"will|would|gonna hurt|harm|kill|break my", "threatened|threatens|threatening to hurt|harm|kill|break my", "going to hurt|harm|kill|break my",
		"will|would|gonna break|smash ~1 my ~1 legs|arm|arms|neck|face|jaw|phone",
		"kill|hurt|harm himself|herself|themselves|themself ~4 my fault", "kill|hurt|harm himself|herself|themselves|themself ~2 and ~1 blame me",
		"if i ~8 will|would|gonna|going ~2 kill|hurt|harm himself|herself|themselves|themself",
		"hides|hid|hide|hiding|holds|held|keeps|kept|takes|took|withholds ~1 my ~1 meds|medication|medicine|pills|inhaler|insulin",
		"keep|keeps|kept|has|got|holds|took ~1 my ~6 card|cards|passport|permit|keys|documents|papers ~4 locked|drawer|safekeeping|safe",
		"not|never give|gives|giving ~4 back ~3 unless|until|till|til", "not|never give|gives|giving me ~4 unless|until|till|til",
		"has|keeps|kept|took|takes my passport|papers|documents|visa|id", "takes|took|take ~1 my ~1 phone|keys|card|cards ~3 when|so|at",
		"stands|stood|standing in front of the ~1 door|doorway", "right in my face", "chokd|choaked|chocked me",
		"drives|drove|driving ~3 fast|crazy|dangerously ~4 me|kids ~3 in the car", "drives|drove ~1 like that with me",
		"controls|controlled who i", "breaks|broke|smashes|smashed things|stuff ~2 if i|when i",
		"installed ~3 tracking|tracker|spy ~1 app", "uses it to turn up|show up",
		"controls|controlled|controlling my ~1 phone|money|bank|finances|account|accounts|wages",
		"decides|decide|decided|chooses|choose who i ~3 see|text|talk|meet|call|allowed|can",
		"follows|followed|following me ~2 to|around|everywhere|home|work", "waits|waited|waiting outside ~4 all day|work|my|for hours",
		"put|puts|installed|installs ~2 tracker|tracking|spyware", "app on my phone so he|she|they ~1 can|could ~1 see|track|know|read",
		"dangerous when|if ~2 drunk|drinks|drinking|angry", "worse next time", "lucky he|she|they ~2 not do worse",
		"sending|sent|sends|shared|sharing|posted|posting|leaked|leaks my nudes|nude|photos|pictures"),
	r(themes.Safety, Red, anyone, "who i can and can not|cannot see|talk|text|meet", "who i am allowed to see|talk|text|meet"),
	r(themes.Safety, Red, self,
		"have|had to ask ~3 for money", "have|had to ask ~3 to use|go|leave|see", "have|had to ask before i",
		"have|had to hand over my ~1 phone|passwords|password|card|keys", "sleep at|in my ~1 sister|sisters|mum|mom|moms|mums|friend|friends|brother|parents|kids ~3 when|if he|she|they",
		"bag|bags packed ~3 just in case", "scared|afraid|frightened|terrified of the explosions|outbursts|rages",
		"wait|waiting|waited ~4 until|till|til his|her|their ~1 car is|s gone", "thinking|thought|think|thinks about ending it|things",
		"thinking|thought|think|thinks about not being here|alive|waking", "hide|hid|hiding my ~1 car ~1 keys",
		"lock|locked|locking ~1 the|my ~1 bathroom|bedroom|door ~4 when he|she|they", "sleep|sleeping with ~1 the|my ~1 door locked",
		"hiding|hid|hide ~1 the|all|our ~1 knives", "scared|afraid|frightened|terrified of what happens",
		"not wanting to wake|live|be here|be alive", "very|some|really|such dark thoughts", "dark thoughts lately|recently|again|$", "ending things ~3 my life", "better off not being here",
		"not being here at all", "driving|drive ~1 into a ~1 wall|tree|river"),
	// Fear of the partner, and control, said in German, Spanish, French,
	// Portuguese or Italian.
	r(themes.Safety, Red, anyone, "angst vor ihm|ihr", "nimmt mir ~1 das|mein ~1 geld|handy|telefon|pass", "lasst|lässt mich nicht ~2 raus|gehen|arbeiten",
		"miedo de|a el|él|ella", "peur de lui|elle", "peur d elle", "medo dele|dela", "medo do meu|da minha", "paura di lui|lei", "paura del mio|della mia",
		"me da miedo", "me empujó|empujo|pegó|pego|golpeó|golpeo|golpea|pega|amenaza", "me quita ~2 dinero|teléfono|telefono|sueldo|celular|pasaporte", "no me deja salir",
		"me menace|frappe", "m a frappé|frappe|menacé|menace|menacée", "ho paura quando|di", "casse des choses", "m enferme", "me bateu|bate|ameaça|ameaca", "schickt meine fotos", "schlägt|schlagt|bedroht mich"),
	r(themes.Safety, Red, self, "scared|afraid|terrified|frightened of @p|my", "scared|afraid|terrified|frightened from @p|my", "i ~1 feel|am in danger"),
	r(themes.Safety, Red, partnerNamed, "makes|made|make me ~1 scared|afraid|terrified|frightened", "make|makes|made my life hell", "said|says|told ~4 i will|would be sorry",
		"take|takes|took my ~1 phone|money|keys|card|passport and ~1 my"),
	r(themes.Safety, Red, partner, "not let me talk|speak with ~1 my|anyone|friends|family|mum|mom|sister|brother|parents|dad"),
	r(themes.Safety, Red, self, "scared|afraid|terrified|frightened to tell|ask @p ~4 leave|leaving|divorce|break|breaking|over|end|ending|moving"),
	// Thoughts of self-harm: the same prompt support note goes out, and
	// every country's resources include a crisis line.
	r(themes.Safety, Red, self,
		"kill|killing|hurt|hurting|harm|harming|cut|cutting myself",
		"end|ending it all", "end|ending my life", "take|taking my own life",
		"want|wanted|wanting|wish|wished to die", "want|wanted|wanting|wish|wished to be dead",
		"suicid*", "self harm|harming",
		"do not want to be here|alive",
		"no reason|point to live|living", "no reason|point to go|carry on", "no point in living", "no point in going|carrying on"),
	r(themes.Safety, Red, anyone, "better off without me|dead", "better without me", "better off ~3 if i was|were not ~1 here|around|alive",
		"easier|better ~3 if i am|was|were not ~1 here|around|alive"),
	r(themes.Safety, Red, notOther, "punch*|punched"),
	r(themes.Safety, Red, self, "in case i need|have to ~1 call|get|leave|run|escape|go"),
	r(themes.Safety, Red, anyone, "better ~2 if i ~1 disappeared|disappear|died|die", "better ~2 if i was|were ~1 gone|dead", "with me in it", "no one|nobody will|would believe me|you", "unless i do what he|she|they"),
	r(themes.Safety, Red, partner, "burn|burns|burned|burnt ~2 house|flat|place|car ~1 down", "not give me ~1 money|food|access",
		"took|takes|take|taking my phone|phones away", "put|puts|installed|installs a ~1 tracker|tracking", "tracker on my",
		"threw|throws|thrown|throwing my ~1 clothes|stuff|things|belongings ~2 out"),
	// More ways of saying the same dangers: the partner called violent,
	// threats to life or livelihood, control of where the writer goes and
	// who they see, physical harm in other verbs, and thoughts of not
	// wanting to live.
	r(themes.Safety, Red, partner,
		"gets|got|getting|becomes|became|turns|turned ~1 violent|abusive|rough !to|towards", "is|was|be violent|abusive !to|towards",
		"physically|verbally|emotionally abusive|violent", "rough with me", "manhandl*",
		"spat|spit|spits|spitting in|on|at ~1 my|me", "forced|forces|forcing himself|herself on me",
		"threw|throws|thrown|throwing|shoved|shoves|slammed|slams me ~1 on|onto|against|across|into|down", "pushed|pushes me ~1 against|onto|down|off|over|into the|a ~1 wall|floor|door|table|bed|ground|stairs|car",
		"put|puts|landed|lands me in ~1 hospital|er",
		"would|will|to|gonna find|hunt|track me ~1 down $", "would|will|to|gonna find|hunt|track me $", "find my body", "no one|nobody would|will ever ~1 find",
		"take|took|taking|takes ~3 kids|children|baby|son|daughter ~8 never see",
		"forbid*|forbade ~1 me ~1 from|to ~1 see|seeing|go|going|talk|talking|leave|leaving|work|working|contact|call|visit|visiting",
		"not allow|allows|allowed|let|lets me ~1 to ~1 see|visit|contact|call|talk|speak ~2 my|friends|family|anyone|mum|mom|parents|sister|brother|dad",
		"keep|keeps|kept|stop|stops|stopped me from seeing|contacting|visiting|calling|talking ~2 my|friends|family|anyone|mum|mom|parents|sister|brother",
		"not let me talk|speak|call|phone|contact|text ~1 to ~1 my|anyone|friends|family|mum|mom|sister|brother|parents|dad", "not allow|allows me ~1 to leave|go ~1 out|house|home|$",
		"stalk*|stalking me", "made|makes|make|forced|forces me ~2 hand|give ~3 wages|money|pay|salary|card|cards|earnings|passport",
		"took|takes|take|taking my phone|phones off|from me",
		"made|makes|make me sleep ~2 outside|car|floor|garage"),
	r(themes.Safety, Red, self, "have|had to hand|give ~1 over ~2 wages|salary|earnings|pay|money|card"),
	r(themes.Safety, Red, partnerNamed,
		"broke|broken|breaks|fractured|cracked ~1 my ~1 arm|nose|ribs|rib|jaw|wrist|finger|fingers|tooth|teeth|leg|collarbone|cheekbone",
		"took|takes|take|taking all my ~1 money|wages|salary|pay|savings|earnings",
		"controls|controlled|controlling everything|every ~1 i|thing|aspect|move|step|penny",
		"is|was|gets|got|be|and scary|terrifying|frightening|menacing",
		"burn|burns|burned|burnt|set|sets ~4 with me ~1 inside|in", "set|sets fire to me|my",
		"knife|knives|gun|blade|weapon|scissors ~3 my ~1 throat|neck|head|chest|face|stomach|back",
		"makes|made|make|forces|forced|pressures|pressured|pressuring me ~8 bed|sex|sexual|sexually",
		"threw|throws|thrown|throwing|poured|pours ~3 on|over me", "burned|burnt|burns me",
		"run|ran|running me over|off", "threw|throws|pushed|pushes|kicked|kicks me out of the ~1 car"),
	r(themes.Safety, Red, anyone,
		"called|call|calling|phoned|rang|ring the police|cops", "police came|were|arrested|took", "restraining|protection|protective|molestation order",
		"to|at|in a|the ~1 shelter|refuge", "i am in danger", "please help me $", "someone ~1 help me $"),
	r(themes.Safety, Red, partnerNamed,
		"gets|got|getting|became|becomes physical|handsy|aggressive|agressive !with|about|at|in|on", "aggressive|agressive|physical|handsy with|towards me",
		"hand|hands over my ~1 mouth|face|nose", "elbowed|elbows|kneed|headbutted|tripped|trips|stamped|stomped me", "head butted|butt|butts me",
		"hurt|hurts|injured|bruised my ~1 wrist|arm|arms|neck|face|back|ribs|leg|hand|shoulder|head|jaw",
		"said|says|threatened|threatens ~4 send|post|share|leak|show ~4 nudes|naked|private|intimate|sex|sexual", "send|post|share|leak|show ~3 photos|pictures|pics|videos|video|nudes to ~1 my ~1 boss|work|family|mum|mom|dad|parents|friends|everyone",
		"get|have me deported", "report me to immigration", "cancel|take|revoke|stop my visa", "call|calls|report|reports immigration ~1 on me",
		"make|makes|made me disappear", "decides|decide|decided|tells|tell|told ~1 me who i ~1 can|may|could|am allowed ~4 see|meet|talk|text|call",
		"made|makes|make|forced|forces me ~1 share|turn on my location", "calls|call|rings|texts ~2 if|when|whenever i go|am ~1 anywhere",
		"not let me sleep", "keeps|kept|keep me awake|up all night", "wakes|woke|waking me up ~4 shout|yell|scream|argue|fight",
		"made|makes|make me ~3 beg|kneel|knees"),
	r(themes.Safety, Red, partner, "not stop when i ~1 say|said no"),
	r(themes.Safety, Red, anyone, "from|where he|she|they ~1 grabbed|held|hit|pushed|squeezed|kicked|punched|bit"),
	r(themes.Safety, Red, notOther, "black eye|eyes", "split|bust|fat lip", "walked into a door", "have my own|a ~1 bank|account|money|card|phone ~1 not allowed"),
	r(themes.Safety, Red, notOther, "not allowed ~1 to ~1 have my own|a ~1 bank|account|money|card|phone"),
	r(themes.Safety, Red, self,
		"cover|covered|covering|hide|hiding ~2 marks|bruises", "frightened|terrified all the time", "scared all the time",
		"scared|afraid|terrified|frightened what he|she|they ~2 do", "scared|afraid|terrified|frightened for my ~1 kids|children|baby|safety|son|daughter",
		"scared|afraid|terrified|frightened to tell @p ~4 pregnant",
		"hiding|hid at|in my|a ~1 sister|friend|mum|mom|parents|brother|dad|friends|neighbour|neighbor",
		"fled|escaped ~3 kids|children|baby|night|house|home", "left ~3 kids|children|baby ~3 night", "left ~3 kids|children|baby while he|she",
		"get out ~3 scared|afraid|terrified|frightened", "bag|bags packed ~2 in case|$"),
	r(themes.Safety, Red, self, "i am not safe", "not safe at home|with @p|around @p", "lock|locked|locking the|my ~1 door ~4 because of|from @p", "door|doors locked ~3 because of|from @p"),
	r(themes.Safety, Red, notOther,
		"not allowed ~1 to ~2 see|visit|contact|call ~2 my|friends|family|anyone|mum|mom|parents|sister|brother|dad", "not allowed out", "not allowed to leave", "not allowed to go out",
		"not allowed a|my|any ~1 password|passcode|phone|money|friends|job|car|keys|account|card"),
	r(themes.Safety, Red, self,
		"scared|afraid|terrified|frightened|fear for my life|safety", "scared|afraid|terrified|frightened he|she|they ~3 hurt|hit|kill|attack|strangle|choke !himself|herself|themselves|themself",
		"terrified|frightened to ~2 leave|refuse|disagree|argue|upset|anger|annoy", "scared|afraid to ~1 refuse|anger", "scared|afraid|terrified|frightened to ~2 say no", "scared|afraid|terrified|frightened to push back",
		"terrified|frightened of leaving|upsetting|angering", "scared|afraid of angering",
		"hide|hiding|hid from @p $", "hide|hiding|hid from @p ~1 in|at|when|whenever", "flinch*",
		"not want to wake up ~1 anymore|again|tomorrow", "not want to live|exist ~1 anymore", "not want to live|exist $", "not want to live|exist any more", "not want to go on living", "not see the|any point in|of ~1 living|life", "see no point in|of ~1 living|life", "not see the|any point in anything ~1 anymore|now", "not see the|any point in anything $", "see no point in anything ~1 anymore|now", "see no point in anything $",
		"wish i was|were dead", "wish i was|were never born", "wish i had never been born", "wish i was|were not alive|here|born",
		"overdos*", "too many ~1 pills|tablets", "took|take|taking|swallow|swallowed ~1 all ~1 my|the ~1 pills|tablets",
		"been|started|start|keep cutting ~1 again|myself", "cutting again"),
	r(themes.FearDoubt, Red, self, "scared|afraid|terrified|worried of|about losing ~1 him|her|them|you|us"),
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
		"took|takes|take|taking|taken|hid|hides|hide|hiding|kept|keeps my ~1 keys|key|passport|card|cards|money|wallet|wages|salary|pay|paycheck|benefits|earnings",
		"smash*|smashed|smashes|breaks|broke|destroys|destroyed|wrecks|wrecked something|everything",
		"laid|lay|lays|put|puts his|her|their ~1 hand|hands on me",
		"gets|got|giving|gives that|the look",
		"stands|stood|standing|gets|got ~1 really|very|too|so close",
		"threw|throws|thrown ~ at me", "threw|throws|thrown|throwing ~3 at my ~1 head|face", "threw|throws|thrown|throwing ~3 at|against the|a wall|door|floor",
		"forced|forces|force|forcing me", "isolat* me", "cut|cuts|cutting me off from ~2 family|friends|everyone|mum|mom|parents",
		"controls|controlled|controlling all|the|my ~1 money|finances|spending|bank|accounts",
		"kick*|hit|hits|hurt|hurts|beat|beats|kicked ~1 the|our dog|cat|pet|puppy|kids|children"),

	// Danger said without the words above, from the safety-focused
	// training replies (testdata/train/writer_p to s): threats in the
	// partner's own words, weapons brought out in arguments, harm to
	// children, the steps people take to stay safe, control of papers,
	// money, medicine, phone and movements, being watched, and thoughts
	// of not living in other languages.
	r(themes.Safety, Red, anyone,
		"give|gives|giving you|me something to cry", "keep|stop crying ~6 give|gives you|me a|something",
		"put|putting|puts me in the ground", "will|would|gonna wish you|i had not|never",
		"nobody will|would ~1 look|come|miss|notice", "no one will|would ~1 look|come|miss|notice", "what he|she|they ~3 do to me", "same thing would|will|could happen ~2 home|me",
		"gun|guns|rifle|shotgun|pistol|hammer|machete ~10 argue|argued|arguing|argument|arguments|fight|fights|fighting|drunk|angry|mad",
		"stood|stands|standing over me", "by my ~1 ankles|ankle|hair|throat|neck|collar",
		"pillow|pillows|bag|blanket over my ~1 face|mouth|head", "because of the marks|bruises|bruising",
		"can not|cannot ~1 talk|reply|write|say ~4 he|she|they is ~1 home|here|back|in|next|watching|listening|around|right",
		"do not|stop send|sending ~3 anything|messages|texts ~3 this|my ~1 email|number|phone|address",
		"hides|hid|hide|hiding ~4 when|whenever ~3 shouts|shouting|yells|yelling|screams|drinks|drunk|angry",
		"plan|plans|escape ~6 if|when he|she|they ~3 home ~1 angry|drunk|mad",
		"neighbour|neighbor|neighbours|neighbors ~6 hear|hears|hearing ~2 me|shouting|screaming|screams",
		"i did not trip",
		"passport|passports|papers|documents|visa|certificate ~4 gone|disappeared|hidden|missing",
		"visa|permit|residency|residence ~3 through|tied|depends|depend ~1 to|on|me|him|her",
		"my pay|wages|salary|paycheck|money|earnings ~2 goes|go|went into|to his|her|their ~1 account|bank",
		"location ~6 can not|cannot ~1 turn|switch|see ~1 it|hers|his|theirs ~1 off|$",
		"gps|airtag|airtags ~3 on|under|in ~2 car|bag|phone|keys|coat",
		"key ~4 i never gave", "key ~4 i did not give", "screenshots of my ~1 own ~1 messages|chats|texts|emails",
		"send|sent|sending ~3 photo|photos|picture|video|selfie|pic ~3 where|proof|prove",
		"lock|padlock|bolt ~2 on the outside", "padlock ~4 wardrobe|fridge|door|cupboard|room|bedroom",
		"photos|pictures|videos of my ~1 house|flat|home|car|window ~2 from outside", "will not stop knocking|banging",
		"kids|children|baby|son|daughter ~2 to his|her|their ~2 country", "get|gets|take|takes|win ~1 custody ~4 if|unless|because",
		"pills|tablets in my hand", "prepaid card ~4 he|she|they",
		"afraid all the time", "^ scared|afraid|terrified|frightened again $",
		// In Spanish, French, Portuguese, Italian, German and Hindi.
		"me mata|matará|matara !de", "me va a matar", "se mata|matará|matara", "no puedo ir|volver a casa", "no quiero vivir", "no tengo ganas de vivir", "quiero morir|morirme",
		"ne veux plus vivre", "pense à|a mourir", "envie de mourir", "me suicider", "me suit en voiture",
		"não|nao quero mais viver", "quero morrer", "non voglio più|piu vivere|esserci", "voglio morire", "schiaff*",
		"bringt|bringe mich um", "hat|hatte mich ~2 geschlagen|gewürgt|gewurgt|geschubst|getreten|verprügelt|verprugelt|bedroht|verletzt",
		"m'a|m’a ~1 frappé|frappée|frappe|battu|battue|giflé|giflée|poussé|poussée|étranglé|étranglée|menacé|menacée|étouffée",
		"peur de rentrer", "peur de ~1 retourner|revenir à|a la maison", "angst ~2 nach hause", "miedo de volver|regresar|ir a casa", "paura di tornare a casa", "medo de voltar|ir pra|para casa",
		"no quiero seguir viviendo", "quiero morirme", "droht|drohte|gedroht|bedroht", "will nicht mehr leben", "darr lagta"),
	r(themes.Safety, Red, partnerNamed,
		"go|goes|went|going for my throat|neck", "pulled|pulls|pulling|yanked|ripped|tore ~3 of my hair",
		"shaken|shook|shakes|hit|hits|hurt|hurts|slapped|slaps|kicked ~1 our|the|my ~1 toddler|baby|son|daughter|kid|kids|child|children",
		"hid|hides|hide|hiding|hidden ~1 my ~3 passport|papers|documents|visa|id|certificate|permit|keys|phone",
		"decides|decide|decided ~2 if|whether|when|where|what i ~1 can|may|am|get|wear|go|see|sleep",
		"decides|decide|decided which ~1 friends|people ~2 i ~1 allowed|can|may|am",
		"made|makes|make me quit|leave ~2 job|uni|university|school|college|work|course|studies", "made|makes|make me give up ~2 job|uni|university|school|college|work|course|studies",
		"made|makes|make|forced|forces me ~2 give ~2 password|passwords|pin|passcode", "changed|changes|changing ~2 my ~1 passwords|password|pin|passcode",
		"takes|took|take|taking ~1 the|my ~1 router|sim|modem ~1 out|away",
		"took|takes|take|taking ~1 my ~2 battery|wheelchair|charger|coat|shoes ~6 so|can|could i|not",
		"took|takes|taking ~1 my ~2 payslip|redundancy|inheritance|pension|savings",
		"shows|showed|turns|turned up ~4 wherever|everywhere|whenever i",
		"weighs|weighed me", "waits|waited|waiting in the car outside",
		"tells|told|tell me what to say", "listens|listened|listening on speaker", "listens|listened|listening in on my", "speaks|spoke|answers|answered for me",
		"burn|burned|burns|burnt|cut|cuts|shred*|rip|ripped|rips|destroy|destroyed|slash* ~2 my ~1 clothes|clothing|dresses|things|belongings|stuff|tyres|tires",
		"gave|gives|give ~1 my|our|the ~1 cat|dog|pet ~1 away", "get|got|gets rid of anything|everything i love",
		"controls|controlled|controlling my ~1 insulin|medication|meds|medicine|pills|food|eating|sleep", "controls|controlled when|what|where|how i",
		"threw|throws|throw|flushed|flushes|binned|bins my ~1 insulin|medication|meds|medicine|pills|inhaler",
		"made|makes|make me ~1 unfriend|block|delete|unfollow ~2 them|all|my|everyone|friends",
		"watch|watches|watching|watched me through|on ~1 the ~1 camera|cameras|monitor|webcam",
		"follows|followed|following me when|whenever|in|by",
		"uses|used|use his|her|their hands|fists"),
	r(themes.Safety, Red, notOther,
		"not allowed to ~4 without him|her|them|permission|asking",
		"not allowed to shut|close|lock ~1 the|my ~1 door|bathroom",
		"not allowed to wear|drive|work|go|leave|use|see|visit",
		"not allowed to ~1 talk|speak|text|message ~2 to|with ~1 my|friends|family|anyone|them|her|him"),
	r(themes.Safety, Red, self,
		"afraid|scared|terrified|frightened of his|her|their temper|moods|mood|anger|rage|rages|reaction|reactions|fists|hands",
		"am|feel|live constantly|always scared|afraid|terrified|frightened",
		"scared|afraid|terrified|frightened to fall asleep ~2 next|near|with|beside", "scared|afraid|terrified|frightened to sleep ~2 next|near|with|beside",
		"dread|dreading|dreads ~3 coming|getting home", "dread|dreading|dreads ~3 key in the door", "dread|dreading|dreads ~3 sound of his|her|their",
		"recording|recorded|record ~3 arguments|fights|rows",
		"can not|cannot ~1 go ~1 home ~1 tonight|today|$",
		"think|thinking|thought|thinks about dying|death", "have|had to send ~2 a ~1 photo|picture|video|selfie"),

	// Specific phrases of one theme that contain another theme's words.
	r(themes.Honesty, Red, partner, "says|said|claims|claimed|swore|swears|insists|insisted he|she|they is|was|were|had|has ~6 but his|her|their ~4 is|was|were at|in|parked|outside",
		"says|said|claims|claimed|swore|swears|insists|insisted he|she|they is|was|were|had|has ~6 but ~4 not|never|no|found|saw|stinks|smells",
		"told me he|she|they is|was|were|had|has ~6 but ~4 not|never|no|found|saw|stinks|smells",
		"lock|locks|locked|locking his|her|their ~1 phone|laptop|computer", "takes|taking|took his|her|their phone|it ~3 to the loo|toilet|bathroom"),
	r(themes.HasYourBack, Red, partner, "around|with his|her|their ~1 friends|mates|family|parents ~6 mock*|belittl*", "around|with his|her|their ~1 friends|mates|family|parents ~6 laughs|laughed|puts|put at|me ~1 me|down"),
	r(themes.HasYourBack, Red, partner,
		"blam*|humiliat*|embarrass*|mock*|belittl*|criticis*|criticiz*|insult* me ~5 in front of",
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

	// Everyday wording for the themes, written for issue 13 from general
	// knowledge of how people talk (not from any held-out reply).
	block("kept|keeps|keeping the|my|our|a ~1 surprise|party|present|gift|proposal"),
	r(themes.KeepingWord, Green, partner, "word is|was gold|good|solid|bond", "gave|gives me his|her|their word ~3 and ~2 stuck|kept|did",
		"stuck|sticks|stick|sticking to his|her|their ~1 word|promise|promises", "did|does|do exactly|just what he|she|they ~1 promised|said|agreed"),
	r(themes.KeepingWord, Red, partner, "word means|meant nothing", "word is|was worthless|meaningless|nothing", "promise|promises ~3 broken|break|mean nothing", "empty promises"),
	r(themes.Trust, Green, self, "i believe @p !but"),
	r(themes.Honesty, Red, partner, "second|secret|burner|hidden|fake phone|phones|account|accounts|profile|instagram|number|email"),
	r(themes.Honesty, Red, partner, "kept|keeps|keeping !me|us ~4 a secret", "cheated|cheats ~1 last|this|in|when|during|once"),
	withOther(r(themes.HasYourBack, Red, partner, "joins|joined|join|joining in", "stays|stayed|stay|staying|remained|remains neutral|out of it")),
	r(themes.HasYourBack, Red, partner, "said|says|thinks|think|agreed|agrees ~4 had|has|have a point"),
	r(themes.Distancing, Red, partner, "withdraws|withdrew|withdrawing|withdrawn ~1 from|when|whenever|into|emotionally|completely|again|$", "checks|checked|checking out when|whenever|if"),
	r(themes.FearDoubt, Red, partner, "keeps|kept|keep|always asking|asks|asked ~1 if|whether i ~3 leave|leaving|love|cheat|cheating|sure",
		"waver*|wavers", "backs|backed|back|backing out|off ~6 marriage|engaged|engagement|wedding|moving|kids|future|commit*|proposal",
		"waiting for me to ~2 leave|cheat|go"),
	r(themes.FearDoubt, Green, partner, "is|seems|sounds sure about|of me|us"),
	r(themes.Friendship, Green, partner, "he|she|they gets|get me $", "he|she|they gets|get me like|better", "my favourite|favorite human|person"),
	r(themes.Friendship, Green, we, "adventures|trips|walks|holidays together"),
	r(themes.Friendship, Red, self, "rather spend|hang|be ~4 friends|mates|alone|anyone ~2 than with @p"),
	r(themes.Friendship, Green, partner, "feel|feels|felt like a|my ~1 friend|mate"),
	r(themes.Dependability, Green, partner, "carries|carried|carry|carrying the load|weight", "steady|solid as a rock"),
	r(themes.Dependability, Red, self, "on my own with the|everything|all|housework|kids|baby|bills"),
	r(themes.Confiding, Red, self, "talking to a wall|brick"),
	r(themes.Honesty, Green, partner, "tell|tells|told|telling me truth"),
	r(themes.Honesty, Red, partner, "says|said|claims|claimed|swore|swears he|she|they is|was|were at ~4 but ~4 location|phone|app|tracker|maps|bank|card|receipt"),
	r(themes.KeepingWord, Red, partner, "never|not|rarely|hardly shows|turns|comes ~1 up|round|over|when|after ~2 says|said|promises|promised"),
	r(themes.Safety, Red, partner, "not make|makes|made me feel safe"),
	r(themes.Trust, Green, partner, "makes|made|make me feel secure|safe|settled !to|enough"),
	r(themes.Trust, Red, self, "worried|worry|worrying|suspect|suspicious ~3 cheating|lying|seeing|texting|flirting|sleeping"),
	r(themes.Confiding, Green, partner, "hear|hears|heard|hearing me out"),
	r(themes.Confiding, Green, anyone, "talked|talk|told|tell|opened|open ~8 and he|she|they ~2 amazing|great|lovely|kind|brilliant|supportive|understanding|wonderful|incredible|fantastic|gentle|patient"),
	r(themes.Distancing, Red, partner, "things|it|times|life ~1 get|gets|got|are|is|was hard|tough|difficult|bad|rough|stressful|messy|heavy ~2 he|she|they ~1 leaves|left|leave|bails|bail|bailed|runs|ran|disappears|disappeared|vanishes|vanished|withdraws|withdrew|retreats|retreated|goes|went|checks|checked off|away|quiet|silent|cold|distant|awol|mia|out|$"),
	r(themes.Distancing, Red, partner, "shuts|shut|shutting|closes|closed down|off $", "shuts|shut|shutting|closes|closed down|off and|for|when|whenever", "stops|stopped|stop talking ~2 to me|for|when|$"),
	r(themes.FearDoubt, Red, partner, "hesitat* ~3 marriage|future|commit*|engage*|wedding|moving|kids|us"),
	r(themes.FearDoubt, Green, partner, "not|never afraid|scared|ashamed|embarrassed to ~3 show|introduce|hold|kiss|tell|be"),
	r(themes.Friendship, Green, partner, "partner in crime"),
	r(themes.KeepingWord, Red, anyone, "promises promises", "said|says|promised|promises ~4 for the ~2 week|time|month|weekend in a row"),
	r(themes.KeepingWord, Green, anyone, "bet on it"),
	r(themes.Dependability, Red, self, "need|needed help|him|her ~3 he|she|they is|was|are|were ~1 busy|out|away|nowhere|working"),
	r(themes.Dependability, Green, partner, "without fail"),
	r(themes.Confiding, Red, partner, "said|says ~1 everyone|everybody ~3 struggles|struggle|gets|feels|has|goes", "tells|told me ~1 everyone|everybody ~3 struggles|struggle|gets|feels|has|goes", "never|not say|says|said anything|much back", "never|not say|says|said a word back"),
	r(themes.Confiding, Green, partner, "remembers|remembered ~5 i tell|told|say|said|mention|mentioned"),
	r(themes.Trust, Green, self, "not|never worry|worried|worrying about ~1 him|her|them|where|who|what he|she", "and not worry $"),
	r(themes.Trust, Red, anyone, "suspicious|suspicion|suspicions", "since|after the affair|cheating"),
	r(themes.Trust, Red, partner, "not believe|believes me"),
	r(themes.Friendship, Green, partner, "makes|made everything|life|it|things ~1 fun|funny|better|brighter"),
	r(themes.Friendship, Green, we, "hang|hangs|hanging out ~1 together|just|$", "the two of us"),
	r(themes.Friendship, Green, self, "rather be with @p than", "rather spend time with @p than"),
	r(themes.FearDoubt, Green, partner, "make|makes|making|made plans ~5 ahead|advance|future|together", "make|makes|making|made plans for us", "facebook|instagram|insta|status ~6 relationship", "made|makes it|us ~1 official|public"),
	r(themes.FearDoubt, Red, partner, "thinks|thought|convinced|sure i will|would|am ~2 cheat|leave", "testing|tests|tested me"),
	r(themes.KeepingWord, Red, partner, "says|said|say one thing and|but ~1 does|did|do another|something|the"),
	r(themes.HasYourBack, Green, partner, "told|tells|telling ~4 to respect me"),
	r(themes.HasYourBack, Red, partner, "on his|her|their ~2 side !of", "made|makes|make me apologi* ~3 to|his|her|their"),
	r(themes.Dependability, Green, partner, "one|person i ~1 call|ring|phone ~4 wrong|emergency|crisis|need|help", "without me|being ~1 asking|asked"),
	r(themes.Dependability, Red, self, "basically|practically|essentially|like a single ~1 mum|mom|parent|dad|mother|father"),
	r(themes.Distancing, Green, partner, "stays|stayed|stay|staying with me when|while|through|until"),
	r(themes.Distancing, Red, partner, "later and later", "run|runs|ran|running|bail|bails|bailed when|whenever|if things|it|life", "turns|turned|turning away from me"),
	r(themes.KeepingWord, Red, anyone, "keeping|keep|keeps them|it|those|promises ~1 not so much", "keeping|keep|keeps them|it|those|promises ~1 not really"),
	r(themes.Dependability, Red, self, "i do|did|am doing everything ~1 myself|alone|$", "i have|had to do everything"),
	r(themes.Dependability, Red, anyone, "only when|if i ~2 ask|beg|nag|remind|push"),
	r(themes.Honesty, Red, partner, "honest|truthful ~3 except|apart|besides", "only because|when|after i ~3 proof|evidence|found|caught|confronted|showed"),
	r(themes.Confiding, Red, partner, "brings|brought|throws|threw|bring|throw it|them|that|things|stuff up ~4 arguments|argument|fights|fight|later|against"),
	r(themes.FearDoubt, Red, partner, "not meet|met ~1 my ~1 parents|family|mum|mom|dad|friends|folks", "refuses|refused|avoids|avoided ~2 meeting my ~1 parents|family|mum|mom|dad|friends|folks"),
	r(themes.Distancing, Green, partner, "came|comes back and ~2 was|is|stayed|stays ~1 there|close|around"),
	r(themes.Trust, Red, self, "want|wanted|wanting|trying|try to trust @p"),
	r(themes.Trust, Red, partner, "turns|turned|tilts|tilted|angles|angled ~2 screen|phone ~1 away"),
	r(themes.Confiding, Red, partner, "brush|brushes|brushed|brushing off my|what|how|anything|everything"),
	r(themes.Confiding, Green, partner, "held|holds|hold space"),

	// Behaviour with no cue word: unanswered contact, turning away,
	// siding with others, being there, the theme word as a verb.
	r(themes.Distancing, Red, partner,
		"never|not|barely|hardly|rarely picked|pick|picks|picking up", "never|not|barely|hardly|rarely ~1 answered|answer|answers|returned|return|returns ~6 calls|call|texts|messages|phone|rings",
		"left|leaves|leave|leaving ~1 me on read|unread|delivered"),
	r2(themes.Distancing, themes.Confiding, Red, partner,
		"went|goes|go|going|turned|turns|turning|got|gets back to his|her|their ~1 phone|game|games|tv|xbox|playstation|laptop|screen|book|scrolling"),
	r(themes.Confiding, Red, partner, "just said|says|went ok|okay|fine|whatever|cool|right|hmm|k $|and",
		"turned|turns|turning|made|makes|make|making it|that|everything ~1 into a joke", "laughed|laughs|laugh|laughing ~3 off", "made|makes|make a joke ~2 of|out",
		"told|tells|telling|says|said me|that i am|was ~2 overreacting|dramatic|paranoid|crazy|silly|ridiculous|imagining|hysterical|overthinking|sensitive|needy"),
	// "she missed it, like she promised she wouldn't": a promise broken, in irony.
	r(themes.KeepingWord, Red, partner, "like|as he|she|they ~1 promised|said|swore he|she|they would|will not"),
	r(themes.HasYourBack, Red, partner, "agreed|agrees|agreeing|sided|sides with them|everyone|everybody"),
	withOther(r(themes.HasYourBack, Red, partner, "nodded|nods|nodding ~1 along", "went|goes|go|going along with it|them|her|him",
		"said|says|did|does nothing", "not say|said ~1 anything", "stayed|stays|kept|keeps out of it", "shrugged|shrugs")),
	r(themes.Dependability, Green, partner, "by my side", "at my bedside",
		"there every|each ~3 day|night|evening|morning|week|step|time|visit|appointment|single"),
	r(themes.FearDoubt, Red, partner, "hesitat*|hesitant ~2 about|over|on|with us|this|the|our|me|marriage|commit*|moving|future|getting|engagement",
		"always|constantly|keeps|still hesitat*",
		"doubt|doubts|doubted|doubting whether|if|that we|this|it|us",
		"wonder|wonders|wondered|wondering|questions|questioned|questioning|asks|asked|asking ~1 if|whether we|this|us|it ~3 should|together|work|right|last|going"),
	r(themes.Trust, Red, anyone, "something|it|things ~2 feels|feel|felt|seems|seem|is|was off", "something|it|things ~2 not right",
		"not add|adding up", "can not|cannot shake the|this feeling", "secretive|cagey|shifty"),

	// Everyday wordings written for the second round (issue 13).
	r(themes.Honesty, Red, partner, "swear|swears|swore|swearing blind", "economical with the truth", "not the whole|full truth|story",
		"bend|bends|bent|bending|stretch|stretches|stretched|stretching the truth", "white lie|lies", "claimed|claims|claiming he|she|they|it|that|to",
		"chang*|chang* ~2 story|stories|version|excuse|excuses|answer", "vague|evasive about|when|with"),
	r(themes.Honesty, Red, anyone, "secret ~1 card|account|accounts|phone|debt|debts|loan|loans|profile|app|bank|savings|credit|girlfriend|boyfriend|affair|life",
		"found|find|finding out he|she|they ~1 had|has|was|been|is ~1 been|lying|seeing|texting|talking|messaging|hiding|using|gambling|spending|drinking|married|engaged|still"),
	r(themes.Honesty, Green, self, "no|never|not ~2 reason to doubt|question|distrust ~1 what|anything|him|her|them|a"),
	r(themes.Trust, Red, anyone, "trust is|was|has|had ~1 gone|broken|shot|shattered|damaged|eroded|lost|destroyed", "lost|lose|losing ~2 trust|faith",
		"trust issues", "broke|broken|breaks|break|betrayed|shattered ~2 trust", "no|zero|little trust"),
	r(themes.Trust, Red, self, "wonder|wondering|wonders who|where|what he|she|they ~2 texting|talking|doing|with|messaging|seeing|really"),
	r(themes.Trust, Red, partner, "mind|minds|minded ~2 when|if i ~1 go|going|see|out|have|spend"),
	r(themes.KeepingWord, Red, anyone, "all talk|promises ~2 no action|follow|delivery"),
	r(themes.KeepingWord, Red, partner, "says|said|say all the right things", "does|did|do whatever he|she|they ~1 wants|wanted|likes|liked|want",
		"walked|came|got|strolled|wandered|crawled in|home ~1 at ~1 midnight|one|two|three|four|1|2|3|4|late|dawn"),
	r(themes.Dependability, Red, partner, "late to|for everything"),
	r2(themes.Honesty, themes.Trust, Red, anyone, "caught @p texting|messaging|talking|chatting|sexting|flirting|on|with|looking"),
	r(themes.FearDoubt, Red, partner, "act|acts|acted|acting like ~3 single"),
	r(themes.FearDoubt, Green, partner, "feel|felt ~3 most important|priority|chosen"),
	r(themes.HasYourBack, Green, partner, "puts|put|putting me first"),
	r(themes.HasYourBack, Red, partner, "puts|put|putting his|her|their ~2 before|above|ahead of me"),
	r(themes.Confiding, Red, partner, "talks|talked|talk|talking|shouts|shouted|shouting over me", "interrupts|interrupted|interrupting|interrupt me"),
	r2(themes.Confiding, themes.Distancing, Red, anyone, "cried|cry|crying|upset ~6 and he|she|they ~2 left|walked|went|turned|ignored"),
	r(themes.Distancing, Red, partner, "left|leaves|leave|walked|walks out of the room|house|flat", "left|leaves the room|house|flat",
		"days|weeks|hours without ~1 speaking|talking|saying", "goes|went|go straight|right to the|his|her ~1 garage|shed|room|bed|computer|pub|gym|xbox|office"),
	r(themes.Distancing, Green, anyone, "sleep|sleeping|slept in the same bed|room"),
	r(themes.Dependability, Green, partner, "sat|sits|sitting|stayed|stays ~1 with me until|till|through|all|the|while"),
	r(themes.Dependability, Red, partner, "something came|comes up"),
	r(themes.Trust, Red, partner, "thinks|assumes|convinced ~3 guy|guys|man|men|girl|girls|woman|women|everyone|everybody ~4 wants|fancies|fancy|flirting|after"),
	withOther(r(themes.HasYourBack, Red, partner, "laughed|laughs|smirked|smirks|grinned $")),
	r(themes.Friendship, Green, we, "been|go|gone|went|going on a ~1 date", "did|doing|took a|an ~2 class|course|workshop|lesson|lessons|project ~1 together", "class|course|workshop together"),
	r(themes.Friendship, Green, self, "like|love|liked|loved spending time|being with @p"),
	r(themes.Friendship, Green, anyone, "could not stop laughing"),
	r2(themes.KeepingWord, themes.Honesty, Red, anyone, "agreed|promised|swore ~3 no|not|never ~8 found|caught|saw"),
	r(themes.Honesty, Red, anyone, "found ~3 betting|receipt|receipts|slip|slips|bottle|bottles|condom|condoms|lipstick|earring|messages|texts|photos|pictures|second|another|secret",
		"say|says|said|suggest|suggests|tell|tells otherwise",
		"turns|turned out he|she|they ~2 talking|seeing|texting|messaging|lying|sleeping|hiding|using|spending|gambling|drinking|meeting|lied|cheated"),
	r(themes.Honesty, Green, partner, "tells|told|tell me when|if he|she|they ~2 messed|screwed|mess|screw|mistake|wrong|forgot|broke|spent|slipped"),
	r2(themes.Confiding, themes.Trust, Red, partner, "tells|told|tell his|her|their ~1 mates|friends|family|mum|mom|sister|brother|parents everything|what|all ~2 i tell|told|say|said"),
	r(themes.Confiding, Red, partner, "scroll*|scrolling|texting|gaming|playing ~4 when|while|whenever i ~2 talking|talk|speaking|speak|telling|tell|open|cry|crying"),
	r(themes.Confiding, Green, partner, "asks|asked|ask|asking how my day|week|appointment|interview|exam|scan|shift|night"),
	r(themes.HasYourBack, Red, partner, "said|says|thinks|think|told ~1 i ~2 deserved|deserve|deserves", "said|says|thinks|told ~1 i had it coming",
		"his|her|their ~1 friends|mates|family|mum|mom|dad|parents|sister|brother ~1 are|is|was|were right"),
	r(themes.HasYourBack, Red, anyone, "gang|gangs|ganged|ganging up on me"),
	r(themes.Friendship, Green, anyone, "laughter", "a|proper|good|real|great|right laugh"),
	r(themes.Distancing, Red, partner, "out with the|his|her ~1 lads|boys|girls|mates|friends ~2 every|all|most night|nights|weekend|weekends|time",
		"always out with", "moved|moves|moving ~2 spare|separate|own room|bedroom",
		"head|mind is|was ~1 somewhere|elsewhere|miles", "physically here|there but", "flinch*", "recoil*"),
	r(themes.FearDoubt, Green, partner, "let me meet his|her|their ~1 parents|family|friends|mum|mom|dad", "long haul|term"),
	r(themes.FearDoubt, Red, partner, "still ~3 dating|tinder|hinge|bumble ~1 profile|profiles|app|apps|up"),
	r(themes.FearDoubt, Red, anyone, "marriage|future|wedding|engagement|kids|commitment|proposal comes|came|come up ~8 changes|changed|change|changing the subject|topic",
		"marriage|future|wedding|engagement|kids|commitment|proposal comes|came|come up ~6 joke|jokes|changes|changed|change|subject|topic|quiet|leaves|walks|weird|awkward|tense|freezes|clams"),
	r(themes.FearDoubt, Green, we, "saving ~2 house|home|wedding|future|deposit|flat", "buying|bought ~2 house|home|flat ~1 together", "moving|moved in together"),
	r(themes.Trust, Red, partner, "calls|called|texts|texted|rings|rang|messages|messaged|phones ~3 times ~1 if|when|whenever|until|where i"),
	r(themes.Dependability, Red, self, "had|have to get|take|catch ~1 a|an|the ~1 taxi|bus|uber|cab|lift|train ~6 because|as|since|cause"),
	r(themes.Dependability, Green, partner, "does|did|do|doing the ~1 night|school|bedtime|morning ~1 feeds|feed|run|runs|routine|shift|nappies",
		"so i can|could sleep|rest|relax|study|nap|recover|lie|work|get|have|go",
		"was|is|been brilliant|amazing|fantastic|incredible|wonderful|great|super with ~1 them|kids|baby|children|everything"),
	r(themes.Distancing, Green, partner, "text|texts|texted|call|calls|called|message|messages|messaged|reply|replies|replied|write|writes|ring|rings|rang back",
		"get|gets|got back to me"),
	r(themes.HasYourBack, Red, partner, "made|makes|making|make fun of me ~2 with|around his|her|their ~1 friends|mates|family|mum|mom|sister|brother"),
	r(themes.HasYourBack, Green, partner, "support|supports|supporting|supported me", "sent|sends|send|sending him|her|them away|packing"),
	r(themes.Distancing, Red, partner, "checked|checks|checking out lately|recently|completely|totally|$"),
	r(themes.Friendship, Red, anyone, "pass each other", "talk ~1 it is|was ~2 about ~1 the ~1 bills|money|kids|logistics|work|chores|rota|schedule"),
	r(themes.Distancing, Red, self, "miss|missing him|her even though|when|while"),
	r(themes.Dependability, Green, partner, "took|takes|take|taking over ~3 school|runs|cooking|chores|kids|childcare|everything|bedtime", "took|takes|take|taking over ~3 so i"),
	r(themes.Friendship, Green, we, "went|go|going|did|do ~2 hiking|walking|climbing|swimming|dancing|camping|cycling|bowling|skating|picnic"),
	r(themes.Friendship, Green, anyone, "for hours|ages ~2 chatting|talking|laughing|chatted|talked|laughed"),
	r(themes.Dependability, Red, notOther, "asked|ask|asking @p to ~6 and|but he|she|they ~1 said|says ~3 had|busy|could|can|tired|working|football|plans"),
	r(themes.FearDoubt, Red, partner, "keep|keeps|kept|keeping saying|says ~6 next|someday|eventually|maybe|later ~4 moving|move|marriage|married|wedding|engaged|engagement|kids|baby|future|commit*"),
	r(themes.FearDoubt, Green, partner, "say|says|said|call|calls|called ~3 word|me ~1 girlfriend|boyfriend|partner|wife|husband|fiance|fiancee"),
	r(themes.Distancing, Red, anyone, "not|no a|one single|one text|call|message|word|visit", "no text|call|message|word|calls|texts|messages ~3 all|whole day|week|night|weekend"),
	r(themes.KeepingWord, Red, partner, "forgot|forgets|forgotten to ~6 like|as he|she|they said|promised"),
	r(themes.Dependability, Red, self, "end|ended|ending up doing|do ~1 everything|it|all", "doing|do|did everything|it ~1 myself|alone"),
	r(themes.Dependability, Red, partner, "not even come|came|show|turn|bother|call|text|ask|offer|help",
		"leave|leaves|left|leaving ~2 childcare|cooking|housework|chores|cleaning|washing|kids|everything|bills ~2 to me"),
	r(themes.Dependability, Green, partner, "cooked|cooks|cleaned|cleans|did|does ~4 while|when i ~1 was|am|were ~1 ill|sick|poorly|unwell|recovering|pregnant|exhausted|away|working|i"),
	r(themes.Trust, Red, partner, "gets|got|getting|goes|went weird|funny|jealous|moody|angry|mad|off|sulky|arsey ~1 when|whenever|if i ~3 male|female|guy|guys|girl|girls|colleague|colleagues|friend|friends|ex|mates|coworker|coworkers"),
	withOther(r2(themes.HasYourBack, themes.Distancing, Red, partner, "went|goes|go|gone quiet|silent $")),
	withOther(r(themes.HasYourBack, Red, partner, "stayed|stays|kept|keeps quiet|silent $")),
	r2(themes.HasYourBack, themes.Distancing, Red, partner, "went|goes|go|gone|stayed|stays|kept|keeps quiet|silent|neutral when|while|whenever|if ~3 mum|mom|dad|mother|father|family|sister|brother|friend|friends|mates|parents|boss|cousin|aunt|uncle|mates|folks ~2 started|starts|start|had|has|have|went|goes|laid|lays|kicked|was|were|having|laying|being|picked|picking|gets|get|got|says|said|make|makes|made|criticis*|criticiz*|attack*|insult*|mock*|teas*|judge|judges|judged|puts|put|gang|gangs|ganged|lay|lays|is|are"),
	r(themes.Honesty, Red, notOther, "not tell|say|explain ~1 who|where"),
	r(themes.Honesty, Red, anyone, "was|is|were not nothing"),
	r(themes.Dependability, Green, partner, "took|takes|take|taking|drove|drives|drive|driving me to ~2 appointment|appointments|hospital|scan|scans|chemo|doctor|doctors|gp|dentist|therapy|treatment",
		"comes|came|come|coming through ~2 for|when|$"),
	r(themes.FearDoubt, Green, partner, "want|wants|wanted ~4 know ~1 we ~2 together|dating|seeing|couple", "started|starts|been talking|planning ~2 kids|baby|names|marriage|future|wedding"),
	r(themes.Distancing, Red, partner, "moved|moving|moves ~2 stuff|things|clothes out", "moved|moves out"),
	r(themes.Distancing, Green, partner, "just to say hi|hello|check"),
	r(themes.Confiding, Red, self, "scared|afraid|nervous|worried|frightened to bring|raise|mention|say"),
	r(themes.Confiding, Green, partner, "let|lets me rant|vent|cry|talk", "shares|shared|tells ~1 everything|anything with me"),
	r2(themes.Confiding, themes.Trust, Red, partner, "tells|told|tell his|her|their ~1 sister|mum|mom|mother|dad|family|friends|mates|brother about our ~1 fights|arguments|problems|sex|issues|rows"),
	r(themes.Confiding, Red, partner, "gets|got|getting|goes|went|becomes|became angry|mad|annoyed|irritated|irritable|upset|snappy|short|hostile|nasty|cross|funny|weird|moody ~1 when|whenever|if i ~2 bring|raise|mention|talk|tell|try|open|share|question|complain|cry",
		"gets|got|getting|goes|went|becomes|became angry|mad|annoyed|irritated|irritable|upset|snappy|short|hostile|nasty|cross|funny|weird|moody ~1 every time i ~2 bring|raise|mention|talk|tell|try|open|share|question|complain|cry"),
	r(themes.Confiding, Green, anyone, "talked|talk|talking|talks ~2 it|things|everything through|out"),
	r(themes.Distancing, Red, anyone, "barely|hardly|rarely|never see each other|him|her|them", "sleeping|sleeps|slept|sleep on the sofa|couch",
		"sleeping|sleeps|slept|sleep in the spare|separate|different", "glued to"),
	r(themes.Distancing, Red, partner, "is|are|was always|constantly out|away|gone", "always|constantly out $"),
	r(themes.Distancing, Green, anyone, "hug|hugs|kiss|kisses|cuddle|cuddles|touch|touches|sex|intimacy|intimate ~2 anymore|lately",
		"hug|hugs|kiss|kisses|cuddle|cuddles|touch|touches|sex|intimacy|intimate ~2 any more", "hug|hugs|kiss|kisses|cuddle|cuddles|touch|touches|sex|intimacy|intimate ~2 these days"),
	r(themes.Friendship, Red, anyone, "only ~1 talk|talks|speak|discuss ~1 about ~1 the|work|kids|bills|money|logistics|chores|house|baby"),
	r(themes.FearDoubt, Green, partner, "asked|asks me to move|marry", "proposed", "popped the question", "got engaged"),
	r(themes.FearDoubt, Red, partner, "need|needs|needed|want|wants|wanted ~2 space|time ~2 think"),

	// Honesty.
	r(themes.Confiding, Green, anyone, "honest|open|deep|real|proper conversation|conversations|chat|talk|talks"),
	r(themes.Honesty, Red, anyone, "caught|catching|catch @p in ~ lie*|lying", "caught @p out ~ lie*|lying", "caught out", "caught @p out",
		"found|find|discovered|saw ~3 dating|tinder|hinge|bumble|apps|profile|receipts",
		"leave|leaves|left|leaving ~1 things|stuff|bits|parts|details out", "by omission", "story ~ chang*", "gaslight*", "gaslit"),
	r(themes.Honesty, Green, partner, "hides|hid|hide nothing", "nothing to hide", "open book"),
	r(themes.Honesty, Red, partner,
		"lie|lied|lies|lying|liar",
		"hide|hides|hid|hidden|hiding ~ from me",
		"hide|hides|hid|hidden|hiding anything|something|things|stuff",
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
		"tells|told|tell me every time", "tells|told|tell me straight", "tells|told|tell me right away", "tells|told|tell me first",
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
		"cancel* ~2 on|plans|plan|date|dinner|trip|holiday|again|last|visit|weekend|night|me|us|morning|day|minute|hour|afternoon|evening", "cancel* $",
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
		"kept|keep|keeps|keeping ~ word|promise*", "follow|followed|follows|following through", "follow|followed|follows|following up on what|everything",
		"did|does|do what|everything|all|anything he|she|they said|promised|says|say|promise|promises", "like he|she|they said|promised",
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
	r(themes.Trust, Green, self, "never|not ~1 worry|worried when|about ~4 out|away|going|with|doing|texting|seeing|goes|go|trips|trip|travels|nights|parties"),
	r(themes.Trust, Green, partner, "fine|ok|okay|cool|chill|relaxed with|about me ~1 going|having|seeing|out|spending",
		"give|gives|gave|giving me ~2 space|freedom", "privacy", "do my own thing"),
	r(themes.Trust, Green, notOther, "trust|trusts|trusted|trusting !my|gut|instinct|instincts|myself", "at ease"),

	// Confiding.
	r2(themes.Confiding, themes.Distancing, Red, partner,
		"walk|walks|walked|walking|storm*|stomp* out|off|away ~ when|whenever|if i ~3 bring|raise|mention|open|talk"),
	r(themes.Confiding, Red, partner,
		"laugh|laughs|laughed|laughing at me", "dismiss*", "shut|shuts|shutting me down",
		"change|changes|changed|changing the subject|topic",
		"roll|rolls|rolled|rolling his|her|their eyes",
		"brush|brushes|brushed|brushing me|my ~2 off", "brush|brushes|brushed|brushing it|things ~1 off when|whenever|if i",
		"tune|tunes|tuned|tuning ~1 out", "invalidat*",
		"my feelings|feeling|worries ~2 stupid|silly|dumb|wrong|nothing|invalid|ridiculous|overreacting|unimportant|annoying",
		"make|makes|made|making fun of me", "told|tells|tell|telling me to ~1 get over it|yourself",
		"told|tells|tell|telling me to ~1 grow|man|shut up", "told|tells|tell|telling me to ~1 calm down", "told|tells|tell|telling me to ~1 stop crying",
		"turn|turned|turns|turning|flip|flipped|flips it|things|everything ~1 back|around on me",
		"use|uses|used|using ~2 against me", "brings|brought|bring|bringing up old|past ~1 arguments|fights|mistakes|stuff|things", "defensive", "judg*", "mock*", "belittl*",
		"not|never ~1 get|gets it when|whenever", "hard to talk to", "hard to open up|confide"),
	r(themes.Confiding, Red, self, "not|never ~1 say|tell|share|talk ~2 anymore", "not|never ~1 say|tell|share|talk ~2 any more", "makes|made|make me ~1 shut down"),
	r(themes.Confiding, Red, partner, "says|said|calls|called i am|was|i'm ~1 attacking|nagging|hysterical|starting|moaning|complaining|whinging|whining|overthinking|needy|clingy"),
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
		"told|tells|telling|tell his|her|their|them|him|her ~2 off", "told|tells|telling|tell the|a|that ~2 off",
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
	r(themes.Honesty, Red, partner, "like i ~1 invented|imagined|dreamt|dreamed", "i ~1 imagined|invented|dreamt|dreamed ~2 it|things|that",
		"said|says|told|claimed|claims|swore ~10 turns|turned out"),
	r(themes.Friendship, Green, we, "go|went|going out ~3 together|every|for|dancing|dinner|drinks"),
	r(themes.Distancing, Red, self, "feel|felt|feeling lonely|alone", "feel|felt|feeling completely|so|very|totally alone"),
	r(themes.Dependability, Red, partner, "left|leaves|leaving me hanging"),
	r2(themes.Dependability, themes.Distancing, Red, partner, "packs|packed|pack|packing a bag"),
	r2(themes.HasYourBack, themes.Distancing, Red, partner, "left|leaves|leaving me ~5 strangers"),
	r2(themes.Distancing, themes.Dependability, Green, partner, "check|checks|checked|checking in on|with me|us", "to check in $", "check|checks|checked|checking in ~2 every|each|daily|regularly"),
	r(themes.Distancing, Red, partner,
		"distant", "pull|pulls|pulled|pulling away", "ignor*",
		"is|was|been|being|so|very|really|bit|little|gone|went|gets|got|getting|turned|seems|seemed|quite|ice|stone cold|withdrawn", "cold|withdrawn with|to|towards me|us", "withdrawn", "disappear*", "stonewall*",
		"far away", "miles away", "walk|walked|walks out|off|away", "storm|storms|stormed|storming off|out", "never home", "went|goes|go|going|gone|gets|got|getting ~1 quiet|silent|mute|awol|mia|cold",
		"vanish*", "like i ~1 do not exist", "will|would not say|speak ~1 a|one word", "turned|turns|turn|switched|switches|switch his|her|their phone off",
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
		"make|makes|made|making ~2 effort", "spend|spends|spent|spending ~2 time with me", "spend|spends|spent|spending ~2 time together"),

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
		"scared|afraid|nervous|worried|terrified|embarrassed|ashamed to tell ~1 his|her|their ~1 parents|family|mum|mom|dad|mother|father|friends|mates|boss|colleagues", "scared|afraid|terrified of commitment|committing", "scared|afraid|terrified of getting serious", "scared|afraid|terrified of settling down",
		"hold|holds|holding back", "take|taking|took a break", "time apart", "on a break", "unsure about|of us|this|me", "unsure about|of the|our relationship",
		"not ready $", "not ready for|to ~2 commit*|serious|relationship|marriage|married|marry|us|this|move|moving|kids|engaged|settle|more|next|future|meet|introduce|tell"),
	r(themes.FearDoubt, Green, partner, "sure|confident about|in us", "introduced|introduces|introduce|introducing me", "proud of me|us", "proud to be|introduce|show", "is|are|was|been|seems ~1 proud $",
		"ready for|to ~2 commit*|serious|marriage|married|marry|move|moving|kids|engaged|settle|next|future",
		"told|tell|tells his|her|their ~ about me|us", "told|tell|tells everyone|people ~3 about me|us", "told|tell|tells the world ~3 about me|us",
		"want|wants|wanted to meet my ~1 family|parents|friends|mum|mom|dad", "make|making|made it|us|things official|public", "want|wants|wanted ~4 know about me|us", "all in", "commit|commits|committed|committing",
		"want|wants|wanted to be with me", "want|wants|wanted to marry me", "want|wants|wanted to spend ~2 life|future|forever",
		"he|she|they talk*|plan*|dream* ~3 future|marriage|married|engaged|wedding",
		"show|shows|showed|showing me off", "posted|posts ~3 of|about us|me", "post|posting ~1 photos|pictures|pics|anything of|about us"),

	// Friendship.
	r(themes.Friendship, Red, anyone, "like|just|more|basically|only ~1 roommates|flatmates|housemates|roomates", "we are|were ~2 roommates|flatmates|housemates|roomates", "co parents|parenting", "coparents|coparenting", "ships that pass|passing",
		"nothing in common", "zero|little|no in common", "not my friend", "bored of|with each other", "bored of|with him|her|me|us", "boring", "separate lives", "like strangers", "nothing to talk about", "nothing to say", "in silence",
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
	r(themes.Friendship, Green, we, "talk|talked|talking|speak|spoke|speaking !to|about|it", "talk|talked|talking|chat|chatted|chatting about everything|anything|life",
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
	r(themes.Dependability, Green, partnerAlone, "sorted|sorts it|everything|things"),
	r(themes.Dependability, Green, partner, "handled|handles it|everything $",
		"took|takes|take|taking the kids|baby|children ~3 so i", "took|takes|take|taking the kids|baby|children ~3 every|for",
		"drove|came|flew|travelled|traveled|rushed|raced ~4 be with me", "drove|came|flew|travelled|traveled|rushed|raced ~4 see|get|collect me"),
	// Last, so "a deep talk about our future" stays confiding.
	r(themes.FearDoubt, Green, partner, "talk|talks|talked|discuss*|plan|plans|planning ~2 future|marriage|wedding"),
	r(themes.Friendship, Green, anyone, "in common"), // after "nothing in common"
)

// ruleIndex says which rules could match at a word, so a reply's words
// are tried only against those: byWord by the exact words a rule's first
// element lists ("^" aside), byPrefix by its prefixes ("accus*"), grouped
// by their first byte so a word is compared with few of them.
type ruleIndex struct {
	byWord   map[string][]int32
	byPrefix [256][]prefixRules
	second   []*elem // per rule, its second element when that is a word list: a quick test of the next word
}

type prefixRules struct {
	prefix string
	rules  []int32
}

var index = indexRules(rules)

func indexRules(rs []rule) *ruleIndex {
	idx := &ruleIndex{byWord: map[string][]int32{}, second: make([]*elem, len(rs))}
	for ri, r := range rs {
		first, at := r.pat[0], 0
		if first.kind == '^' {
			first, at = r.pat[1], 1
		}
		if at+1 < len(r.pat) && r.pat[at+1].kind == 'w' && !r.pat[at+1].orEnd {
			idx.second[ri] = &rs[ri].pat[at+1]
		}
		for _, w := range first.words {
			if pre, ok := strings.CutSuffix(w, "*"); ok {
				b := &idx.byPrefix[pre[0]]
				k := slices.IndexFunc(*b, func(p prefixRules) bool { return p.prefix == pre })
				if k < 0 {
					*b = append(*b, prefixRules{prefix: pre})
					k = len(*b) - 1
				}
				if l := (*b)[k].rules; len(l) == 0 || l[len(l)-1] != int32(ri) {
					(*b)[k].rules = append(l, int32(ri))
				}
				continue
			}
			if l := idx.byWord[w]; len(l) == 0 || l[len(l)-1] != int32(ri) {
				idx.byWord[w] = append(l, int32(ri))
			}
		}
	}
	return idx
}

// candidate is a rule that could match at a token, packed so candidates
// sort as plain integers: the rule's index above, the token's below.
type candidate uint64

func newCandidate(rule int32, at int) candidate {
	return candidate(uint64(rule)<<32 | uint64(uint32(at)))
}

func (c candidate) rule() int32 { return int32(c >> 32) }
func (c candidate) at() int     { return int(uint32(c)) }

// candidates lists the (rule, position) pairs worth trying in toks, in
// the order the rules are tried: by rule, then by position.
func (idx *ruleIndex) candidates(toks []token, buf []candidate) []candidate {
	out := buf[:0]
	for i, t := range toks {
		if isBarrier(t.w) || t.w == "" {
			continue
		}
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1].w
		}
		for _, ri := range idx.byWord[t.w] {
			if e := idx.second[ri]; e == nil || e.has(next) {
				out = append(out, newCandidate(ri, i))
			}
		}
		for _, p := range idx.byPrefix[t.w[0]] {
			if strings.HasPrefix(t.w, p.prefix) {
				for _, ri := range p.rules {
					if e := idx.second[ri]; e == nil || e.has(next) {
						out = append(out, newCandidate(ri, i))
					}
				}
			}
		}
	}
	slices.Sort(out)
	// A word may reach a rule twice (a word and a prefix, or two prefixes).
	return slices.Compact(out)
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

// withOther marks rules that count only after a third party is named.
func withOther(rs []rule) []rule {
	for i := range rs {
		rs[i].other = true
	}
	return rs
}

// block lists phrases that use up their words and mean nothing, so a
// general rule does not misread them ("my best friend" as a subject).
func block(pats ...string) []rule { return r("", "", anyone, pats...) }

func concat(groups ...[]rule) []rule {
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	out := make([]rule, 0, n)
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
