package messages

import "unicode/utf16"

// Encoding is how an SMS body travels.
type Encoding string

// SMS encodings.
const (
	GSM7 Encoding = "GSM-7"
	UCS2 Encoding = "UCS-2"
)

// gsm7Basic is the GSM 03.38 default alphabet (one septet each);
// gsm7Extension needs an escape, so two septets each.
const (
	gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Extension = "^{}\\[~]|€\f"
)

var gsm7Width = func() map[rune]int {
	m := map[rune]int{}
	for _, r := range gsm7Basic {
		m[r] = 1
	}
	for _, r := range gsm7Extension {
		m[r] = 2
	}
	return m
}()

// Segments says how an SMS body is encoded and how many messages it is
// sent as: GSM-7 holds 160 septets in one message or 153 per part (an
// extension character such as € or { takes two and is never split); any
// other character (an emoji, a curly quote) makes the whole text UCS-2,
// 70 UTF-16 units in one message or 67 per part (a surrogate pair is never
// split). An empty body is one segment.
func Segments(text string) (Encoding, int) {
	units := make([]int, 0, len(text))
	enc := GSM7
	for _, r := range text {
		w, ok := gsm7Width[r]
		if !ok {
			enc = UCS2
			break
		}
		units = append(units, w)
	}
	single, part := 160, 153
	if enc == UCS2 {
		units = units[:0]
		for _, r := range text {
			units = append(units, len(utf16.Encode([]rune{r})))
		}
		single, part = 70, 67
	}
	total := 0
	for _, u := range units {
		total += u
	}
	if total <= single {
		return enc, 1
	}
	parts, used := 1, 0
	for _, u := range units {
		if used+u > part {
			parts++
			used = 0
		}
		used += u
	}
	return enc, parts
}
