package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one normalized word of a reply, with where it came from in the
// original text so evidence can quote the subscriber's own words.
type token struct {
	w          string // normalized word, or a barrier: "." ends a sentence, "," a clause
	start, end int    // byte offsets of the source word in the original text
	capital    bool   // the source word starts with a capital letter
	cls        uint16 // the word's classes (wordclass.go)
}

const (
	sentenceBreak = "."
	clauseBreak   = ","
)

func isBarrier(w string) bool { return w == sentenceBreak || w == clauseBreak }

// shorthand spells out SMS shorthand and common misspellings. A value may
// hold several words. Numbers ("2", "4") are handled separately because a
// leading number is a scale answer.
var shorthand = map[string]string{
	"u": "you", "ur": "your", "r": "are", "y'all": "you all", "ya": "you",
	"abt": "about", "bc": "because", "b/c": "because", "cuz": "because", "coz": "because", "cause": "because",
	"thru": "through", "tho": "though", "altho": "although", "wk": "week", "wknd": "weekend",
	"kno": "know", "knw": "know", "rly": "really", "srsly": "seriously", "def": "definitely",
	"pls": "please", "plz": "please", "b4": "before", "w/": "with", "w/o": "without", "bout": "about",
	"hes": "he's", "shes": "she's", "hed": "he'd", "theyd": "they'd", "youre": "you're", "thats": "that's", "im": "i'm", "ive": "i've", "id": "i'd", "ill": "i'll", "theyre": "they're",
	"didnt": "didn't", "doesnt": "doesn't", "dont": "don't", "cant": "can't", "wont": "won't",
	"wasnt": "wasn't", "isnt": "isn't", "hasnt": "hasn't", "havent": "haven't", "hadnt": "hadn't",
	"wouldnt": "wouldn't", "couldnt": "couldn't", "shouldnt": "shouldn't", "arent": "aren't", "werent": "weren't",
	"havnt": "haven't", "hvnt": "haven't", "dosent": "doesn't", "doesent": "doesn't", "didint": "didn't", "dint": "didn't",
	"wouldent": "wouldn't", "couldent": "couldn't", "cudnt": "couldn't", "wudnt": "wouldn't", "isnt't": "isn't",
	"aint": "isn't", "dnt": "don't", "dosnt": "doesn't", "didn": "didn't",
	"bf": "boyfriend", "gf": "girlfriend", "hubby": "husband", "hubs": "husband", "wifey": "wife",
	"bff": "best friend", "bestie": "best friend", "fiance": "fiance", "fiancee": "fiance",
	"lyed": "lied", "lieing": "lying", "lyin": "lying", "lyin'": "lying", "promissed": "promised", "promis": "promise",
	"promisses": "promises", "beleive": "believe", "belive": "believe", "definately": "definitely",
	"freinds": "friends", "freind": "friend", "jelous": "jealous", "jealouse": "jealous", "jelousy": "jealousy", "realible": "reliable", "relyable": "reliable", "trustworthy": "trustworthy", "dependble": "dependable", "promiss": "promise", "alway": "always", "nver": "never", "neva": "never", "evry": "every", "wen": "when", "wit": "with", "becoz": "because", "threatend": "threatened", "hitted": "hit", "chocked": "choked", "choaked": "choked", "slaped": "slapped", "slapt": "slapped", "punshed": "punched", "kiked": "kicked", "strangeled": "strangled", "abussive": "abusive", "abusiv": "abusive", "violant": "violent", "agresive": "aggressive", "agressive": "aggressive", "agressiv": "aggressive", "aggresive": "aggressive", "scarred of": "scared of", "thretened": "threatened",
	"realy": "really", "alwyas": "always", "allways": "always", "becuase": "because", "agian": "again",
	"txt": "text", "txts": "texts", "txted": "texted", "txting": "texting", "msg": "message", "msgs": "messages",
	"cannot": "can not",
	"tbh":    "", "fr": "", "ngl": "", "lol": "", "lmao": "", "omg": "", "smh": "",
}

// contraction splits "didn't" into "did not", "he's" into "he is" and drops a
// possessive "'s" ("mom's" becomes "mom").
func contraction(w string) []string {
	switch w {
	case "can't", "cannot":
		return []string{"can", "not"}
	case "won't":
		return []string{"will", "not"}
	case "shan't":
		return []string{"shall", "not"}
	}
	if base, ok := strings.CutSuffix(w, "n't"); ok && base != "" {
		return []string{base, "not"}
	}
	i := strings.LastIndexByte(w, '\'')
	if i <= 0 {
		return []string{strings.Trim(w, "'")}
	}
	base, suf := w[:i], w[i+1:]
	switch suf {
	case "s":
		switch base {
		case "he", "she", "it", "that", "there", "what", "who", "where", "everything", "nothing":
			return []string{base, "is"}
		case "let":
			return []string{"let", "us"}
		}
		return []string{base}
	case "re":
		return []string{base, "are"}
	case "ve":
		return []string{base, "have"}
	case "ll":
		return []string{base, "will"}
	case "d":
		return []string{base, "would"}
	case "m":
		return []string{base, "am"}
	}
	return []string{strings.Trim(w, "'")}
}

