package inbox

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

const quote = "\n\nOn Mon, Mar 2, 2026 at 9:00 AM Steady <steady@example.org> wrote:\n\n> Do you feel heard?\n"

func TestProcessMatching(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		alex, alexPrompts := b.subscriber(t, "alex@example.com", 2)
		sam, samPrompts := b.subscriber(t, "sam@example.net", 1)

		process := func(m mail) Result {
			t.Helper()
			res, err := b.proc.Process(ctx, m.raw())
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			return res
		}

		// 1. The plus-address token wins, whoever sends it (here another
		// address of Alex's), and names the older prompt.
		r := process(mail{from: "alex.work@example.org", to: b.links.ReplyAddress(alexPrompts[0]), messageID: "m1@mail.example.com",
			body: "Yes, mostly. " + secretWords + quote})
		if r.Outcome != Stored || r.SubscriberID != alex.ID || r.DeliveryID != alexPrompts[0].ID || r.Match != "address-token" {
			t.Fatalf("plus-address reply = %+v", r)
		}
		rs := b.replies(t, alex.ID)
		if len(rs) != 1 || rs[0].Body != "Yes, mostly. "+secretWords || rs[0].SourceID != "email:m1@mail.example.com" ||
			rs[0].Channel != steady.ChannelEmail || !rs[0].ReceivedAt.Equal(t0) {
			t.Fatalf("stored = %+v", rs)
		}
		// 2. The same message again stores nothing.
		if r := process(mail{from: "alex.work@example.org", to: b.links.ReplyAddress(alexPrompts[0]), messageID: "m1@mail.example.com",
			body: "Yes, mostly." + quote}); r.Outcome != Duplicate {
			t.Errorf("again = %+v", r)
		}

		// 3. In-Reply-To from the subscriber's own address.
		r = process(mail{from: "Alex@Example.com", to: "steady@example.org", messageID: "m2@mail.example.com",
			inReplyTo: b.links.MessageID(alexPrompts[0]), extra: authPass("alex@example.com"), body: "Second thoughts."})
		if r.Outcome != Stored || r.DeliveryID != alexPrompts[0].ID || r.Match != "message-id" {
			t.Errorf("In-Reply-To reply = %+v", r)
		}
		// References, newest last.
		r = process(mail{from: "alex@example.com", to: "steady@example.org", messageID: "m3@mail.example.com",
			references: "<unrelated@example.com> <" + b.links.MessageID(alexPrompts[0]) + "> <" + b.links.MessageID(alexPrompts[1]) + ">",
			extra:      authPass("alex@example.com"), body: "Third."})
		if r.Outcome != Stored || r.DeliveryID != alexPrompts[1].ID || r.Match != "message-id" {
			t.Errorf("References reply = %+v", r)
		}

		// 4. A forged In-Reply-To naming Alex's prompt, sent by Sam: filed
		// under Sam's own latest prompt, never Alex's.
		r = process(mail{from: "sam@example.net", to: "steady@example.org", messageID: "m4@mail.example.net",
			inReplyTo: b.links.MessageID(alexPrompts[1]), extra: authPass("sam@example.net"), body: "Not Alex."})
		if r.Outcome != Stored || r.SubscriberID != sam.ID || r.DeliveryID != samPrompts[0].ID || r.Match != "sender" {
			t.Errorf("forged In-Reply-To from a subscriber = %+v", r)
		}
		// ...and sent by a stranger: not stored at all.
		r = process(mail{from: "mallory@example.biz", to: "steady@example.org", messageID: "m5@mail.example.biz",
			inReplyTo: b.links.MessageID(alexPrompts[1]), extra: authPass("mallory@example.biz"), body: "Forged."})
		if r.Outcome != Unmatched || r.Outcome.Done() || !strings.Contains(r.Reason, "another subscriber") {
			t.Errorf("forged In-Reply-To from a stranger = %+v", r)
		}
		// A token with a bad signature matches nothing either.
		bad := strings.Replace(b.links.ReplyAddress(alexPrompts[1]), "+r-", "+r-a", 1)
		if r := process(mail{from: "mallory@example.biz", to: bad, messageID: "m6@mail.example.biz", body: "Forged."}); r.Outcome != Unmatched {
			t.Errorf("bad token = %+v", r)
		}

		// 5. The sender's address alone: their latest prompt.
		r = process(mail{from: "sam@example.net", to: "steady@example.org", messageID: "m7@mail.example.net",
			extra: authPass("sam@example.net"), body: "Just writing."})
		if r.Outcome != Stored || r.DeliveryID != samPrompts[0].ID || r.Match != "sender" {
			t.Errorf("sender match = %+v", r)
		}
		// 6. A stranger without tokens.
		if r := process(mail{from: "stranger@example.org", to: "steady@example.org", messageID: "m8@x", body: "Hello?"}); r.Outcome != Unmatched {
			t.Errorf("stranger = %+v", r)
		}
		if n := len(b.replies(t, alex.ID)); n != 3 {
			t.Errorf("Alex has %d replies, want 3", n)
		}

		// 7. An expired token still names its prompt.
		b.clock.Set(t0.Add(links.ReplyTTL + 48*time.Hour))
		r = process(mail{from: "alex@example.com", to: b.links.ReplyAddress(alexPrompts[0]), messageID: "m9@mail.example.com", body: "Late answer."})
		if r.Outcome != Stored || r.DeliveryID != alexPrompts[0].ID {
			t.Errorf("expired token = %+v", r)
		}
		counts := b.proc.Counts()
		if counts[Stored] != 6 || counts[Duplicate] != 1 || counts[Unmatched] != 3 {
			t.Errorf("counts = %v", counts)
		}
	})
}

