package mailreply

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file recognises the lines that introduce quoted history by their
// shape rather than their words, so that a mail program in any language is
// understood: an attribution holds a date and an address (or a name) and
// ends with a colon or sits between dashes; a header block is a few
// "Key: value" fields, one of them an address or a date.

// unquote returns line without its ">" quote markers and surrounding space.
func unquote(line string) string {
	t := strings.TrimSpace(line)
	for strings.HasPrefix(t, ">") {
		t = strings.TrimLeft(t[1:], " \t")
	}
	return strings.Trim(t, " \t\u00a0")
}

// endsWithColon says whether t (trimmed) ends with a colon, ASCII or
// full-width.
func endsWithColon(t string) bool {
	t = strings.TrimRight(t, " \t\u00a0")
	return strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：")
}

var dashLine = regexp.MustCompile(`^[-–—=*_~]{2,}\s*(.*?\S)\s*[-–—=*_~]{2,}:?$`)

// dashWrapped returns the words of a line wrapped in dashes
// ("---- On … wrote ----", "-------- Original message --------"), or "".
func dashWrapped(t string) string {
	t = strings.TrimSpace(t)
	if r, _ := utf8.DecodeRuneInString(t); !strings.ContainsRune("-–—=*_~", r) {
		return ""
	}
	m := dashLine.FindStringSubmatch(t)
	if m == nil || !strings.ContainsFunc(m[1], unicode.IsLetter) || utf8.RuneCountInString(m[1]) > 300 {
		return ""
	}
	return m[1]
}

