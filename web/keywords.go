package web

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// The canonical keywords keyword returns.
const (
	kwStop   = "STOP"
	kwHelp   = "HELP"
	kwPause  = "PAUSE"
	kwResume = "RESUME"
	kwStart  = "START"
	kwYes    = "YES"
	kwUnstop = "UNSTOP"
	// kwSettings answers with a link to the subscriber's settings page.
	kwSettings = "SETTINGS"
)

// keyword reads an inbound text as one of the canonical keywords above,
// or "" when it is a reply. Opt-out is honoured "by any reasonable means"
// (47 CFR 64.1200(a)(10): "stop", "quit", "end", "revoke", "opt out",
// "cancel", "unsubscribe", and other words a reasonable person would read
// as a request to stop), so STOP is matched generously and everything else
// strictly.
//
// The text is first normalised (see normalizeText): compatibility forms
// (full-width ＳＴＯＰ, 𝐒𝐓𝐎𝐏), accents and other combining marks,
// zero-width, direction and other invisible characters, case, and Cyrillic
// and Greek letters drawn like Latin ones (STОP with a Cyrillic О) are
// folded away, and it becomes its words: letters and digits, with
// apostrophes and hyphens inside a word dropped ("don't" is dont, "opt-out"
// is optout) and all other punctuation, emoji and spacing between and
// around them removed. Then it is STOP when
//
//  1. its first word is stop, stopall, unsubscribe, optout or revoke, or it
//     begins "opt out", whatever follows and however long it is: "STOP!!",
//     "stop please", "Stop texting me", "unsubscribe me", and also "Stop. I
//     need to think about this": a reflection that opens with the word is
//     unsubscribed (and told so, and can text START), because missing an
//     opt-out is the worse mistake. Whole words only: "Stopped by her
//     place" is a reply;
//  2. after leading politeness ("please", "just", "ok", "hi", "can you", …)
//     it begins with any stop word (also end, cancel, quit) and the rest is
//     nothing, only "this", "me", "all", "please", "now", "thanks", …, or
//     names the messages within a few words ("cancel my subscription",
//     "end the texts", "quit sending me texts", "please stop texting"). So
//     "Cancel.", "End this now" and "please quit" are STOP, while "End of
//     the day he came home", "Quit my job today", "End this week with a
//     talk" and "please stop asking about my sister" are replies;
//  3. it has at most shortWords words and contains a clear opt-out phrase
//     (optOutPhrases: "opt out", "unsubscribe", "leave me alone", "don't
//     text me", "no more texts", "remove me", "take me off", "stop texting
//     me", "wrong number", …), unless it also speaks of someone else (he,
//     she, they, him, her, them, we, …) or reports someone's words ("said",
//     "told", … with no "I" before them): "please leave me alone" and "how
//     do I unsubscribe?" are STOP; "He said leave me alone", "I told him to
//     leave me alone" and "My partner said no more texts" are replies. A
//     longer request that does not begin with a stop word ("Hi, I would
//     like to opt out of these texts please") is a reply: at that length
//     the same words turn up in reflections.
//
// "I can't stop thinking about what he said", "We stopped talking for two
// days" and "he told me to stop overreacting" are replies: the stop word
// neither opens the text nor belongs to a request to stop the texts.
// Emoji alone ("🛑") and words of other languages ("Стоп", "alto") are
// replies too.
//
// HELP or INFO, PAUSE, RESUME, SETTINGS, START, YES and UNSTOP (and the join
// keyword, see sameWords) are matched only as the whole normalised text:
// "Yes!", "ＹＥＳ", "help?" and "yes 😊" are keywords; "yes he did" and "YES.
// She stood up for me" are replies to a YES/NO prompt.
func keyword(body string) string {
	words := strings.Fields(normalizeText(body))
	if len(words) == 0 {
		return ""
	}
	words = spelledOut(words)
	if isStop(words) {
		return kwStop
	}
	if len(words) == 1 {
		return wholeWords[words[0]]
	}
	return ""
}

// spelledOut joins a text written one letter at a time ("S T O P",
// "s.t.o.p") into its word, when the letters make one of the keywords;
// other texts are returned as they are.
func spelledOut(words []string) []string {
	if len(words) < 2 {
		return words
	}
	var joined strings.Builder
	for _, w := range words {
		if len([]rune(w)) != 1 {
			return words
		}
		joined.WriteString(w)
	}
	if j := joined.String(); stopWords[j] || wholeWords[j] != "" {
		return []string{j}
	}
	return words
}

// sameWords reports whether a and b are the same non-empty text once
// normalised, as a configured join keyword is matched.
func sameWords(a, b string) bool {
	na := normalizeText(a)
	return na != "" && na == normalizeText(b)
}

