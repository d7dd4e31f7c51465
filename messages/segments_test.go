package messages_test

import (
	"strings"
	"testing"

	"github.com/steadyapp/steady/messages"
)

func TestSegments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		text  string
		enc   messages.Encoding
		parts int
	}{
		{"empty", "", messages.GSM7, 1},
		{"160 GSM-7", strings.Repeat("a", 160), messages.GSM7, 1},
		{"161 GSM-7", strings.Repeat("a", 161), messages.GSM7, 2},
		{"306 GSM-7", strings.Repeat("a", 306), messages.GSM7, 2},
		{"307 GSM-7", strings.Repeat("a", 307), messages.GSM7, 3},
		{"accents in the GSM-7 alphabet", strings.Repeat("é", 160), messages.GSM7, 1},
		{"80 euro signs take 160 septets", strings.Repeat("€", 80), messages.GSM7, 1},
		{"81 euro signs take 162 septets", strings.Repeat("€", 81), messages.GSM7, 2},
		{"extension char never split", strings.Repeat("a", 152) + "{" + strings.Repeat("a", 10), messages.GSM7, 2},
		{"extension char pushed to part 3", strings.Repeat("a", 152) + "{" + strings.Repeat("a", 152) + "[", messages.GSM7, 3},
		{"one curly quote makes UCS-2", strings.Repeat("a", 69) + "’", messages.UCS2, 1},
		{"71 UCS-2", strings.Repeat("a", 70) + "’", messages.UCS2, 2},
		{"134 UCS-2", strings.Repeat("a", 133) + "’", messages.UCS2, 2},
		{"135 UCS-2", strings.Repeat("a", 134) + "’", messages.UCS2, 3},
		{"an emoji is two UTF-16 units", strings.Repeat("a", 68) + "🙂", messages.UCS2, 1},
		{"an emoji at 69 overflows", strings.Repeat("a", 69) + "🙂", messages.UCS2, 2},
		{"surrogate pair never split", strings.Repeat("a", 66) + "🙂" + strings.Repeat("a", 66), messages.UCS2, 3},
		{"the prompt that was 160", "Steady: " + strings.Repeat("x", 152), messages.GSM7, 1},
	} {
		enc, n := messages.Segments(tc.text)
		if enc != tc.enc || n != tc.parts {
			t.Errorf("%s: got %s %d, want %s %d", tc.name, enc, n, tc.enc, tc.parts)
		}
	}
}
