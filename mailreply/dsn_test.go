package mailreply

import (
	"errors"
	"path/filepath"
	"testing"
)

// report is a multipart/report; report-type=delivery-status whose
// delivery-status part holds recipientFields.
func report(recipientFields string) string {
	return "From: MAILER-DAEMON@mx.example.org\r\nTo: steady+b-token@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
		"Message-ID: <dsn@mx.example.org>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n" +
		"--r\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n" +
		"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n" + recipientFields +
		"--r\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Steady <steady@example.org>\r\nMessage-ID: <r-abc@example.org>\r\n--r--\r\n"
}

// Only a real delivery status notification of a permanent failure sets
// PermanentFailure; every other kind of bounce is still a bounce (never
// stored as a reply) but proves nothing about the address.
func TestPermanentFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		raw       string
		want      error
		permanent bool
	}{
		{"5.1.1 failed", report("Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"), ErrBounce, true},
		{"status with a comment, lower-case names", report("final-recipient: rfc822;gone@example.com\r\naction: Failed\r\nstatus: 5.7.1 (delivery not authorized)\r\n"), ErrBounce, true},
		{"one of two recipients failed", report("Final-Recipient: rfc822; a@example.com\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\nFinal-Recipient: rfc822; b@example.com\r\nAction: failed\r\nStatus: 5.2.1\r\n"), ErrBounce, true},
		{"failed with a 4.x.x status (gave up retrying)", report("Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 4.4.7\r\n"), ErrBounce, false},
		{"5.x.x without Final-Recipient", report("Action: failed\r\nStatus: 5.1.1\r\n"), ErrBounce, false},
		{"not a status code", report("Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 55.1.1\r\n"), ErrBounce, false},
		{"delayed 4.4.1", report("Final-Recipient: rfc822; slow@example.com\r\nAction: delayed\r\nStatus: 4.4.1\r\n"), ErrAutoReply, false},
		{"report nested in a multipart/mixed", "From: MAILER-DAEMON@attacker.example\r\nTo: steady@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
			"Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\n" + report("Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n") + "\r\n--m--\r\n", ErrBounce, false},
		{"plain text from a mailer daemon", "From: MAILER-DAEMON@attacker.example\r\nTo: steady@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
			"Content-Type: text/plain\r\n\r\nAction: failed\r\nStatus: 5.1.1\r\n", ErrBounce, false},
	}
	for _, tt := range tests {
		m, err := Extract([]byte(tt.raw))
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Extract error %v, want %v", tt.name, err, tt.want)
			continue
		}
		if m.PermanentFailure != tt.permanent {
			t.Errorf("%s: PermanentFailure = %v, want %v", tt.name, m.PermanentFailure, tt.permanent)
		}
	}
	for name, permanent := range map[string]bool{"dsn_postfix": true, "dsn_legacy_daemon": false} {
		m, err := Extract(mustRead(t, filepath.Join("testdata/notreplies", name+".eml")))
		if !errors.Is(err, ErrBounce) || m.PermanentFailure != permanent {
			t.Errorf("%s: %v, PermanentFailure %v; want a bounce, %v", name, err, m.PermanentFailure, permanent)
		}
	}
}
