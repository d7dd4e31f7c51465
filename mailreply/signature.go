package mailreply

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// isSigDashes says whether line is a signature separator ("-- ", "--",
// or an em dash alone).
func isSigDashes(line string) bool {
	return line == "-- " || line == "--" || line == "—"
}

// signaturePrefixes begin the line a mail app adds under a message, in
// the languages Steady's subscribers write in ("Sent from my iPhone",
// "Gesendet von Outlook für Android", "Envoyé à partir de Outlook pour
// iOS"); what follows must name a device or app (deviceWord).
var signaturePrefixes = []string{
	"sent from ", "sent with ", "sent via ", "sent using ", "get outlook for ", "download outlook for ",
	"envoyé de ", "envoyé depuis ", "envoyé à partir de ", "envoyé avec ", "envoye de ", "envoye depuis ", "obtenir outlook pour ",
	"von meinem ", "gesendet von ", "gesendet mit ", "gesendet vom ", "outlook für ",
	"enviado desde ", "enviado con ", "enviado do ", "enviado de ", "enviado a partir do ", "obtener outlook para ", "obter o outlook para ",
	"inviato da ", "inviato dal ", "inviato con ", "scarica outlook per ",
	"verstuurd vanaf ", "verzonden vanaf ", "verzonden met ", "verstuurd met ", "outlook voor ",
	"skickat från ", "sendt fra ", "sendt från ", "sendt med ",
	"lähetetty ", "hanki outlook ",
	"wysłane z ", "wysłano z ", "wysłane przez ", "pobierz outlook ",
	"отправлено с ", "отправлено из ", "отправлено через ", "получите outlook ",
	"gửi từ ", "odesláno z ", "odoslané z ", "trimis de pe ",
}

// signatureSuffixes end it where the verb comes last ("iPhone-ról
// küldve", "Von meinem iPhone gesendet" also starts with a prefix).
var signatureSuffixes = []string{" küldve", "-ról küldve", "-ről küldve", " gesendet", " gönderildi"}

// outlookApp is the line Outlook's phone apps sign with, in any language
// ("Télécharger Outlook pour iOS", "Pobierz aplikację Outlook dla systemu
// Android").
var outlookApp = regexp.MustCompile(`\boutlook\b.*\b(?:ios|android)\b`)

// linkTarget is a link's address as a plain-text part shows it after the
// link's words ("Get Outlook for Android<https://aka.ms/…>").
var linkTarget = regexp.MustCompile(`\s*[<\[]https?://[^>\]\s]*[>\]]`)

// deviceWord names a phone, tablet or mail app; a signature line must name
// one ("Sent from my desk" and "Gesendet von Herzen" are not signatures).
var deviceWord = regexp.MustCompile(`(?i)phone|ipad|ipod|android|galaxy|samsung|huawei|xiaomi|redmi|pixel|oneplus|motorola|nokia|blackberry|tablet|mobil|handy|móvil|movil|celular|telefon|телефон|смартфон|puhelin|điện thoại|outlook|yahoo|aol|gmail|mail|proton|typeapp|bluemail|spark|edison|aquamail|k-9|fairemail|thunderbird|\bapp\b|applica|aplica|windows|\bios\b|ipados|watch|почт`)

// isMobileSignature says whether line is, as a whole, a mail app's
// signature line: short (60 characters, eight words at most), no sentence
// punctuation inside, and a known opening or ending naming a device or app.
func isMobileSignature(line string) bool {
	if len(line) > 400 {
		return false
	}
	t := line
	if strings.Contains(t, "http") {
		t = linkTarget.ReplaceAllString(t, "")
	}
	t = strings.TrimSpace(t)
	if t == "" || utf8.RuneCountInString(t) > 60 || len(strings.Fields(t)) > 8 {
		return false
	}
	core := strings.TrimRight(t, ".!")
	if strings.ContainsAny(core, ",;?!:") || strings.Contains(core, ". ") {
		return false
	}
	l := strings.ToLower(core)
	if outlookApp.MatchString(l) {
		return true // "Get Outlook for iOS" in any language
	}
	rest := ""
	for _, p := range signaturePrefixes {
		if strings.HasPrefix(l, p) && len(p) < len(core) {
			rest = core[len(p):] // p is lower case ASCII or has the same byte length in either case
			break
		}
	}
	if rest == "" {
		for _, s := range signatureSuffixes {
			if strings.HasSuffix(l, s) && len(l) > len(s) {
				rest = core[:len(core)-len(s)]
				break
			}
		}
	}
	if rest == "" {
		return false
	}
	return deviceWord.MatchString(rest)
}

var nameSignoff = regexp.MustCompile(`^\s*(?:-{1,2}|–|—|~)\s?\p{Lu}[\p{L}'’.]*(?:[ -]\p{Lu}[\p{L}'’.]*){0,2}\s*$`)

// isNameSignoff says whether out[k] is a "-Name" sign-off (a dash and one
// to three capitalised words) rather than the last item of a list.
func isNameSignoff(out []string, k int) bool {
	l := out[k]
	if utf8.RuneCountInString(strings.TrimSpace(l)) > 40 || !nameSignoff.MatchString(l) || isSigDashes(l) {
		return false
	}
	if k == 0 {
		return false // a sign-off alone is not a signature of anything
	}
	// Right under another item, it is the last item of a list.
	p := strings.TrimSpace(out[k-1])
	return !strings.HasPrefix(p, "-") && !strings.HasPrefix(p, "–") && !strings.HasPrefix(p, "•") && !strings.HasPrefix(p, "*")
}

var listFooterWords = regexp.MustCompile(`(?i)unsubscribe|mailing list|mailman|listinfo|list-?info|googlegroups|google groups|you received this message because|abmelden|désinscri|désabonn|darse de baja|cancelar (?:a )?inscrição|cancellarti|uitschrijven|wypisać|отписаться|leiratkoz|avsluta prenumeration|avmeld`)

// listFooterStart returns where a mailing list's footer starts in the last
// lines of out (a rule followed by a few lines that name the list or how
// to leave it), or -1.
func listFooterStart(out []string) int {
	for r := len(out) - 1; r >= 0 && r >= len(out)-10; r-- {
		if !isRule(out[r]) {
			continue
		}
		for _, l := range out[r+1:] {
			if listFooterWords.MatchString(l) {
				return r
			}
		}
	}
	return -1
}

// trimTrailing drops what a mail program or list adds at the end of the
// sender's own text: blank lines, rule lines (often left over from an
// <hr>), app signatures, a "-Name" sign-off and list footers.
func trimTrailing(out []string) []string {
	for {
		k := len(out) - 1
		for k >= 0 && strings.TrimSpace(out[k]) == "" {
			k--
		}
		out = out[:k+1]
		if k < 0 {
			return out
		}
		if isRule(out[k]) || isSigDashes(out[k]) || isMobileSignature(out[k]) || isNameSignoff(out, k) {
			out = out[:k]
			continue
		}
		if r := listFooterStart(out); r >= 0 {
			out = out[:r]
			continue
		}
		return out
	}
}
