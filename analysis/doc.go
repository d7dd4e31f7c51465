// Package analysis reads a subscriber's reply and decides which of the
// article's themes (package themes, plus themes.Safety) it speaks to, and
// whether it reports a red flag or a sign of support. It is deterministic
// and explainable: every Flag carries the words that triggered it, and
// nothing is fetched from the network.
//
// Analyze reads one reply and returns its flags: a theme, red (a red flag
// as the article describes it) or green (a sign of support), and the
// subscriber's own words that triggered it. It is deterministic and
// explainable, with no network and no model: a lexicon of phrases per
// theme (lexicon.go) matched against normalized words (normalize.go), plus
// these rules:
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
//     "abt", "lyed", "2 me"), contractions split ("didn't" is "did not") and
//     hyphenated words split ("second-guessing", "no-show").
//   - Each word serves one phrase; rules are tried in order, so specific
//     phrases ("laughs at me", "caught him in a lie") come before general
//     ones.
//
// testdata/labelled.jsonl is the tuning set. Held out of all tuning:
// testdata/labelled_holdout.jsonl (written first, by the rules' author)
// and testdata/labelled_holdout_independent.jsonl (written by two people
// who never saw the rules). The labelled tests print precision and recall
// per theme; the tuning and same-author sets must reach a red-flag macro
// F1 of 0.85. The independent set is the honest measure of how the rules
// carry over to other people's wording, and it is much lower (about 0.64):
// a phrase list always lags what people write. Treat flags as prompts for
// the subscriber's own reflection, never as a verdict.
package analysis