func TestProcessNotReplies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 2)
		alex, prompts := b.subscriber(t, "alex@example.com", 1)
		to := b.links.ReplyAddress(prompts[0])
		tests := []struct {
			name string
			raw  []byte
			want Outcome
		}{
			{"out of office", mail{from: "alex@example.com", to: to, messageID: "a1@x", extra: "Auto-Submitted: auto-replied\r\n", body: "I am away."}.raw(), AutoReply},
			{"no body", mail{from: "alex@example.com", to: to, messageID: "a2@x"}.raw(), Empty},
			{"only the quote", mail{from: "alex@example.com", to: to, messageID: "a3@x", body: quote}.raw(), Empty},
			{"too long to store", mail{from: "alex@example.com", to: to, messageID: "a4@x", body: strings.Repeat("so much to say ", steady.MaxReplyLength/15+10)}.raw(), Rejected},
			{"broken MIME", []byte("From: alex@example.com\r\nTo: " + to + "\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nhello\r\n"), Rejected},
			{"not a message", []byte("\x00\x01garbage"), Rejected},
			{"header line quoting an address", []byte("From: alex@example.com\r\nbroken line with mallory@example.com\r\n\r\nhi"), Rejected},
			{"10 MB of text", mail{from: "alex@example.com", to: to, messageID: "a6@x", body: strings.Repeat("I could go on and on. ", 10<<20/22)}.raw(), Rejected},
			{"10 MB photo with a short answer", withPhoto(mail{from: "alex@example.com", to: to, messageID: "a7@x", body: "Us, at the beach."}, 10<<20), Stored},
			{"unknown charset", []byte("From: alex@example.com\r\nTo: " + to + "\r\nMessage-ID: <a5@x>\r\nContent-Type: text/plain; charset=x-nonsense\r\n\r\nCaf\xe9 au lait.\r\n"), Stored},
		}
		for _, tt := range tests {
			res, err := b.proc.Process(ctx, tt.raw)
			if err != nil || res.Outcome != tt.want {
				t.Errorf("%s: %+v, %v; want %s", tt.name, res, err, tt.want)
			}
		}
		rs := b.replies(t, alex.ID)
		if len(rs) != 2 || rs[0].Body != "Us, at the beach." || rs[1].Body != "Café au lait." {
			t.Errorf("replies = %+v, want the photo's and the unknown-charset one", rs)
		}
	})
}

