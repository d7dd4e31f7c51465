package mailreply

import (
	"regexp"
	"strings"
)

// Strip returns the new text of a plain-text reply body: it cuts quoted
// history at the first attribution line ("On … wrote:", "Le … a écrit :",
// "Am … schrieb …:", "El … escribió:", "Il … ha scritto:", "Em …
// escreveu:", also when wrapped over up to three lines), at an Outlook
// "-----Original Message-----" line or "From:/Sent:/To:/Subject:" block, at
// a "-- " signature or a "Sent from my iPhone"-style line; it drops lines
// quoted with ">" (keeping the answers of an inline reply) and trims blank
// lines.
func Strip(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	lines := strings.Split(text, "\n")
	drop := make([]bool, len(lines))
	end := len(lines)
scan:
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case line == "-- " || line == "--" || line == "—":
			end = i
			break scan
		case isQuoted(line):
			continue
		case isMobileSignature(line), isOriginalMessage(line), headerBlockAt(lines, i):
			end = i
			break scan
		case isRule(line):
			if j := nextNonBlank(lines, i+1); j < len(lines) && headerBlockAt(lines, j) {
				end = i
				break scan
			}
		}
		n := attributionAt(lines, i)
		if n == 0 {
			continue
		}
		next := nextNonBlank(lines, i+n)
		switch {
		case next == len(lines):
			end = i
			break scan
		case isQuoted(lines[next]):
			if !ownTextAfter(lines, next) {
				end = i
				break scan
			}
			for k := i; k < i+n; k++ { // an inline reply: drop only the attribution
				drop[k] = true
			}
			i += n - 1
		case n == 1:
			end = i // history that follows its attribution unquoted
			break scan
		}
	}
	var out []string
	for i, line := range lines[:end] {
		if drop[i] || isQuoted(line) {
			continue
		}
		out = append(out, strings.TrimRight(line, " \t\u00a0"))
	}
	return tidy(out)
}

// tidy joins lines, keeping at most one blank line in a row and none at
// either end.
func tidy(lines []string) string {
	var b strings.Builder
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteString("\n")
			blank = false
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(l)
	}
	return b.String()
}

func isQuoted(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " \t"), ">")
}

func nextNonBlank(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	return i
}

// ownTextAfter says whether an unquoted, non-blank line follows line i
// before a signature or another cut: the sender answered between quotes.
func ownTextAfter(lines []string, i int) bool {
	for _, l := range lines[i:] {
		if l == "-- " || l == "--" || isMobileSignature(l) || isOriginalMessage(l) {
			return false
		}
		if strings.TrimSpace(l) != "" && !isQuoted(l) {
			return true
		}
	}
	return false
}

var attributionOpener = regexp.MustCompile(`(?i)^(?:on|le|am|el|il|em|op|den|w dniu)\s`)

var attribution = regexp.MustCompile(`(?i)^\s*(?:on|le|am|el|il|em|op|den|w dniu)\s.*(?:wrote|a écrit|a ecrit|schrieb|escribió|escribio|ha scritto|scrisse|escreveu|schreef|skrev|napisał)[^:]*:\s*$`)

// attributionAt returns how many lines (1 to 3) the attribution line that
// starts at line i spans, or 0 if none starts there. A wrapped attribution
// must be followed by quoted lines or nothing, since its first line alone
// could be the sender's own words.
func attributionAt(lines []string, i int) int {
	joined := ""
	for n := 1; n <= 3 && i+n <= len(lines); n++ {
		l := strings.TrimSpace(lines[i+n-1])
		if l == "" || isQuoted(l) {
			return 0
		}
		if n == 1 {
			if !attributionOpener.MatchString(l) {
				return 0
			}
			joined = l
		} else {
			joined += " " + l
		}
		if len(joined) > 500 {
			return 0
		}
		if strings.HasSuffix(joined, ":") && attribution.MatchString(joined) {
			if n > 1 {
				if j := nextNonBlank(lines, i+n); j < len(lines) && !isQuoted(lines[j]) {
					return 0
				}
			}
			return n
		}
	}
	return 0
}

var originalMessage = regexp.MustCompile(`(?i)^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|mensagem original|forwarded message|oorspronkelijk bericht)\s*-{2,}\s*$`)

func isOriginalMessage(line string) bool { return originalMessage.MatchString(line) }

var rule = regexp.MustCompile(`^\s*(?:_{10,}|-{10,}|={10,})\s*$`)

func isRule(line string) bool { return rule.MatchString(line) }

var (
	fromKey   = regexp.MustCompile(`(?i)^\s*\*?(?:from|de|von|da|van|från|fra|od)\s?:\*?\s*\S`)
	headerKey = regexp.MustCompile(`(?i)^\s*\*?(?:sent|date|to|subject|cc|envoyé|à|objet|gesendet|datum|an|betreff|enviado|enviada|fecha|para|asunto|inviato|data|a|oggetto|assunto)\s?:\*?`)
)

// headerBlockAt says whether line i starts a quoted message's header block
// as Outlook writes it: "From:" followed within a few lines by at least two
// of Sent/Date/To/Subject/Cc (in English, French, German, Spanish, Italian
// or Portuguese).
func headerBlockAt(lines []string, i int) bool {
	if !fromKey.MatchString(lines[i]) {
		return false
	}
	keys := 0
	for _, l := range lines[i+1 : min(len(lines), i+7)] {
		if headerKey.MatchString(l) {
			keys++
		}
	}
	return keys >= 2
}

var mobileSignatures = []string{
	"sent from my ", "sent from outlook", "sent from yahoo mail", "sent from mail for windows",
	"sent from proton mail", "sent with proton mail", "get outlook for ",
	"envoyé de mon ", "envoyé depuis mon ", "envoyé de l'application", "von meinem ", "gesendet von meinem ",
	"enviado desde mi ", "inviato da ", "inviato dal mio ", "enviado do meu ", "enviado de meu ", "enviado do ",
}

// isMobileSignature says whether line is a mail app's "Sent from my
// iPhone"-style line.
func isMobileSignature(line string) bool {
	l := strings.ToLower(strings.TrimSpace(line))
	if len(l) > 60 {
		return false
	}
	for _, p := range mobileSignatures {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// unflow joins the soft line breaks of a format=flowed (RFC 3676) text.
func unflow(text string, delSp bool) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	var cur strings.Builder
	curDepth, open := 0, false
	flush := func() {
		if open {
			out = append(out, strings.Repeat(">", curDepth)+prefixSpace(curDepth)+cur.String())
			cur.Reset()
			open = false
		}
	}
	for _, line := range strings.Split(text, "\n") {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		body := line[depth:]
		body = strings.TrimPrefix(body, " ") // space-stuffing
		if open && depth != curDepth {
			flush()
		}
		curDepth = depth
		open = true
		soft := strings.HasSuffix(body, " ") && body != "-- "
		if soft && delSp {
			body = body[:len(body)-1]
		}
		cur.WriteString(body)
		if !soft {
			flush()
		}
	}
	flush()
	return strings.Join(out, "\n")
}

func prefixSpace(depth int) string {
	if depth > 0 {
		return " "
	}
	return ""
}
