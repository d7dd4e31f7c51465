// Package analysis reads a subscriber's reply and decides which of the
// article's themes (package themes, plus themes.Safety) it speaks to, and
// whether it reports a red flag or a sign of support. It is deterministic
// and explainable: every Flag carries the words that triggered it, and
// nothing is fetched from the network.
//
// Analyze reads one reply and returns its flags: a theme, red (a red flag
// as the article describes it) or green (a sign of support), and the
// subscriber's own words that triggered it. It is deterministic and
// explainable, with no network: a lexicon of phrases per theme
// (lexicon.go) matched against normalized words (normalize.go), plus these
// rules, and a small learned model for what they miss (below):
//
//   - The short answer (answer.go): when the reply answers a prompt of a
//     known theme and opens with YES/NO or a number (and everyday variants:
//     "nope", "not really", "yes mostly", "2 - ...", "4/5", "two"), YES or
//     4-5 is green for that theme, NO or 1-2 red, 3 or "sort of" neither.
//     If the free text flags the prompt's theme itself, the text wins
//     ("yes but he still lies" is red).
//   - Negation: a negator ("not", "never", "didn't", "barely", "refused",
//     "instead of", "stopped", ...) up to five words before a phrase flips it
//     ("he never lies" is green, "not once did she take my side" red, "he's
//     stopped checking my phone" green), unless a comma, a sentence break or
//     "but", "and", "because", ... comes between. "Used to" flips too ("we
//     used to laugh" is red), and so does a past set against now ("she was
//     so affectionate, but these days ..."). "Not sure" hedges a red flag
//     ("not sure he lied" is red) and doubts a green one ("not sure I trust
//     her" is red). A negated safety phrase is dropped, never turned green,
//     and "he used to hit me" is still a safety flag.
//   - Who acted: most phrases count only when the nearest person named
//     before them is the partner (he, she, they, my husband, my gf, hubby,
//     ...) or nobody: "I lied to him", "my sister lied" and "my best friend
//     stood up for me" are not flags. Feelings ("I'm scared of him", "I
//     can't count on her") need the subscriber or nobody as the subject. A
//     capitalised name acting ("Tom stood up for me", "but Priya never
//     does") is the partner unless it follows a third party ("my friend
//     Sarah"); after "has", "is" or "does" the subject is not "I", whatever
//     clause came between ("my boyfriend, who I thought I knew, has been
//     lying").
//   - An opening echo of the question ("can I trust him? no.", "Best
//     friend? She barely knows me.") is not the subscriber's claim, and the
//     short answer may follow it.
//   - Pulling away in answer to the writer raising something ("she blanks
//     me when I try to bring up money") is confiding as well as distancing.
//   - General rules over listed sentences: patterns have gaps of a chosen
//     length, so "promised/said he would X ... and he did" is green and
//     "... and never did / and nothing changes" red whatever X is; "stood up
//     to his dad for me" and "backed me up" take any object in between. A
//     phrase may speak to two themes ("walks out when I bring things up" is
//     confiding and distancing), and blockers use up words a general rule
//     would misread ("made it up to me", "hit the gym", "the match got
//     cancelled").
//   - Hedges ("maybe he's just tired, but ...", "I might be wrong, but ...")
//     neither cancel nor create a flag: the words after them are read as
//     usual.
//   - Shorthand and common misspellings are spelled out first ("hes", "u",
//     "abt", "lyed", "txt", "havnt", "2 me"), contractions split ("didn't"
//     is "did not") and hyphenated words split ("second-guessing",
//     "no-show"). Lines quoted with ">" are not the subscriber's words.
//   - Each word serves one phrase; rules are tried in order, so specific
//     phrases ("laughs at me", "caught him in a lie") come before general
//     ones. Some rules count only after a third party is named in the
//     sentence ("his mum had a go at me and he said nothing").
//
// On top of the lexicon's matches, the reply is read as clauses (clause.go,
// judge.go): who speaks, whether it is a report, and how clauses relate.
//
//   - A yes/no question ("does he really listen?", "can I count on
//     her?") and a wish or hypothetical ("I wish he'd open up", "if only",
//     "what if", "I hope") give no flag by themselves. A question that
//     reports a fact is still a report ("why does he always lie to me?",
//     "is it normal that he ..."), and safety is never dropped. An opening
//     yes/no question of any length (the prompt copied back) is an echo,
//     and the short answer after it counts.
//   - A third party's words, as the subscriber reports them ("my mum keeps
//     saying he'll never commit", "my friend reckons she's hiding
//     something"), are that person's claim up to the end of the clause or
//     a new subject ("... and he told her to stop" is the partner again),
//     unless the subscriber agrees ("I think she's right").
//   - The later clause of a contrast decides a theme both speak to: "he
//     listened, but then he laughed it off" is red, "dismissive at first,
//     but then he really listened" green ("but", "then", "until",
//     "except", "though", "yet", "even though", and a next sentence opening
//     with one). Support that ends "until ..." a red flag is red. With no
//     contrast between, a green after a red on the same theme in one
//     sentence is irony and dropped ("she forgot, like she promised").
//   - "I don't think he's lying, but something feels off": a sign of
//     support that exists only by negating a red phrase under "I don't
//     think/believe" gives way to a red flag after "but".
//   - Sarcasm (sarcasm.go): words of support in scare quotes, after "oh
//     yeah", "sure,", "great job", "thanks a lot" or before "... not."
//     are not support; after an all-caps intensifier ("SO supportive") or
//     "wow, what a ..." only when a contrary fact follows. With a contrary
//     fact (a red flag after it, "that's why ...", "went to the pub",
//     "while looking at his phone") they are a red flag. A scare-quoted
//     excuse ("he was 'busy'", "it was a 'joke'") is a red flag for honesty
//     when nothing else in the reply is red.
//   - Promises (promise.go): "said/promised/swore he'd X" read to what came
//     of it later in the reply, however worded: the promised verb done ("he
//     said he'd ring at 8 and he rang at 8"), "was there", "he did" is
//     kept; "was nowhere", "didn't", "and didn't even text", "still ..." in
//     a later sentence broken; a promise not to ("swore she'd never go back
//     to her ex") is broken by doing it. Only when the lexicon found
//     nothing on keeping one's word.
//   - Short answers in Spanish, French, German, Portuguese and Italian as
//     well as English ("sí", "claro", "para nada", "oui", "pas du tout",
//     "ja", "gar nicht", "sim", "não", "sì", "per niente", ...).
//
// Speed: the rules are indexed by the words and prefixes their patterns
// start with, so each word of a reply is tried only against rules that can
// match there; evidence is quoted from sentence and clause bounds computed
// once per reply, and clause relations are read from prefix counts, so a
// short reply takes a few µs and a handful of allocations, and a 20 KB
// reply with no punctuation stays linear in practice (a few ms).
//
// A learned model next to the rules (model.go): a logistic regression per
// theme and polarity over the reply's words, their stems, word pairs and
// pairs one word apart (a
// word in a negation's reach marked, questions, wishes and reported words
// left out) and the prompt's theme, trained by `go generate ./analysis`
// into model.txt, which is embedded. It is trained on the tuning replies,
// the everyday replies and 21,993 replies written blind to the rules by
// twenty-nine writers (testdata/train and its README; the last fourteen
// wrote about danger and what only sounds like it). It works in three ways,
// each level written in model.txt: it adds a flag for a theme nothing
// else flagged at a probability of 0.2 or more (0.5 for a reply with no
// prompt theme); it drops a rules' flag it gives under 0.1 (0.03 for a
// theme other than the prompt's), never the short answer's; and it adds
// a safety flag at 0.97 or more and drops a rules' one under 0.1. The safety label has
// its own, stronger L2 (0.1), reads its features scaled by their
// naive-Bayes ratio (NBSVM) and does not read the prompt's theme. Each flag it adds quotes
// the sentence of the word that weighed most. How it was decided:
//
//   - Earlier rounds: on two batches of 40 replies written for the purpose
//     the rules alone scored a red-flag macro F1 of 0.55 and 0.46, with a
//     words-only model at 0.4 0.64 and 0.72; on the independent set 0.711
//     alone and 0.765 with it.
//   - This round: a quarter of the blind-written training replies (by a
//     hash of the text, 1,949 replies) was kept out of training and every
//     variant compared there (TestModelExperiment), never on a held-out
//     set, as the written replies arrived (2,000 to 4,700 of them). Red /
//     support macro F1 there: rules alone 0.58 / 0.61; the old
//     model 0.65 / 0.70; retrained on the new replies 0.71 / 0.76; with
//     the prompt's theme as a feature 0.77 / 0.80; with stems too 0.78 /
//     0.82; letting it drop the rules' flags it finds unlikely 0.82 /
//     0.84; safety found 69 -> 80 of 86 with its safety flags at 0.5 (79
//     at 0.7, kept for fewer false alarms), none added. Tried and left:
//     the rules' flags as features (stacking, 0.80), turning a flag's
//     colour (no gain once drops are on), weaker regularization (L2 0.003:
//     the same), pruning weights under 0.15 without refitting (0.81 at a
//     third of the size); refitting on the features over 0.2 keeps
//     model.txt near 1.5 MB for 0.815 instead of 0.82 at 4 MB.
//   - With all 7,794 written replies, the same quarter held out: red
//     0.836, support 0.839, safety 100 of 111 (rules alone 0.600 / 0.620,
//     90 of 111); with weaker regularization (20 passes, L2 0.003,
//     refitted on the weights over 0.2: model.txt 1.6 MB) 0.841 / 0.851,
//     102 of 111 (L2 0.03 gave 0.812, 30 passes at 0.001 0.842 at a
//     larger size); with pairs of words one apart as features too
//     ("never ... up") 0.846 / 0.857, 101 of 111, at 1.5 MB: the
//     embedded model's form.
//   - With all 11,455 written replies (four more writers), the quarter
//     held out (2,867 replies): red 0.856, support 0.854, safety 135 of
//     146 with 13 false alarms, all from the rules (rules alone 0.606 /
//     0.612, 118 of 146); its safety flags raised none there at 0.6 to
//     0.95 and found 2 more at 0.7 than at 0.9. model.txt (a line a
//     feature, weights to three places) is 0.95 MB, 1.7 MB of heap once
//     parsed.
//   - The second round (2026-12-04), for safety: eight writers added
//     5,920 replies about danger and its look-alikes (P to S, U to X), and
//     a ninth wrote a third held-out set (testdata/blind3). With them the
//     quarter held out is 4,366 replies, 726 of them about danger. The
//     rules alone find 372 with 28 false alarms (249 and 25 of the first
//     four writers' 442 before the rules below were added from their
//     training part, 240 and 25 before that: phrase rules, however many,
//     barely reach new wording). The model as it was (L2 0.003, safety
//     flags at 0.7), retrained, found 383 of 442 with 219 false alarms:
//     so much danger in training taught it that "he", "me" and "in the"
//     are danger. A strong L2 for the safety label alone fixes that
//     (0.1: 504 found, 50 false alarms at 0.8; 461, 34 at 0.9; 0.2: 436,
//     31 at 0.9; 0.4: 397, 28 at 0.9); leaving out features with no
//     content word did no better at the same false alarms; letting the
//     model drop the rules' safety flags under 0.1 lost 4 found for 4
//     alarms; a minimum of 3 replies a feature changed nothing and keeps
//     model.txt near 1.1 MB; pieces of 4 or 5 letters of each word as
//     safety features (for other languages and typos) did no better at
//     the same false alarms (481 found with 39, 468 with 37). Without the prompt's theme (Steady asks no
//     question about safety) 458 and 34 at 0.9: the embedded form. The
//     other themes' F1 there: red 0.828, support 0.836.
//   - The third round (2026-12-04 evening), for safety: six more writers
//     (Y, Z, AA to AD) added 4,618 replies, 40% of them about danger. The
//     quarter held out is now 5,518 replies, 1,153 about danger; the rules
//     alone find 585 with 39 false alarms. Trained as before, the model
//     found 928 with 275 false alarms at 0.9 (779 with 114 at 0.98): the
//     long emails of writers who wrote mostly about danger taught it that
//     their style is danger ("thirty-nine years", "my husband has always
//     been my sounding board"). Before the last writer, at the same false
//     alarms the new replies gained nothing (673 found with 43 without
//     them, 655 to 670 with 40 to 43 with them at a stronger L2, a lower
//     weight for danger replies or a higher level). Asking that a safety
//     flag's strongest word weigh 1 or more cut found and false alarms
//     alike. What moved the trade-off is NBSVM: the safety label's
//     features scaled by their naive-Bayes log-count ratio (smoothing 1)
//     before the regression, so a word seen mostly in danger replies
//     starts out far ahead of one seen everywhere: 813 found with 49
//     false alarms at 0.97, 790 with 48 at 0.98, 841 with 57 at 0.95
//     (smoothing 0.5 or 2 and L2 0.2 or 0.3 the same curve). With the
//     safety label that sure, letting it drop the rules' safety flags it
//     gives under 0.1 now pays (it did not in the second round): 812
//     found with 42 false alarms (under 0.2: 807 with 35; 0.3: 802 with
//     29; 0.5: 790 with 23). The embedded form: safetyNB 1, safety flags
//     at 0.97, the rules' dropped under 0.1. Other themes' F1 there: red
//     0.826, support 0.834.
//   - Curated expectations the model changed were judged one by one: where
//     the model was right ("she's still the person I want to tell
//     everything to first" is friendship too) the label changed; where it
//     was wrong the reply joined the everyday replies it trains on ("no he
//     walked out" under an honesty prompt is still distancing).
//
// Safety wording (lexicon.go) covers the partner called violent or
// abusive, threats to life, to share intimate photos or to have the
// writer deported, control of who the writer sees, of money, sleep and
// documents, harm in many verbs (and their misspellings: "hitted",
// "slapt"), injuries and their cover stories ("walked into a door"),
// fear of the partner, hiding or fleeing, the police and protection
// orders, and thoughts of not wanting to live; blackmail with photos or a
// secret, threats to someone the writer loves, the partner's self-harm
// as a lever, medicine, papers or keys held back, being followed or
// tracked, and a few phrases in Spanish, French, Portuguese and German;
// and, from the second round's training replies, threats in the
// partner's words ("something to cry about", "you'll wish you hadn't"),
// weapons brought out in arguments, harm to children, the steps people
// take (a plan, a neighbour who listens, "can't talk, he's home"),
// hidden papers, money paid into the partner's account, trackers, locks
// on the outside, being made to quit work or hand over passwords, medicine
// withheld, and self-harm and threats in Spanish, French, Portuguese,
// Italian, German and Hindi.
// Rules that would also
// read a thing or a figure of speech need the partner named (actor
// partnerNamed: "he is scary", not "the film was scary"), and blockers
// take "this job is killing me", "she'd kill me if she knew", "punched
// the air", "throws it back at me in arguments", bruises from rugby or
// kickboxing, "hits me with the truth" and "mi jefe me va a matar" out
// of danger.
// Checking up (reading the phone, tracking a location) stays trust, as
// the labels have it; taking the phone, keys, cards or wages is safety.
//
// Pattern alternatives are single words: "a|b c" reads "a or b, then c",
// so a phrase among alternatives is written as patterns of its own; "$"
// among alternatives ("later|$") means that word or the clause's end.
//
// Tried and dropped: a fallback that gives the prompt's theme the polarity
// of a plainly good or bad word ("not great", "a rough week") when nothing
// else flags it; on the tuning set it added two flags, both wrong ("I feel
// awful" about the subscriber's own lie, "best friend").
//
// testdata/labelled.jsonl is the tuning set; testdata/everyday.jsonl holds
// replies in everyday wording written for issue 13 before the rules that
// read them (each must get exactly its flags). Held out of all tuning:
// testdata/labelled_holdout.jsonl (written first, by the rules' author),
// testdata/labelled_holdout_independent.jsonl (written by two people who
// never saw the rules) and, when present, testdata/labelled_holdout_blind2.jsonl
// (written blind to the rules). The labelled tests print precision and
// recall per theme; the tuning and same-author sets must reach a red-flag
// macro F1 of 0.85, the blind set 0.80 (support 0.75). The independent
// sets are the honest measure of how the analyser carries over to other
// people's wording, and they are much lower (about 0.77 red on the first,
// 0.62 on the blind one):
// a phrase list always lags what people write, and the batches of
// replies written for this round were half missed at first (from 36% to
// 72% of a batch). Treat flags as prompts for the subscriber's own
// reflection, never as a verdict.
package analysis