// wholeWords are the keywords other than STOP, matched as the whole text.
var wholeWords = map[string]string{
	"help": kwHelp, "info": kwHelp,
	"pause":  kwPause,
	"resume": kwResume,
	"start":  kwStart, "yes": kwYes, "unstop": kwUnstop,
	"settings": kwSettings,
}

// shortWords is the longest text rule 3 of keyword reads phrases in.
const shortWords = 8

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	// stopWords are Twilio's and the FCC's opt-out words, as one word.
	stopWords = set("stop", "stopall", "unsubscribe", "unsub", "cancel", "end", "quit", "optout", "revoke")
	// stopFirst end the subscription as the first word of any text; the
	// other stop words (end, cancel, quit) also begin ordinary sentences.
	stopFirst = set("stop", "stopall", "unsubscribe", "unsub", "optout", "revoke")

	leadingFillers = set("please", "pls", "plz", "just", "ok", "okay", "hi", "hello", "hey", "seriously", "now", "kindly")
	askingFillers  = set("can", "could", "would", "will") // followed by "you" or "u"
	// lightWords may be all that follows a stop word: "end this", "cancel
	// me", "quit, thanks".
	lightWords = set("this", "me", "all", "please", "pls", "plz", "now", "thanks", "thank", "you", "thx", "ty", "already", "asap")
	// gapWords may come between a stop word and the messages it names:
	// "cancel my subscription", "quit sending me these texts".
	gapWords = set("my", "the", "these", "this", "those", "your", "all", "of", "any", "me", "sending", "with")
	// messageNouns name what Steady sends.
	messageNouns = set("text", "texts", "texting", "txt", "txts", "message", "messages", "messaging",
		"msg", "msgs", "sms", "prompt", "prompts", "reminder", "reminders", "notification", "notifications",
		"subscription", "subscriptions")

	// otherPeople mark a text that speaks of someone else, whose words an
	// opt-out phrase in it probably are.
	otherPeople = set("he", "she", "they", "him", "her", "them", "his", "hers", "their", "theirs",
		"hes", "shes", "hed", "theyd", "theyre", "theyve", "himself", "herself", "themselves", "we")
	// reporting verbs introduce someone's words unless "I" says them.
	reporting = set("said", "says", "told", "tells", "asked", "asks", "yelled", "shouted", "screamed", "texted", "wrote", "writes")
)

// optOutPhrases are the phrases of rule 3 of keyword, as normalised words.
var optOutPhrases = func() [][]string {
	phrases := []string{
		"opt out", "optout", "opt me out", "unsubscribe", "stopall", "leave me alone", "wrong number",
		"remove me", "take me off", "i said stop",
		"stop texting me", "stop messaging me", "stop contacting me", "stop sending me", "stop sending these",
	}
	nouns := []string{"texts", "text", "messages", "text messages", "msgs", "prompts", "reminders"}
	for _, dont := range []string{"dont", "do not"} {
		for _, verb := range []string{"text", "message", "contact"} {
			phrases = append(phrases, dont+" "+verb+" me")
		}
		for _, n := range nouns {
			phrases = append(phrases, dont+" want "+n, dont+" want these "+n, dont+" want your "+n,
				dont+" want any more "+n, dont+" send me "+n, dont+" send me any more "+n)
		}
	}
	for _, n := range nouns {
		phrases = append(phrases, "no more "+n, "stop the "+n, "stop these "+n, "stop your "+n, "stop all "+n)
	}
	out := make([][]string, len(phrases))
	for i, p := range phrases {
		out[i] = strings.Fields(p)
	}
	return out
}()

func isStop(words []string) bool {
	// Rule 1: the first word.
	if stopFirst[words[0]] || len(words) >= 2 && words[0] == "opt" && words[1] == "out" {
		return true
	}
	// Rule 2: after politeness, a stop word and nothing, or the messages.
	core := trimPoliteness(words)
	switch {
	case len(core) >= 2 && core[0] == "opt" && core[1] == "out":
		return true
	case len(core) >= 1 && stopWords[core[0]] && stopsMessages(core[1:]):
		return true
	}
	// Rule 3: a clear phrase in a short text about no one else.
	if len(words) > shortWords {
		return false
	}
	for _, p := range optOutPhrases {
		if i := index(words, p); i >= 0 && !aboutOthers(words, i) {
			return true
		}
	}
	return false
}

// trimPoliteness drops leading words of politeness: "please", "can you".
func trimPoliteness(words []string) []string {
	for len(words) > 0 {
		switch {
		case leadingFillers[words[0]]:
			words = words[1:]
		case len(words) >= 2 && askingFillers[words[0]] && (words[1] == "you" || words[1] == "u"):
			words = words[2:]
		default:
			return words
		}
	}
	return words
}