func TestProcessBouncesAndUnsubscribe(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 2)
		alex, prompts := b.subscriber(t, "alex@example.com", 2)
		sam, _ := b.subscriber(t, "sam@example.net", 1)

		dsn := func(id, to, promptMessageID string) []byte {
			return []byte("From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\nTo: " + to + "\r\n" +
				"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <" + id + ">\r\nMIME-Version: 1.0\r\n" +
				"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n" +
				"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; alex@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
				"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Steady <steady@example.org>\r\nMessage-ID: <" + promptMessageID + ">\r\n--b--\r\n")
		}
		// Each notification goes to the bounce address (envelope sender) of
		// the prompt that failed; the second is the first one again.
		for i, id := range []string{"d1@mx", "d1@mx", "d2@mx"} {
			d := prompts[i/2]
			res, err := b.proc.Process(ctx, dsn(id, b.links.BounceAddress(d), b.links.MessageID(d)))
			if err != nil || res.Outcome != Bounced || res.SubscriberID != alex.ID || res.DeliveryID != d.ID {
				t.Fatalf("bounce %d: %+v, %v", i, res, err)
			}
		}
		if since, err := db.BouncingSince(ctx, alex.ID); err != nil || since.IsZero() {
			t.Errorf("after 2 bounced deliveries (threshold 2), BouncingSince = %v, %v", since, err)
		}
		if since, _ := db.BouncingSince(ctx, sam.ID); !since.IsZero() {
			t.Error("another subscriber was marked bouncing")
		}
		if res, _ := b.proc.Process(ctx, dsn("d3@mx", "steady@example.org", "unknown@example.com")); res.Outcome != Unmatched {
			t.Errorf("a bounce of an unknown message = %+v", res)
		}

		// A message to the List-Unsubscribe address unsubscribes.
		mailto := strings.TrimSuffix(strings.TrimPrefix(b.links.UnsubscribeMailto(sam), "mailto:"), "?subject=unsubscribe")
		res, err := b.proc.Process(ctx, mail{from: "sam@example.net", to: mailto, messageID: "u1@x"}.raw())
		if err != nil || res.Outcome != Unsubscribed || res.SubscriberID != sam.ID {
			t.Fatalf("unsubscribe = %+v, %v", res, err)
		}
		if s, _ := db.Subscriber(ctx, sam.ID); s.Status != steady.StatusUnsubscribed {
			t.Errorf("status = %s", s.Status)
		}
		consents, _ := db.Consents(ctx, sam.ID)
		if last := consents[len(consents)-1]; last.Action != steady.ConsentUnsubscribed || last.Method != "email" {
			t.Errorf("last consent = %+v", last)
		}
		// Their later replies are not stored.
		if res, _ := b.proc.Process(ctx, mail{from: "sam@example.net", to: "steady@example.org", messageID: "u2@x", body: "Hi"}.raw()); res.Outcome != Unmatched {
			t.Errorf("reply after unsubscribing = %+v", res)
		}
	})
}

// An emailed reply whose text holds NUL bytes and invalid UTF-8 (a part
// declared utf-8 that is not), and whose Message-ID holds them too, is
// stored cleaned on both databases, and its replay is a duplicate.
func TestProcessCleansBadBytes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		alex, prompts := b.subscriber(t, "alex@example.com", 1)
		raw := mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "m\x00bad\xff@mail.example.com",
			body: "Yes\x00, I felt \xff\xfeheard. " + secretWords + quote}.raw()
		for i, want := range []Outcome{Stored, Duplicate} {
			res, err := b.proc.Process(ctx, raw)
			if err != nil || res.Outcome != want || res.DeliveryID != prompts[0].ID {
				t.Fatalf("Process #%d = %+v, %v; want %s", i+1, res, err, want)
			}
		}
		rs := b.replies(t, alex.ID)
		if len(rs) != 1 || rs[0].Body != "Yes, I felt \uFFFDheard. "+secretWords || rs[0].SourceID != "email:mbad\uFFFD@mail.example.com" {
			t.Fatalf("stored = %+v", rs)
		}
		// Nothing but NULs is an empty reply, done with, not one the store
		// refuses and a person has to look at.
		nuls := mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "nuls@mail.example.com", body: "\x00\n \x00\n"}.raw()
		if res, err := b.proc.Process(ctx, nuls); err != nil || res.Outcome != Empty {
			t.Errorf("only NULs = %+v, %v; want %s", res, err, Empty)
		}
		if n := len(b.replies(t, alex.ID)); n != 1 {
			t.Errorf("%d replies, want 1", n)
		}
	})
}