var (
	emailAddress = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+`)
	yearLike     = regexp.MustCompile(`(?:^|\D)(?:19|20)\d\d(?:\D|$)`)
	timeLike     = regexp.MustCompile(`(?:^|\D)[012]?\d[:.h][0-5]\d(?:\D|$)`)
	numericDate  = regexp.MustCompile(`(?:^|\D)\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}(?:\D|$)`)
)

func hasEmail(s string) bool { return strings.Contains(s, "@") && emailAddress.MatchString(s) }

// hasDate says whether s holds something that reads as a date or a time:
// a year, a clock time or a numeric date.
func hasDate(s string) bool {
	return yearLike.MatchString(s) || timeLike.MatchString(s) || numericDate.MatchString(s)
}

// letterWords counts the words of s that hold a letter.
func letterWords(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.ContainsFunc(f, unicode.IsLetter) {
			n++
		}
	}
	return n
}

// attributionShape says whether t, one line or the join of a wrapped
// attribution, reads as one: at most 300 characters ending with a colon or
// wrapped in dashes, with a date, at least two words and an address (then
// it is strong: the history below it is recognisable even when it is not
// quoted) or, for a name and a date alone, the start of an attribution; or
// a name and an address in brackets alone, in six words at most.
func attributionShape(t string, kn *knowledge) (ok, strong bool) {
	t = strings.TrimSpace(t)
	if utf8.RuneCountInString(t) > 300 {
		return false, false
	}
	body := t
	if d := dashWrapped(t); d != "" {
		body = d
	} else {
		body = strings.TrimLeft(body, "-–—* ")
		if !endsWithColon(body) {
			return false, false
		}
	}
	if !hasDate(body) {
		// A name and an address in brackets, a verb perhaps, and nothing
		// else ("molly <molly@example.com> wrote:").
		if f := strings.Fields(body); len(f) <= 6 && bracketedAddress.MatchString(body) && letterWords(body) >= 2 {
			return true, true
		}
		return false, false
	}
	if letterWords(body) < 2 {
		return false, false
	}
	if hasEmail(body) || kn.hasAddress(body) {
		return true, true
	}
	// A name and a date: only when it starts as attributions do ("On …",
	// a date first), not as a sentence ("He wrote me on 3/3/2026:"), and
	// ends with a name and perhaps a verb after the date's last comma
	// ("…, Steady wrote:", "…, Steady pisze:").
	return (anchored(strings.TrimLeft(t, "-–—* ")) || dashWrapped(t) != "") && namedEnd(body), false
}

// namedEnd says whether the last comma-separated part of an attribution
// is a few words starting with a name: a capital, or a script without
// case.
func namedEnd(t string) bool {
	i := max(strings.LastIndex(t, ","), strings.LastIndex(t, "，"))
	if i < 0 {
		return false
	}
	last := strings.Fields(strings.TrimLeft(t[i:], ",， "))
	if len(last) == 0 || len(last) > 5 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(last[0])
	return unicode.IsLetter(r) && !unicode.IsLower(r)
}

// attributionOpeners begin an attribution in the languages Steady's
// subscribers write in; a wrapped attribution must begin with one (or
// with a date) before its lines are joined.
var attributionOpener = regexp.MustCompile(`(?i)^(?:on|le|am|el|il|il giorno|in data|em|op|den|w dniu|dnia|vào|dne|στις)\s`)

// anchored says whether the first line of a wrapped attribution starts the
// way attributions start (with an opener word, a digit or a day name
// followed by a digit, or dashes) and does not end as a sentence does.
func anchored(first string) bool {
	first = strings.TrimSpace(first)
	if strings.HasSuffix(first, ".") || strings.HasSuffix(first, "!") || strings.HasSuffix(first, "?") || strings.HasSuffix(first, "…") {
		return false // a sentence, not the first part of an attribution
	}
	if strings.HasPrefix(first, "-") || attributionOpener.MatchString(first) {
		return true
	}
	// A date first ("3 marca 2026 o 09:00", "2026年3月3日"), or a short
	// day name and a number in any script ("wt., 3 mar 2026", "ti
	// 3.3.2026", "вт, 3 мар. 2026"); a number alone is how answers start.
	if !hasDate(first) {
		return false
	}
	if strings.IndexFunc(first, unicode.IsDigit) == 0 {
		return true
	}
	f := strings.Fields(first)
	return len(f) >= 2 && utf8.RuneCountInString(strings.TrimRight(f[0], ".,")) <= 4 &&
		strings.IndexFunc(f[0], unicode.IsLetter) == 0 && strings.IndexFunc(f[1], unicode.IsDigit) == 0
}

// wrappedStart says whether first can be the first line of an attribution
// wrapped over more lines: it is anchored, or it holds the address
// ("Aa Bb <ab@example.com> schrieb am So., 23.").
func wrappedStart(first string) bool {
	return anchored(first) || hasEmail(first)
}

// field is one "Key: value" line of a header block.
type field struct{ key, value string }

// headerField reads t as a header-like field: a key of one to four words
// (at most 30 characters) in any language, a colon (perhaps after a space
// or non-breaking space, perhaps in bold asterisks), and a value.
func headerField(t string) (field, bool) {
	t = strings.TrimSpace(t)
	i := strings.IndexAny(t, ":：")
	if i <= 0 || i > 130 || len(t) > 1000 {
		return field{}, false
	}
	key := strings.TrimRight(strings.TrimPrefix(t[:i], "*"), " \t\u00a0*")
	rest := strings.TrimPrefix(strings.TrimPrefix(t[i:], ":"), "：")
	rest = strings.TrimPrefix(rest, "*")
	if rest != "" && !strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "\t") && !strings.HasPrefix(rest, "\u00a0") {
		return field{}, false // "https://…", "9:00"
	}
	if key == "" || utf8.RuneCountInString(key) > 30 {
		return field{}, false
	}
	words := 1
	for j, r := range key {
		switch {
		case unicode.IsLetter(r):
		case j == 0:
			return field{}, false
		case unicode.IsMark(r) || strings.ContainsRune("'’.-", r):
		case r == ' ' || r == '\u00a0':
			if words++; words > 4 {
				return field{}, false
			}
		default:
			return field{}, false
		}
	}
	return field{key: key, value: strings.Trim(rest, " \t\u00a0")}, true
}

var knownHeaderKey = regexp.MustCompile(`(?i)^(?:from|sent|date|to|subject|cc|de|envoyé|à|a|objet|von|gesendet|datum|an|betreff|enviado|enviada|fecha|para|asunto|da|inviato|data|oggetto|assunto|van|verzonden|aan|onderwerp|från|skickat|till|ämne|fra|sendt|til|emne|od|wysłane|wysłano|do|temat|lähettäjä|lähetetty|vastaanottaja|aihe|от|отправлено|дата|кому|тема|feladó|elküldve|címzett|tárgy|dátum|từ|đã gửi|đến|chủ đề|odesláno|komu|předmět|kimden|gönderildi|kime|konu|message du|copie à)$`)

// headerBlockAt says whether line i starts a header block: at least three
// header-like fields in a row (a wrapped value may take one more line),
// one of them holding an address, or a date with four fields or more or
// with two field names mail programs are known to use; or two fields, one
// holding an address and one a date. The fields may be in any order and
// language.
func headerBlockAt(lines []string, i int, kn *knowledge) bool {
	if listedHeaderBlockAt(lines, i) {
		return true
	}
	first, ok := headerField(unquote(lines[i]))
	if !ok || first.value == "" && !knownHeaderKey.MatchString(first.key) {
		return false // a block starts with a field that has a value or a known name
	}
	fields, addr, date, knownKeys, gap := 0, false, false, 0, 0
	for j := i; j < len(lines) && j < i+12; j++ {
		t := unquote(lines[j])
		if t == "" {
			break
		}
		f, ok := headerField(t)
		if !ok {
			if gap++; gap > 1 || fields == 0 {
				break
			}
			addr = addr || hasEmail(t)
			continue
		}
		gap = 0
		fields++
		if hasEmail(f.value) || kn.hasAddress(f.value) {
			addr = true
		}
		if hasDate(f.value) {
			date = true
		}
		if knownHeaderKey.MatchString(strings.ReplaceAll(f.key, "\u00a0", " ")) {
			knownKeys++
		}
		if kn.isSubjectLine(t) {
			addr = true // Steady's own subject is as good as an address
		}
	}
	switch {
	case fields >= 3:
		return addr || date && (fields >= 4 || knownKeys >= 2)
	case fields == 2:
		return addr && date || knownKeys == 2 && (addr || date)
	}
	return false
}

// dateLine says whether t is a short line holding a date that can head a
// header block ("Message du 03/03/26 09:00").
func dateLine(t string) bool {
	return t != "" && utf8.RuneCountInString(t) <= 80 && hasDate(t) && !strings.HasSuffix(t, ".") && letterWords(t) <= 6
}

// rule is a separator line; trailing ones are left over from an <hr> or a
// mail program's separator.
var rule = regexp.MustCompile(`^\s*(?:_{5,}|-{5,}|={5,}|\*{5,}|—{3,}|–{3,})\s*$`)

func isRule(line string) bool { return rule.MatchString(line) }

var originalMessage = regexp.MustCompile(`(?i)^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|message original|mensaje original|messaggio originale|mensagem original|forwarded message|oorspronkelijk bericht|originalmeddelande|opprinnelig melding|oprindelig meddelelse|alkuperäinen viesti|wiadomość oryginalna|oryginalna wiadomość|исходное сообщение|пересылаемое сообщение|eredeti üzenet|thư gốc|původní zpráva|orijinal mesaj)\s*-{2,}\s*$`)

func isOriginalMessage(line string) bool { return originalMessage.MatchString(line) }

// dashBoundaryAt says whether line i, wrapped in dashes, starts quoted
// history: it holds a date or an address, or it is a few words
// ("-------- Original message --------" in any language) followed by a
// header block, quoted lines or nothing.
func dashBoundaryAt(lines []string, i int, kn *knowledge) bool {
	t := strings.TrimSpace(lines[i])
	d := dashWrapped(t)
	if d == "" {
		return false
	}
	if hasEmail(d) || kn.hasAddress(d) || hasDate(d) && letterWords(d) >= 2 {
		return true
	}
	if len(strings.Fields(d)) > 5 || strings.ContainsAny(d, ".?!,") {
		return false
	}
	j := nextNonBlank(lines, i+1)
	return j == len(lines) || isQuoted(lines[j]) || headerBlockAt(lines, j, kn)
}

var (
	listedFromKey   = regexp.MustCompile(`(?i)^\s*\*?(?:from|de|von|da|van|från|fra|od|от|từ|lähettäjä|feladó|kimden)\s?:\*?\s*\S`)
	listedHeaderKey = regexp.MustCompile(`(?i)^\s*\*?(?:sent|date|to|subject|cc|envoyé|à|objet|gesendet|datum|an|betreff|enviado|enviada|fecha|para|asunto|inviato|data|a|oggetto|assunto|verzonden|aan|onderwerp)\s?:\*?`)
)

// listedHeaderBlockAt says whether line i starts a header block as Outlook
// writes it: "From:" followed within a few lines by at least two of
// Sent/Date/To/Subject/Cc, in one of the languages listed.
func listedHeaderBlockAt(lines []string, i int) bool {
	if !strings.Contains(lines[i], ":") || !listedFromKey.MatchString(lines[i]) {
		return false
	}
	keys := 0
	for _, l := range lines[i+1 : min(len(lines), i+7)] {
		if listedHeaderKey.MatchString(l) {
			keys++
		}
	}
	return keys >= 2
}
