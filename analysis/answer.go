package analysis

import (
	"strconv"
	"strings"
)

// answer is the short answer a reply opens with, if any.
type answer struct {
	polarity Polarity // "" when there is none, or it is in the middle (3, "sort of")
	words    string   // the answer as the subscriber wrote it
}

// Everyday variants of the short answers, as normalized words. Longer
// phrases come first so "not really" wins over "not".
var (
	yesAnswers = [][]string{
		{"yes", "mostly"}, {"yes"}, {"yess"}, {"yesss"}, {"yeah"}, {"yea"}, {"yeh"}, {"yep"}, {"yup"}, {"y"},
		{"you", "bet"}, {"sure"}, {"of", "course"}, {"for", "sure"}, {"absolutely"}, {"definitely"},
		{"totally"}, {"mostly"}, {"always"}, {"indeed"}, {"yas"}, {"ok", "yes"},
		{"he", "did"}, {"she", "did"}, {"they", "did"}, {"i", "did"}, {"he", "does"}, {"she", "does"}, {"they", "does"},
	}
	noAnswers = [][]string{
		{"not", "really"}, {"not", "at", "all"}, {"not", "much"}, {"not", "yet"}, {"not", "lately"},
		{"no", "not", "really"}, {"no", "not", "at", "all"},
		{"no"}, {"noo"}, {"nooo"}, {"nope"}, {"nah"}, {"naw"}, {"n"}, {"never"}, {"hardly"}, {"rarely"},
		{"he", "did", "not"}, {"she", "did", "not"}, {"they", "did", "not"}, {"he", "does", "not"}, {"she", "does", "not"},
	}
	middleAnswers = [][]string{
		{"sort", "of"}, {"kind", "of"}, {"kinda"}, {"sorta"}, {"sometimes"}, {"maybe"}, {"not", "sure"},
		{"idk"}, {"meh"}, {"so", "so"}, {"somewhat"}, {"partly"}, {"a", "bit"}, {"a", "little"}, {"i", "do", "not", "know"},
	}
	// fillers may come before the answer: "hmm 3 i guess", "well, no".
	fillers     = []string{"hmm", "hm", "um", "umm", "uh", "well", "ok", "okay", "honestly", "so", "oh", "ah", "hi", "hey"}
	numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
	// After "no", these words mean it was not an answer: "no one listens".
	notAnswerAfterNo = []string{"one", "body", "matter", "longer", "idea", "way", "more", "time", "doubt",
		"jealousy", "drama", "problem", "problems", "issue", "issues", "complaints", "lies", "secrets", "fights",
		"arguments", "worries", "shouting", "cheating", "big", "real", "spark", "chemistry", "connection", "fun",
		"reason", "point"}
)

// shortAnswer reads the answer at the start of toks and blanks its words
// (so "no he bailed" does not read "no" as negating "bailed").
func shortAnswer(text string, toks []token) (answer, int) {
	i := 0
	for i < len(toks) && (isBarrier(toks[i].w) || wordIn(toks[i].w, fillers)) {
		i++
	}
	if i >= len(toks) {
		return answer{}, 0
	}
	var a answer
	end := i
	if n, next, ok := scale(toks, i); ok {
		end = next
		switch {
		case n <= 2:
			a.polarity = Red
		case n >= 4:
			a.polarity = Green
		}
	} else if n := phrase(toks, i, noAnswers); n > 0 {
		if toks[i].w == "no" && i+1 < len(toks) && wordIn(toks[i+1].w, notAnswerAfterNo) {
			return answer{}, 0
		}
		end, a.polarity = i+n, Red
	} else if n := phrase(toks, i, middleAnswers); n > 0 {
		end = i + n
	} else if n := phrase(toks, i, yesAnswers); n > 0 {
		end, a.polarity = i+n, Green
	} else {
		return answer{}, 0
	}
	// A bare "never" or "always" is an answer only when it stands alone:
	// "never lies to me" is free text.
	if w := toks[i].w; (w == "never" || w == "always" || w == "he" || w == "she" || w == "they") &&
		end < len(toks) && !isBarrier(toks[end].w) && !wordIn(toks[end].w, []string{"but", "and", "he", "she", "they", "i", "not"}) {
		return answer{}, 0
	}
	a.words = strings.TrimSpace(text[toks[i].start:toks[end-1].end])
	for k := 0; k < end; k++ {
		toks[k].w = clauseBreak
	}
	return a, end
}

// scale reads "2", "2/5", "2 out of 5", "two" at toks[i].
func scale(toks []token, i int) (n, next int, ok bool) {
	w := toks[i].w
	if v, found := numberWords[w]; found {
		n = v
	} else if num, rest, _ := strings.Cut(w, "/"); rest == "" || rest == "5" {
		v, err := strconv.Atoi(num)
		if err != nil {
			return 0, 0, false
		}
		n = v
	} else {
		return 0, 0, false
	}
	if n < 1 || n > 5 {
		return 0, 0, false
	}
	next = i + 1
	if next+2 < len(toks) && toks[next].w == "out" && toks[next+1].w == "of" {
		next += 3
	}
	return n, next, true
}

// phrase returns the length of the first of phrases found at toks[i].
func phrase(toks []token, i int, phrases [][]string) int {
	for _, p := range phrases {
		if i+len(p) > len(toks) {
			continue
		}
		match := true
		for k, w := range p {
			if toks[i+k].w != w {
				match = false
				break
			}
		}
		if match {
			return len(p)
		}
	}
	return 0
}
