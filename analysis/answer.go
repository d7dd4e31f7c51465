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
		{"totally"}, {"mostly"}, {"always"}, {"indeed"}, {"yas"}, {"ok", "yes"}, {"hell", "yes"}, {"heck", "yes"}, {"yh"}, {"ye"}, {"yass"}, {"yesh"},
		{"he", "did"}, {"she", "did"}, {"they", "did"}, {"i", "did"}, {"he", "does"}, {"she", "does"}, {"they", "does"},
		// Spanish, French, German, Portuguese, Italian.
		{"claro", "que", "sí"}, {"claro", "que", "si"}, {"por", "supuesto"}, {"sí"}, {"si"}, {"sì"}, {"claro"}, {"siempre"},
		{"desde", "luego"}, {"totalmente"}, {"absolutamente"}, {"obvio"},
		{"bien", "sûr"}, {"oui"}, {"ouais"}, {"toujours"}, {"absolument"}, {"évidemment"}, {"carrément"}, {"tout", "à", "fait"}, {"exactement"},
		{"ja"}, {"jawohl"}, {"genau"}, {"klar"}, {"natürlich"}, {"immer"}, {"doch"}, {"sicher"}, {"auf", "jeden", "fall"},
		{"sim"}, {"claro"}, {"com", "certeza"}, {"sempre"}, {"certo"}, {"certamente"}, {"assolutamente"}, {"ovviamente"},
	}
	noAnswers = [][]string{
		{"definitely", "not"}, {"absolutely", "not"}, {"of", "course", "not"}, {"certainly", "not"}, {"hell", "no"}, {"god", "no"},
		{"not", "really"}, {"not", "at", "all"}, {"not", "much"}, {"not", "yet"}, {"not", "lately"},
		{"not", "this", "week"}, {"not", "this", "time"}, {"not", "today"}, {"not", "recently"}, {"not", "so", "much"},
		{"no", "not", "really"}, {"no", "not", "at", "all"},
		{"no"}, {"noo"}, {"nooo"}, {"nope"}, {"nah"}, {"naw"}, {"n"}, {"never"}, {"hardly"}, {"rarely"},
		{"he", "did", "not"}, {"she", "did", "not"}, {"they", "did", "not"}, {"he", "does", "not"}, {"she", "does", "not"},
		// Spanish, French, German, Portuguese, Italian.
		{"claro", "que", "no"}, {"claro", "que", "não"}, {"claro", "que", "nao"}, {"por", "supuesto", "que", "no"}, {"absolutamente", "no"},
		{"nop"}, {"nay"}, {"negative"},
		{"para", "nada"}, {"no", "mucho"}, {"nunca"}, {"jamás"}, {"nada"},
		{"pas", "du", "tout"}, {"pas", "vraiment"}, {"pas", "trop"}, {"mais", "non"}, {"non"}, {"jamais"},
		{"leider", "nein"}, {"leider", "nicht"}, {"eher", "nicht"}, {"gar", "nicht"}, {"überhaupt", "nicht"}, {"nicht", "wirklich"}, {"nein"}, {"nö"}, {"nee"}, {"nie"}, {"niemals"},
		{"de", "jeito", "nenhum"}, {"não", "muito"}, {"nao", "muito"}, {"não"}, {"nao"},
		{"per", "niente"}, {"per", "nulla"}, {"non", "proprio"}, {"non", "molto"}, {"assolutamente", "no"}, {"mai"},
	}
	middleAnswers = [][]string{
		{"yes", "and", "no"}, {"yes", "or", "no"}, {"no", "and", "yes"}, {"half", "and", "half"},
		{"sort", "of"}, {"kind", "of"}, {"kinda"}, {"sorta"}, {"sometimes"}, {"maybe"}, {"not", "sure"},
		{"idk"}, {"meh"}, {"so", "so"}, {"somewhat"}, {"partly"}, {"a", "bit"}, {"a", "little"}, {"i", "do", "not", "know"},
		{"más", "o", "menos"}, {"mas", "o", "menos"}, {"a", "veces"}, {"plus", "ou", "moins"}, {"parfois"}, {"un", "peu"},
		{"mehr", "oder", "weniger"}, {"manchmal"}, {"ein", "bisschen"}, {"mais", "ou", "menos"}, {"às", "vezes"},
		{"più", "o", "meno"}, {"a", "volte"}, {"così", "così"}, {"un", "po"},
		{"jein"}, {"bof"}, {"geht", "so"}, {"depende"}, {"ça", "dépend"}, {"dipende"}, {"insomma"}, {"meio", "que"},
	}
	// fillers may come before the answer: "hmm 3 i guess", "well, no".
	fillers     = []string{"hmm", "hm", "um", "umm", "uh", "well", "ok", "okay", "honestly", "so", "oh", "ah", "hi", "hey"}
	numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
	// After "no", these words mean it was not an answer: "no one listens".
	notAnswerAfterNo = []string{"one", "body", "matter", "longer", "idea", "way", "more", "time", "doubt",
		"jealousy", "drama", "problem", "problems", "issue", "issues", "complaints", "lies", "secrets", "fights",
		"arguments", "worries", "shouting", "cheating", "big", "real", "spark", "chemistry", "connection", "fun",
		"reason", "point", "stop", "comment", "idea", "trust", "love", "respect", "honesty", "support", "help", "communication",
		"affection", "intimacy", "effort", "loyalty", "friendship", "interest", "change", "sign", "word", "reply", "response",
		"answer", "call", "calls", "text", "texts", "contact", "money", "sex", "backup", "warning", "explanation", "apology", "show"}
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
	} else if n := phrase(toks, i, noByFirst); n > 0 {
		if (toks[i].w == "no" || toks[i].w == "non") && i+1 < len(toks) && wordIn(toks[i+1].w, notAnswerAfterNo) {
			return answer{}, 0
		}
		end, a.polarity = i+n, Red
	} else if n := phrase(toks, i, middleByFirst); n > 0 {
		end = i + n
	} else if n := phrase(toks, i, yesByFirst); n > 0 {
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
	// "I don't know if he wants to be with me" is doubt said in full, not
	// an answer in the middle.
	if a.polarity == "" && end < len(toks) && (toks[end].w == "if" || toks[end].w == "whether") {
		return answer{}, 0
	}
	a.words = strings.TrimSpace(text[toks[i].start:toks[end-1].end])
	for k := 0; k < end; k++ {
		if k == i && end == i+1 && end < len(toks) && wordIn(toks[k].w, []string{"no", "non", "não", "nao"}) && wordIn(toks[end].w, verbsAfterNo) {
			// "no quiero vivir", "non voglio più vivere": the answer is
			// also the sentence's own negation, which the rules read.
			continue
		}
		blank(toks, k)
	}
	return a, end
}