// tokenize lowercases text, spells out shorthand and contractions and marks
// sentence and clause breaks, keeping each word's source offsets.
func tokenize(text string) []token {
	out := make([]token, 0, len(text)/4+2)
	add := func(w string, start, end int) {
		if w == "" {
			return
		}
		if isBarrier(w) && (len(out) == 0 || isBarrier(out[len(out)-1].w)) {
			if len(out) > 0 && w == sentenceBreak {
				out[len(out)-1].w = sentenceBreak // a sentence break wins over a clause break
			}
			return
		}
		// Only the first word of a split source word is capitalised: "I'm" is "I" and "am".
		capital := text[start] >= 'A' && text[start] <= 'Z' && (len(out) == 0 || out[len(out)-1].start != start)
		out = append(out, token{w: w, start: start, end: end, capital: capital, cls: wordClasses[w]})
	}
	words := 0
	i := 0
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= 0x80 {
			r, size = decodeRune(text[i:])
		}
		switch {
		case r == '>' && atLineStart(text, i):
			// A quoted line of the message being answered: the prompt, or
			// an earlier mail, not the subscriber's words.
			if n := strings.IndexByte(text[i:], '\n'); n >= 0 {
				i += n
			} else {
				i = len(text)
			}
		case isWordRune(r):
			j := i
			for j < len(text) {
				r2, s2 := rune(text[j]), 1
				if r2 >= 0x80 {
					r2, s2 = decodeRune(text[j:])
				}
				if !isWordRune(r2) && r2 != '\'' && r2 != '\u2019' && r2 != '/' {
					break
				}
				j += s2
			}
			raw := text[i:j]
			if plainWord(raw) {
				// Most words are plain lowercase letters: no copy, no
				// shorthand or contraction to undo.
				if s, ok := shorthand[raw]; !ok || s == raw {
					if w := numberAsWord(raw, words); w != "" {
						raw = w
					}
					add(raw, i, j)
					words++
					i = j
					continue
				}
			}
			raw = strings.ToLower(strings.ReplaceAll(raw, "\u2019", "'"))
			raw = strings.Trim(raw, "'/")
			for _, part := range splitSlash(raw) {
				for _, w := range expand(part, words) {
					add(w, i, j)
					words++
				}
			}
			i = j
		case r == '.' || r == '!' || r == '?' || r == ';' || r == '\n' || r == ':':
			add(sentenceBreak, i, i+size)
			i += size
		case r == '-' && i > 0 && i+1 < len(text) && isWordByte(text[i-1]) && isWordByte(text[i+1]):
			// A hyphen inside a word separates its parts: "second-guessing",
			// "no-show", "co-parenting".
			i += size
		case r == '\U0001F44D' || r == '\U0001F44E':
			// A thumbs up or down is a yes or a no.
			if r == '\U0001F44D' {
				add("yes", i, i+size)
			} else {
				add("no", i, i+size)
			}
			words++
			i += size
		case r == ',' || r == '(' || r == ')' || r == '"' || r == '-' || r == '\u2013' || r == '\u2014':
			add(clauseBreak, i, i+size)
			i += size
		default:
			i += size
		}
	}
	return out
}

// splitSlash keeps "1/5", "w/" and "b/c" whole and splits "and/or".
func splitSlash(w string) []string {
	if !strings.Contains(w, "/") || w == "w/" || w == "w/o" || w == "b/c" {
		return []string{w}
	}
	if len(w) > 0 && w[0] >= '0' && w[0] <= '9' {
		return []string{w}
	}
	return strings.Split(w, "/")
}

// expand normalizes one raw word into zero or more words. n is how many
// words came before it: a leading "2" is an answer, a later one means "to".
func expand(w string, n int) []string {
	if v := numberAsWord(w, n); v != "" {
		w = v
	}
	if s, ok := shorthand[w]; ok {
		w = s
	}
	var out []string
	for _, f := range strings.Fields(w) {
		out = append(out, contraction(f)...)
	}
	return out
}

// atLineStart reports whether only spaces stand between text[i] and the
// start of its line.
func atLineStart(text string, i int) bool {
	for k := i - 1; k >= 0; k-- {
		switch text[k] {
		case '\n':
			return true
		case ' ', '\t':
			continue
		}
		return false
	}
	return true
}

// numberAsWord reads a "2" or "4" after the first word as "to" or "for";
// it returns "" for any other word.
func numberAsWord(w string, n int) string {
	if n == 0 {
		return ""
	}
	switch w {
	case "2":
		return "to"
	case "4":
		return "for"
	case "n":
		return "and" // "home by 10 n he was"; a leading "n" is a no
	}
	return ""
}

// plainWord reports whether w is only lowercase ASCII letters and digits,
// so it needs no lowercasing or splitting.
func plainWord(w string) bool {
	for k := 0; k < len(w); k++ {
		if b := w[k]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9') {
			return false
		}
	}
	return true
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }
