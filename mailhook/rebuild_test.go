package mailhook

import (
	"bytes"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
)

// A rebuilt message reads back with net/mail: names and subjects in any
// script are encoded, and a line break in a field cannot start another.
func TestBuildIsAWellFormedMessage(t *testing.T) {
	p := parsed{
		headers: []header{
			{"From", "Zoë Ångström <zoe@example.net>"},
			{"To", "Steady <steady+r-abc@example.org>"},
			{"Subject", "Re: Today's reflection — honesty\r\nBcc: victim@example.com"},
			{"Message-Id", "<m1@example.net>"},
			{"Content-Type", "multipart/mixed; boundary=x"},
			{"Bad Name", "dropped"},
			{"Authentication-Results", "mx.google.com; dmarc=pass"},
		},
		text: "Ja, wirklich.\nZeile zwei",
		html: "<p>Ja</p>",
	}
	raw := untrusted(p.build(), []string{"steady+r-abc@example.org", "not an address"})
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].Name != "Zoë Ångström" || from[0].Address != "zoe@example.net" {
		t.Errorf("From %v, %v", from, err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != "Re: Today's reflection — honesty Bcc: victim@example.com" {
		t.Errorf("Subject %q, %v", subject, err)
	}
	if msg.Header.Get("Bcc") != "" || msg.Header.Get("Bad Name") != "" {
		t.Errorf("a field was injected or a bad name kept:\n%s", raw)
	}
	if msg.Header.Get("Authentication-Results") != "" || msg.Header.Get("X-Untrusted-Authentication-Results") == "" {
		t.Errorf("Authentication-Results not renamed:\n%s", raw)
	}
	if got := msg.Header["X-Original-To"]; len(got) != 1 || got[0] != "<steady+r-abc@example.org>" {
		t.Errorf("X-Original-To %q", got)
	}
	if ct := msg.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative;") {
		t.Errorf("Content-Type %q", ct)
	}
	body, _ := io.ReadAll(msg.Body)
	if !bytes.Contains(body, []byte("Content-Transfer-Encoding: base64")) {
		t.Errorf("body:\n%s", body)
	}
}

// untrusted leaves the body alone: a body line that looks like the field
// is not renamed, and nothing but the header section changes.
func TestUntrustedTouchesOnlyTheHeader(t *testing.T) {
	raw := []byte("authentication-results: a; dkim=pass\n\tfolded\nSubject: x\n\nAuthentication-Results: in the body\n")
	got := string(untrusted(raw, nil))
	want := "X-Untrusted-authentication-results: a; dkim=pass\n\tfolded\nSubject: x\n\nAuthentication-Results: in the body\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
