package summary

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/steadyapp/steady/analysis"
	"github.com/steadyapp/steady/themes"
)

// A bare short answer ("4", "yes", "nope", "not really", "oui 5") is no
// quote: shown under "Signs of support" as "“4”" it reads as if the
// subscriber had written the number about their partner. The summary
// shows it as an answer to its question instead.

// shortWords are the words a bare short answer is made of, in the
// languages the analyser reads short answers in.
var shortWords = map[string]bool{
	"yes": true, "yeah": true, "yep": true, "yup": true, "ya": true, "y": true, "no": true, "nope": true, "nah": true, "n": true,
	"not": true, "really": true, "sort": true, "of": true, "kind": true, "mostly": true, "maybe": true, "meh": true,
	"ok": true, "okay": true, "definitely": true, "absolutely": true, "never": true, "always": true, "sometimes": true,
	"one": true, "two": true, "three": true, "four": true, "five": true, "out": true,
	"si": true, "sí": true, "claro": true, "para": true, "nada": true, "oui": true, "non": true, "pas": true, "du": true,
	"tout": true, "ja": true, "nein": true, "gar": true, "nicht": true, "sim": true, "não": true, "nao": true, "sì": true,
	"per": true, "niente": true,
}

// maxBareWords bounds a bare short answer: "no, not really" is one, a
// sentence is not.
const maxBareWords = 4

// bareAnswer reports whether text is only a short answer: a few of
// shortWords and numbers, with punctuation and emoji around them.
//
// It stops at the first word that is not one (most replies' first), and
// makes no slice of the words.
func bareAnswer(text string) bool {
	n := 0
	for w := range strings.FieldsFuncSeq(strings.ToLower(text), notWordRune) {
		if n++; n > maxBareWords || !shortWords[w] && !isNumber(w) {
			return false
		}
	}
	return n > 0
}

// notWordRune separates the words of a short answer.
func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return len(w) <= 2
}

// rating finds the 1-to-5 rating in a short answer: "4", "4/5", "four".
func rating(text string) (int, bool) {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	names := map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
	for _, w := range words {
		if n, ok := names[w]; ok {
			return n, true
		}
		if len(w) == 1 && w[0] >= '1' && w[0] <= '5' {
			return int(w[0] - '0'), true
		}
	}
	return 0, false
}

// scalePrefix is how a scale prompt opens: "From 1 (not at all) to 5
// (fully), how much ...?".
var scalePrefix = regexp.MustCompile(`(?i)^(on a scale )?(from )?1\b[^,?]*\bto 5\b(\s*\([^)]*\))?,\s*`)

// question is the prompt's question, the first sentence ending in "?",
// without a scale prompt's "From 1 (…) to 5 (…)," opening; "" when the
// prompt has none.
func question(prompt string) string {
	end := strings.IndexByte(prompt, '?')
	if end < 0 {
		return ""
	}
	q := prompt[:end+1]
	if i := strings.LastIndexAny(q[:end], ".!"); i >= 0 {
		q = q[i+1:]
	}
	q = strings.TrimSpace(scalePrefix.ReplaceAllString(strings.TrimSpace(q), ""))
	if q == "" {
		return ""
	}
	r := []rune(q)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// answerLine says what a bare short answer answered: "You answered 4 of 5
// to “How much …?”" or "You answered “nope” to “Did …?”"; without the
// prompt's text, "to a prompt about Trust".
func answerLine(text, prompt, theme string, p analysis.Polarity) string {
	to := fmt.Sprintf("a prompt about %s", themes.Name(theme))
	if q := question(prompt); q != "" {
		to = "“" + q + "”"
	}
	if n, ok := rating(text); ok {
		return fmt.Sprintf("You answered %d of 5 to %s", n, to)
	}
	word := strings.ToLower(strings.TrimFunc(strings.Join(strings.Fields(text), " "), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}))
	if word == "" {
		word = map[analysis.Polarity]string{analysis.Green: "yes", analysis.Red: "no"}[p]
	}
	return fmt.Sprintf("You answered “%s” to %s", word, to)
}