// verbsAfterNo are the Spanish, Italian and Portuguese words that follow a
// "no" (non, não) negating its own sentence.
var verbsAfterNo = []string{"quiero", "quiere", "queremos", "puedo", "puede", "podemos", "tengo", "tiene", "aguanto", "soporto",
	"me", "te", "lo", "la", "le", "nos", "se", "sé", "estoy", "está", "hay", "sabe",
	"voglio", "vuole", "posso", "può", "ho", "ha", "mi", "ti", "ci", "ce", "sono", "sto", "ne",
	"quero", "quer", "pode", "tenho", "tem", "estou", "aguento", "consigo", "sei", "vou"}

// scale reads "2", "2/5", "2 out of 5", "two" at toks[i].
func scale(toks []token, i int) (n, next int, ok bool) {
	w := toks[i].w
	if v, found := numberWords[w]; found {
		n = v
	} else if num, rest, _ := strings.Cut(w, "/"); rest == "" || rest == "5" || rest == "10" {
		v, err := strconv.Atoi(num)
		if err != nil {
			return 0, 0, false
		}
		n = v
		if rest == "10" {
			if v < 0 || v > 10 {
				return 0, 0, false
			}
			n = (v + 1) / 2 // "8/10" is a 4
			if n == 0 {
				n = 1
			}
		}
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

// The answer phrases by their first word, in list order, so a reply's
// first word is compared only with the phrases it could start.
var (
	noByFirst     = byFirstWord(noAnswers)
	middleByFirst = byFirstWord(middleAnswers)
	yesByFirst    = byFirstWord(yesAnswers)
)

func byFirstWord(phrases [][]string) map[string][][]string {
	m := map[string][][]string{}
	for _, p := range phrases {
		m[p[0]] = append(m[p[0]], p)
	}
	return m
}

// phrase returns the length of the first of phrases found at toks[i].
func phrase(toks []token, i int, byFirst map[string][][]string) int {
	for _, p := range byFirst[toks[i].w] {
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
