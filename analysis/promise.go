package analysis

import "strings"

// A promise and what came of it, anywhere later in the reply: "she said
// she'd pick me up at six ... she was there at six" is kept, "he swore he'd
// be at the recital and on the night he was nowhere" broken. The lexicon
// catches the usual wordings ("... and he did", "... and never did"); this
// reads the promised verb itself, for the rest.

// promiseReach is how many words after a promise its outcome may come.
const promiseReach = 80

var promiseWords = []string{"promised", "promise", "promises", "swore", "swears", "vowed", "vows", "said", "says", "told", "insisted", "agreed", "supposed", "say"}

// pastOf holds the irregular past forms a promise is kept in: "said he'd
// ring" is kept by "he rang".
var pastOf = map[string][]string{
	"ring": {"rang", "rung"}, "come": {"came"}, "be": {"was", "were"}, "take": {"took", "taken"}, "bring": {"brought"},
	"pay": {"paid"}, "go": {"went", "gone"}, "do": {"did", "done"}, "make": {"made"}, "get": {"got"}, "give": {"gave"},
	"buy": {"bought"}, "drive": {"drove"}, "meet": {"met"}, "see": {"saw"}, "tell": {"told"}, "keep": {"kept"},
	"leave": {"left"}, "write": {"wrote"}, "speak": {"spoke"}, "send": {"sent"}, "find": {"found"}, "fly": {"flew"},
}

// promiseOutcome returns the span from a promise to its outcome and
// whether it was kept (Green) or broken (Red); ok is false when the
// reply holds no promise with an outcome.
func promiseOutcome(toks []token) (start, end int, pol Polarity, ok bool) {
	for k := 0; k+3 < len(toks); k++ {
		if !toks[k].is(clsPromise) {
			continue
		}
		j := k + 1
		if toks[j].w == "me" || toks[j].w == "us" {
			j++
		}
		var v int
		switch {
		case j+2 < len(toks) && wordIn(toks[j].w, []string{"he", "she", "they"}) && wordIn(toks[j+1].w, []string{"would", "will"}):
			v = j + 2 // "said he'd ring"
		case toks[k].w != "said" && toks[k].w != "says" && toks[k].w != "told" && toks[j].w == "to" && j+1 < len(toks):
			v = j + 1 // "promised to be home by ten"
		case toks[k].w != "say" && toks[k].w != "says" && toks[k].w != "said" && toks[k].w != "told":
			// "promised in January that this year he would take me ..."
			v = laterPromise(toks, j)
			if v == 0 {
				continue
			}
		default:
			continue
		}
		for v < len(toks) && wordIn(toks[v].w, []string{"definitely", "really", "totally", "actually", "for", "sure", "100"}) {
			v++
		}
		// A promise not to: "she swore she'd never go back to her ex. she
		// went back" is broken by doing it.
		not := v < len(toks) && (toks[v].w == "never" || toks[v].w == "not")
		if not {
			v++
		}
		if v < len(toks) && isBarrier(toks[v].w) && !not {
			// "said he would, didn't": the promise said in a word, and what came of it.
			if e, p, found := elided(toks, v+1); found {
				return k, e, p, true
			}
		}
		if v >= len(toks) || isBarrier(toks[v].w) || toks[v].is(clsNegator) || toks[v].w == "try" {
			continue // a promise to try has no outcome to read
		}
		if e, p, found := outcome(toks, v+1, toks[v].w); found {
			if not {
				p = flip(p)
			}
			return k, e, p, true
		}
		if not {
			continue
		}
		// "said he'd quit smoking in january. still smoking", "said he'd fix
		// the boiler. we're still having cold showers", "said he'd fix the
		// tap weeks ago, still dripping", "said he'd text when he landed,
		// nothing till the next day"
		later := false
		for j := v + 1; j < len(toks) && j < v+promiseReach; j++ {
			later = later || isBarrier(toks[j-1].w)
			if later && (toks[j].w == "still" || isBarrier(toks[j-1].w) && wordIn(toks[j].w, []string{"nothing", "silence", "nada", "zilch"})) {
				return k, j + 1, Red, true
			}
		}
	}
	return 0, 0, "", false
}