// stopsMessages reports whether rest, the words after a stop word, make it
// a request to stop the messages: nothing, only lightWords, or a
// messageNoun within four words.
func stopsMessages(rest []string) bool {
	light := true
	for _, w := range rest {
		if !lightWords[w] {
			light = false
			break
		}
	}
	if light {
		return true
	}
	for i, w := range rest {
		if i >= 4 {
			break
		}
		if messageNouns[w] {
			return true
		}
		if !gapWords[w] {
			break
		}
	}
	return false
}

// aboutOthers reports whether words speak of someone else, or report
// someone's words before the phrase at at.
func aboutOthers(words []string, at int) bool {
	sawI := false
	for i, w := range words {
		if otherPeople[w] {
			return true
		}
		if i < at && reporting[w] && !sawI {
			return true
		}
		sawI = sawI || w == "i"
	}
	return false
}

// index returns where phrase first occurs in words, or -1.
func index(words, phrase []string) int {
	for i := 0; i+len(phrase) <= len(words); i++ {
		if slices.Equal(words[i:i+len(phrase)], phrase) {
			return i
		}
	}
	return -1
}

// normalizeText is the form keyword matches: the text's words, lower case,
// separated by single spaces. It applies the compatibility decomposition of
// Unicode NFKC (NFKD: full-width and styled letters, ligatures, circled
// letters become plain ones), drops combining marks, invisible characters
// (category Cf: zero-width space and joiners, U+FEFF, direction marks,
// embeddings and isolates, soft hyphens; variation selectors and the other
// default-ignorable code points), maps Cyrillic and Greek letters that
// look like Latin ones to those, and folds case, repeated until nothing
// changes (at most four times);
// then keeps runs of letters and digits as words, dropping an apostrophe
// or hyphen between two of them. normalizeText(normalizeText(s)) ==
// normalizeText(s).
func normalizeText(s string) string {
	for range 4 {
		next := foldOnce(s)
		if next == s {
			break
		}
		s = next
	}
	var b strings.Builder
	rs := []rune(s)
	inWord := false
	for i, r := range rs {
		switch {
		case isWordRune(r):
			if !inWord && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			inWord = true
		case inWord && isJoiner(r) && i+1 < len(rs) && isWordRune(rs[i+1]):
			// "don't", "opt-out": one word.
		default:
			inWord = false
		}
	}
	return b.String()
}

func foldOnce(s string) string {
	s = norm.NFKD.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.M, r) || isInvisible(r) {
			return -1
		}
		if l, ok := lookalikes[r]; ok {
			return l
		}
		return r
	}, s)
	return cases.Fold().String(s)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func isJoiner(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02BC', '-', '\u2010', '\u2011':
		return true
	}
	return false
}

// isInvisible: format characters (Cf) and the other default-ignorable
// code points, such as variation selectors and Hangul fillers.
func isInvisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// lookalikes maps Cyrillic and Greek letters drawn like a Latin letter (in
// either case) to that letter in lower case, both cases of each, so a word
// typed with a stray Cyrillic О or a Turkish İ still matches.
var lookalikes = map[rune]rune{
	// Cyrillic
	'А': 'a', 'а': 'a', 'В': 'b', 'в': 'b', 'Е': 'e', 'е': 'e', 'К': 'k', 'к': 'k',
	'М': 'm', 'м': 'm', 'Н': 'h', 'н': 'h', 'О': 'o', 'о': 'o', 'Р': 'p', 'р': 'p',
	'С': 'c', 'с': 'c', 'Т': 't', 'т': 't', 'У': 'y', 'у': 'y', 'Х': 'x', 'х': 'x',
	'Ѕ': 's', 'ѕ': 's', 'І': 'i', 'і': 'i', 'Ј': 'j', 'ј': 'j', 'Һ': 'h', 'һ': 'h',
	'Ԛ': 'q', 'ԛ': 'q', 'Ԝ': 'w', 'ԝ': 'w', 'Ү': 'y', 'ү': 'y', 'Ԁ': 'd', 'ԁ': 'd',
	// Greek
	'Α': 'a', 'α': 'a', 'Β': 'b', 'β': 'b', 'Ε': 'e', 'ε': 'e', 'Ζ': 'z', 'ζ': 'z',
	'Η': 'h', 'η': 'h', 'Ι': 'i', 'ι': 'i', 'Κ': 'k', 'κ': 'k', 'Μ': 'm', 'μ': 'm',
	'Ν': 'n', 'ν': 'n', 'Ο': 'o', 'ο': 'o', 'Ρ': 'p', 'ρ': 'p', 'Τ': 't', 'τ': 't',
	'Υ': 'y', 'υ': 'y', 'Χ': 'x', 'χ': 'x',
	// Turkish dotted and dotless i
	'İ': 'i', 'ı': 'i',
}
