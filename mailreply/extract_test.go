package mailreply

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBigMessages(t *testing.T) {
	t.Parallel()
	head := "From: Sam <sam@example.com>\r\nTo: steady@example.org\r\nMessage-ID: <big@example.com>\r\nSubject: Re: x\r\n"

	t.Run("10 MB of text is too long", func(t *testing.T) {
		t.Parallel()
		raw := head + "Content-Type: text/plain\r\n\r\n" + strings.Repeat("I am writing a lot today.\r\n", 10<<20/27)
		_, err := Extract([]byte(raw))
		if !errors.Is(err, ErrTooLong) {
			t.Fatalf("Extract: %v, want ErrTooLong", err)
		}
	})
	t.Run("a 10 MB attachment does not hide the text", func(t *testing.T) {
		t.Parallel()
		var b bytes.Buffer
		b.WriteString(head + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nHere is the photo.\r\n--b1\r\n")
		b.WriteString("Content-Type: image/jpeg\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		chunk := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xff, 0xd8, 0x00}, 19))
		for b.Len() < 10<<20 {
			b.WriteString(chunk + "\r\n")
		}
		b.WriteString("--b1--\r\n")
		m, err := Extract(b.Bytes())
		if err != nil || m.Text != "Here is the photo." {
			t.Fatalf("Extract: %q, %v", m.Text, err)
		}
	})
}

func TestBounceIDs(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"dsn_postfix", "dsn_legacy_daemon"} {
		m, err := Extract(mustRead(t, filepath.Join("testdata/notreplies", name+".eml")))
		if !errors.Is(err, ErrBounce) {
			t.Fatalf("%s: %v", name, err)
		}
		if len(m.BouncedIDs) != 1 || m.BouncedIDs[0] != "r-kfa4cy2bmeaqbaghyyq7e3lm@example.org" {
			t.Errorf("%s: bounced ids %q", name, m.BouncedIDs)
		}
	}
}

func TestDelayedDSNIsNotABounce(t *testing.T) {
	t.Parallel()
	raw := "From: MAILER-DAEMON@mx.example.org\nTo: steady@example.org\nSubject: Delayed Mail (still being retried)\nAuto-Submitted: auto-replied\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=x\n\n--x\nContent-Type: text/plain\n\nStill trying.\n--x\n" +
		"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@example.com\nAction: delayed\nStatus: 4.4.1\n--x--\n"
	if _, err := Extract([]byte(raw)); !errors.Is(err, ErrAutoReply) {
		t.Fatalf("Extract: %v, want ErrAutoReply", err)
	}
}

func TestStrip(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"own words that look like an attribution opener", "On Sunday we argued.\nHe wrote me a letter after.", "On Sunday we argued.\nHe wrote me a letter after."},
		{"a From: line of one's own", "From: my side, it felt unfair.\nTo be honest.", "From: my side, it felt unfair.\nTo be honest."},
		{"a quoted attribution only", "Fine.\n\n> On Mon, Mar 2, 2026 at 9:00 AM X wrote:\n> hi", "Fine."},
		{"nested quotes", "Yes\n>> old\n> older", "Yes"},
		{"blank lines collapse", "\n\nA\n\n\n\nB\n\n", "A\n\nB"},
		{"dash-dash signature", "Thanks\n--\nAlex", "Thanks"},
		{"wrapped attribution needs quotes after it", "On the bus I thought about\nwhat you asked and wrote:\nI miss her.", "On the bus I thought about\nwhat you asked and wrote:\nI miss her."},
		{"hr without a header block is kept", "Part one\n__________\nPart two", "Part one\n__________\nPart two"},
		// Shapes of the sender's own words that must not be taken for history.
		{"fields without an address or date", "Mood: good\nSleep: bad\nWork: busy", "Mood: good\nSleep: bad\nWork: busy"},
		{"three fields and a date", "Mood: good\nSleep: 5 hours\nDate: 3 March 2026\nAll fine.", "Mood: good\nSleep: 5 hours\nDate: 3 March 2026\nAll fine."},
		{"from and to in a sentence", "The data comes From: our diary, not From: his phone.\n\nThat is it.", "The data comes From: our diary, not From: his phone.\n\nThat is it."},
		{"a dated line ending with a colon, own text under it", "We met at 9:00 on 3 March 2026 and he said:\nI'm sorry.", "We met at 9:00 on 3 March 2026 and he said:\nI'm sorry."},
		{"a dated own line above a quote of his words", "On Monday 3 March 2026 at 9:00 he told me:\n> I will change.\nHe didn't.", "On Monday 3 March 2026 at 9:00 he told me:\nHe didn't."},
		{"a dated sentence above a quote", "He wrote me a note on 3/3/2026:\n> I'm sorry\nIt made me cry.", "He wrote me a note on 3/3/2026:\nIt made me cry."},
		{"timestamps in the text", "Times we talked:\n\n2026-01-15 14:30\n15.01.2026 14:30:\nJan 15, 2026 at 14:30\n\nAll mine.", "Times we talked:\n\n2026-01-15 14:30\n15.01.2026 14:30:\nJan 15, 2026 at 14:30\n\nAll mine."},
		{"dashes around own words", "---- my notes ----\nShe was kind.", "---- my notes ----\nShe was kind."},
		{"a sentence that starts like a signature", "Sent from my desk, is where I'm writing this.\nYes.", "Sent from my desk, is where I'm writing this.\nYes."},
		{"a last line that starts like a signature", "Yes.\n\nSent from my desk", "Yes.\n\nSent from my desk"},
		{"a German sentence that starts like a signature", "Gesendet von Herzen", "Gesendet von Herzen"},
		{"a scale answer above an attribution", "4 mostly\nOn Tue, 3 Mar 2026 at 09:00, Steady <steady@example.org> wrote:\n> Q?", "4 mostly"},
		{"a list is not a sign-off", "Yes:\n- Board games\n- Karaoke", "Yes:\n- Board games\n- Karaoke"},
		// History by its shape.
		{"attribution with no verb", "Tak.\n\n03.03.2026, 09:00, \"Steady\" <steady@example.org>:\n> Q?", "Tak."},
		{"attribution in dashes, history unquoted", "Yes.\n\n---- On Tue, 03 Mar 2026 09:00:00 +0000 Steady <steady@example.org> wrote ----\n\nQ?", "Yes."},
		{"attribution glued to the last sentence", "Yes, he did. On Tue, Mar 3, 2026 at 9:00 AM Steady <steady@example.org> wrote:\n\n> Q?", "Yes, he did."},
		{"wrapped attribution holding the address first", "Ja.\n\nAa Bb <ab@example.com> schrieb am So., 23.\nJuni 2024, 21:08:\n\n> Hi", "Ja."},
		{"a name and an address, history unquoted", "Fine by me.\n\nmolly <molly@example.com> wrote:\n\nHi Adrian,\nthanks", "Fine by me."},
		{"an address in a sentence ending with a colon", "I wrote to his sister at <ann@example.com> and she said:\nCome over.", "I wrote to his sister at <ann@example.com> and she said:\nCome over."},
		{"header block in Russian", "Да.\n\nОт: Steady <steady@example.org>\nОтправлено: 3 марта 2026 г. 9:00\nКому: sam@example.com\nТема: Q\n\nQ?", "Да."},
		{"header block starting with Date", "Yes.\nDate: Tue, 3 Mar 2026 09:00:00 +0000\nFrom: Steady <steady@example.org>\nTo: sam@example.com\n\nQ?", "Yes."},
		{"two fields: an address and a date", "Sí.\n\nDe: Steady <steady@example.org>\nFecha: martes, 3 de marzo de 2026 9:00\n\nQ?", "Sí."},
		{"non-breaking space before the colons", "Oui.\n\nDe\u00a0: Steady <steady@example.org>\nEnvoyé\u00a0: mardi 3 mars 2026 09:00\nÀ\u00a0: sam@example.com\nObjet\u00a0: Q\n\nQ?", "Oui."},
		{"a date line and a rule above a header block", "Oui.\n=====================\nMessage du 03/03/26 09:00\nDe : Steady\nA : sam@example.com\nObjet : Q\n\nQ?", "Oui."},
		{"a dash-wrapped original message line in another language", "Ja.\n\n-------- Oprindelig besked --------\nFra: Steady <steady@example.org>\nDato: 03.03.2026 09.00\nTil: sam@example.com\nEmne: Q", "Ja."},
		{"app signatures", "Yes.\n\nSent from TypeApp", "Yes."},
		{"Outlook's phone app signature in another language", "Oui.\n\nTélécharger Outlook pour iOS<https://aka.ms/o0ukef>", "Oui."},
		{"an app signature with a link", "Ja.\n\nGesendet von Outlook für Android<https://aka.ms/AAb9ysg>", "Ja."},
		{"a -Name sign-off", "Tak.\n\n-Kasia", "Tak."},
		{"a trailing rule", "Yes.\n________________________________", "Yes."},
		{"a list footer", "Yes.\n\n_______________________________________________\nhome mailing list\nhttps://lists.example.net/mailman/listinfo/home", "Yes."},
	}
	for _, tt := range tests {
		if got := Strip(tt.in); got != tt.want {
			t.Errorf("%s: Strip = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// FuzzExtract checks that Extract never panics, and that what it returns
// as a reply is valid, non-blank UTF-8 without quoted lines.
func FuzzExtract(f *testing.F) {
	for _, dir := range []string{"testdata/replies", "testdata/notreplies"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Extract(raw)
		checkExtracted(t, m, err)
	})
}

// checkExtracted holds an extraction to its promises: no text with an
// error; otherwise non-blank, valid UTF-8 text with no quoted line.
func checkExtracted(t *testing.T, m Message, err error) {
	t.Helper()
	if err != nil {
		if m.Text != "" {
			t.Fatalf("text %q returned with error %v", m.Text, err)
		}
		return
	}
	if strings.TrimSpace(m.Text) == "" || !utf8.ValidString(m.Text) {
		t.Fatalf("bad text %q", m.Text)
	}
	for _, l := range strings.Split(m.Text, "\n") {
		if isQuoted(l) {
			t.Fatalf("quoted line kept: %q", l)
		}
	}
}

// Text parts are cleaned as they are read: NUL bytes removed, invalid
// UTF-8 replaced, before quotes and signatures are looked for.
func TestBadBytesAreCleaned(t *testing.T) {
	t.Parallel()
	head := "From: Sam <sam@example.com>\r\nTo: steady@example.org\r\nMessage-ID: <nul@example.com>\r\nSubject: Re: x\r\n"
	tests := []struct {
		name, contentType, body, want string
		err                           error
	}{
		{"plain", "text/plain; charset=utf-8", "Yes\x00, I felt \xff\xfeheard.\r\n\r\n\x00> Do you feel heard?\r\n", "Yes, I felt \uFFFDheard.", nil},
		{"html", "text/html; charset=utf-8", "<p>Mostly\x00 \xffyes.</p>", "Mostly \uFFFDyes.", nil},
		{"only NULs", "text/plain; charset=utf-8", "\x00\r\n \x00 \r\n", "", ErrEmpty},
	}
	for _, tt := range tests {
		m, err := Extract([]byte(head + "Content-Type: " + tt.contentType + "\r\n\r\n" + tt.body))
		if !errors.Is(err, tt.err) || m.Text != tt.want {
			t.Errorf("%s: Extract = %q, %v; want %q, %v", tt.name, m.Text, err, tt.want, tt.err)
		}
		if strings.ContainsRune(m.Text, 0) || !utf8.ValidString(m.Text) {
			t.Errorf("%s: text %q is not clean", tt.name, m.Text)
		}
	}
}