// outcome looks after toks[from] for the partner doing verb (kept) or not
// doing it or being nowhere (broken), in a later clause.
func outcome(toks []token, from int, verb string) (end int, pol Polarity, ok bool) {
	for k := from; k+1 < len(toks) && k < from+promiseReach; k++ {
		w := toks[k].w
		// "said he'd pick up the kids and forgot"
		if wordIn(w, []string{"and", "but", "then"}) && wordIn(toks[k+1].w, []string{"forgot", "bailed", "cancelled", "canceled", "flaked"}) {
			return k + 2, Red, true
		}
		// "... and nothing is booked"
		if wordIn(w, []string{"and", "but"}) && toks[k+1].w == "nothing" {
			return k + 2, Red, true
		}
		// "agreed to do the school run and hasn't done a single one"
		if wordIn(w, []string{"and", "but"}) && k+2 < len(toks) && wordIn(toks[k+1].w, []string{"has", "had", "was", "is", "have"}) && toks[k+2].w == "not" {
			return k + 3, Red, true
		}
		// "said he'd come to the hospital with me but he went golfing":
		// doing something else instead.
		if w == "but" && k+2 < len(toks) && wordIn(toks[k+1].w, []string{"he", "she", "they"}) &&
			wordIn(toks[k+2].w, []string{"went", "stayed", "chose", "decided", "played", "spent", "booked", "forgot", "bailed", "cancelled", "canceled", "flaked", "ended"}) {
			return k + 3, Red, true
		}
		// "promised to come ... and didn't even text"
		if wordIn(w, []string{"and", "but", "then"}) && wordIn(toks[k+1].w, []string{"did", "never"}) && (toks[k+1].w == "never" || k+2 < len(toks) && toks[k+2].w == "not") {
			return k + 2, Red, true
		}
		// "He said he'll be home for dinner. Wasn't."
		if toks[k-1].w == sentenceBreak && wordIn(w, []string{"was", "were", "did", "has", "is"}) && toks[k+1].w == "not" {
			return k + 2, Red, true
		}
		if !wordIn(w, []string{"he", "she", "they"}) {
			continue
		}
		j := k + 1
		for j < len(toks) && wordIn(toks[j].w, []string{"just", "then", "actually", "finally", "even", "really", "still", "only"}) {
			j++
		}
		if j >= len(toks) {
			return 0, "", false
		}
		neg := false
		if wordIn(toks[j].w, []string{"never", "did", "was", "were", "has", "had", "do", "does"}) && j+1 < len(toks) && toks[j+1].w == "not" {
			neg, j = true, j+2
		} else if toks[j].w == "never" {
			neg, j = true, j+1
		}
		if j >= len(toks) || neg && isBarrier(toks[j].w) {
			if neg {
				return j, Red, true // "she said she'd quit, she hasn't"
			}
			return 0, "", false
		}
		w = toks[j].w
		switch {
		case w == "did" && !neg && (j+1 == len(toks) || isBarrier(toks[j+1].w) || toks[j+1].w == "it"):
			return j + 1, Green, true // "he said he'd sort it. he did, same day"
		case verb != "be" && doneVerb(w, verb):
			return j + 1, keptOrBroken(neg), true
		case wordIn(w, []string{"was", "were", "is", "showed", "turned"}) && j+1 < len(toks):
			next := toks[j+1].w
			switch {
			case next == "nowhere" || next == "late" && !neg:
				return j + 2, Red, true
			case wordIn(next, []string{"there", "up", "early", "here", "home"}) || next == "on" && j+2 < len(toks) && toks[j+2].w == "time":
				if !neg && laterHour(toks, from, j+2) {
					return j + 2, Red, true // "was supposed to pick me up at 6, showed up at 9"
				}
				return j + 2, keptOrBroken(neg), true
			}
		case neg && (w == "show" || w == "come" || w == "turn" || w == "bother" || w == "call" || w == "text"):
			return j + 1, Red, true
		}
	}
	return 0, "", false
}

func keptOrBroken(neg bool) Polarity {
	if neg {
		return Red
	}
	return Green
}

// doneVerb reports whether w is verb or one of its forms: "rang" for
// "ring", "called" for "call".
func doneVerb(w, verb string) bool {
	if w == verb || len(verb) >= 3 && strings.HasPrefix(w, verb) && len(w) <= len(verb)+3 {
		return true
	}
	if strings.HasSuffix(verb, "e") && strings.HasPrefix(w, verb[:len(verb)-1]) && strings.HasSuffix(w, "ed") && len(w) == len(verb)+1 {
		return true
	}
	for _, p := range pastOf[verb] {
		if w == p {
			return true
		}
	}
	return false
}

// elided reads what came of a promise whose verb was left out, at
// toks[k]: "did not", "didn't", "never did" (broken), "and he did" (kept).
func elided(toks []token, k int) (end int, pol Polarity, ok bool) {
	if k < len(toks) && wordIn(toks[k].w, []string{"and", "but"}) {
		k++
	}
	if k < len(toks) && wordIn(toks[k].w, []string{"he", "she", "they"}) {
		k++
	}
	switch {
	case k+1 < len(toks) && wordIn(toks[k].w, []string{"did", "has", "have", "was", "does"}) && toks[k+1].w == "not":
		return k + 2, Red, true
	case k < len(toks) && toks[k].w == "never":
		return k + 1, Red, true
	}
	return 0, "", false
}

// laterPromise returns where the promised verb starts when "he would" or
// "she will" comes a few words after the promise word at toks[j-1], in the
// same clause, or 0.
func laterPromise(toks []token, j int) int {
	for k := j; k+2 < len(toks) && k < j+7 && !isBarrier(toks[k].w); k++ {
		if wordIn(toks[k].w, []string{"he", "she", "they"}) && wordIn(toks[k+1].w, []string{"would", "will"}) {
			return k + 2
		}
	}
	return 0
}

// laterHour reports whether the promise before toks[from] names an hour
// ("at 6", "by 7") and the outcome at toks[at] comes with another one
// ("showed up at 9"): turning up, but not when they said.
func laterHour(toks []token, from, at int) bool {
	hour := func(lo, hi int) string {
		for k := lo; k+1 < hi && k+1 < len(toks); k++ {
			if wordIn(toks[k].w, []string{"at", "by", "for", "before"}) && isHour(toks[k+1].w) {
				return toks[k+1].w
			}
		}
		return ""
	}
	said := hour(max(from-12, 0), from+8)
	came := hour(at, at+3)
	return said != "" && came != "" && said != came
}

// isHour reports whether w reads as a time of day: "6", "9pm", "10:30".
func isHour(w string) bool {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return false
	}
	for _, r := range w {
		if (r < '0' || r > '9') && r != ':' && r != 'a' && r != 'p' && r != 'm' && r != '.' {
			return false
		}
	}
	return true
}
