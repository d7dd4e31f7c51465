package messages_test

import (
	"context"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/cputime"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
)

// BenchmarkSMTPSend sends, one after another through one reused session,
// a message shaped like a monthly summary (about 1.8 kB of text, 5.5 kB
// of attribute-heavy HTML and a 1 kB inline image) to an in-process SMTP
// server: the client's encoding and the server's reading of it, in
// cpu-µs/msg.
func BenchmarkSMTPSend(b *testing.B) {
	srv := smtptest.Start(b)
	sender, err := messages.NewSMTPSender(messages.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: messages.TLSNone}, testFrom,
		messages.WithSMTPConnections(1))
	if err != nil {
		b.Fatal(err)
	}
	defer sender.Close()
	row := `<tr><td style="padding:2px 12px 2px 0;color:#6b635a;">Week 2</td><td style="padding:2px 0;"><span style="color:#b5523b;">&#9632;</span> Keeping their word 1</td></tr>` + "\n"
	m := steady.Message{
		Channel: steady.ChannelEmail,
		To:      testTo,
		Subject: "Your Steady summary for November 2026",
		Text:    strings.Repeat("Keeping their word: 3 times, once in these words, in 3 different weeks\n  \"she promised to call and didn't, again\" …\n", 16),
		HTML:    strings.Repeat(row, 36),
		Headers: map[string]string{"List-Unsubscribe": testUnsub, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
		Inline:  []steady.Attachment{{Filename: "chart.png", ContentType: "image/png", ContentID: "chart@steady", Data: make([]byte, 1000)}},
	}
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := cputime.Used()
	for b.Loop() {
		if _, err := sender.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	// The process's CPU time, the server's included: what a machine
	// shared with other work inflates less than wall-clock time.
	if cpu := cputime.Used() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/msg")
	}
}
