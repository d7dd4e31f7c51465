// Package themes holds the article's themes, the catalog of reflection
// prompts sent to subscribers (and which comes next). The analysis of
// replies into red flags and signs of support, by the same theme ids, is
// package analysis.
//
// # Themes
//
// The themes come from the article "When Your Partner Doesn't Have Your
// Back". Their ids are stable: they are stored with every delivery and a
// later reply analyser groups answers by them. In order:
//
//   - honesty: telling each other the truth, small things and hard things
//     alike; lying early on is one of the biggest red flags.
//   - keeping_word: doing what was promised, so plans and promises can be
//     relied on.
//   - trust: feeling at ease with each other, without needing to check up,
//     and being trusted in return.
//   - confiding: sharing feelings, worries and thoughts openly and having
//     them met with care.
//   - has_your_back: standing with you when it counts, in front of family
//     and friends, when push comes to shove.
//   - distancing: staying near when things get hard, instead of pulling
//     away, going quiet or siding with the people who do not accept you.
//   - fear_doubt: acting from confidence in the two of you, not from fear
//     of what others think or doubt about the relationship.
//   - friendship: being best friends: enjoying each other, talking easily,
//     liking who you are together.
//   - dependability: being able to lean on each other for help,
//     reassurance and stability, day to day and in hard times.
//
// The analyser adds one theme with no prompts:
//
//   - safety: physical harm (hitting, pushing, grabbing, throwing things),
//     threats, or fear of the partner ("scared of him", "afraid to go
//     home"). It is only ever red, and it is never named in an email
//     subject or an SMS preview.
//
// A theme with no prompts is simply left out of the rotation.
//
// # Prompts
//
// Every prompt asks for a short answer, YES/NO ("yesno") or a number from
// 1 to 5 ("scale"), plus anything the person wants to add. The convention
// the analyser relies on: YES, or a high number, always means things are
// well; NO, or a low number, is the red flag. Write new prompts the same
// way round, warm and without judgement, in plain ASCII and under about
// 140 characters so they fit one SMS.
//
// The default catalog is catalog.json, embedded in the binary. An operator
// can replace it with a file of the same shape (see Load).
//
// # Rotation
//
// Catalog.Next walks one fixed cyclic sequence of all prompts in which the
// themes take turns (one prompt per theme per round) and no two neighbours,
// including the last and the first, share a theme. A subscriber therefore
// sees every prompt once before any repeats.
package themes
