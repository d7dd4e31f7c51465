package smtpin

import (
	"strings"
	"testing"
)

func TestStripAuthResults(t *testing.T) {
	t.Parallel()
	raw := "Authentication-Results: example.org; dmarc=pass header.from=example.com\r\n" +
		"Received: from x\r\n" +
		"authentication-results:   Example.Org 1 ;\r\n dkim=pass\r\n" +
		"Authentication-Results: (comment) example.org; dmarc=pass\r\n" +
		"Authentication-Results: example.org;;;garbage===\r\n" +
		"Authentication-Results: mx.provider.example; dmarc=pass\r\n" +
		"Authentication-Results: example.org.evil; dmarc=pass\r\n" +
		"Subject: hi\r\n" +
		"\r\n" +
		"Authentication-Results: example.org; in the body, kept\r\n"
	got := string(stripAuthResults([]byte(raw), "example.org"))
	want := "Received: from x\r\n" +
		"Authentication-Results: mx.provider.example; dmarc=pass\r\n" +
		"Authentication-Results: example.org.evil; dmarc=pass\r\n" +
		"Subject: hi\r\n" +
		"\r\n" +
		"Authentication-Results: example.org; in the body, kept\r\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// LF-only messages and a message that is all header.
	if got := string(stripAuthResults([]byte("Authentication-Results: example.org; x\nA: b\n"), "example.org")); got != "A: b\n" {
		t.Fatalf("LF: %q", got)
	}
	if got := string(stripAuthResults([]byte("A: b"), "example.org")); !strings.HasPrefix(got, "A: b") {
		t.Fatalf("no body: %q", got)
	}
}
