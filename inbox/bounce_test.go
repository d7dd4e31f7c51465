package inbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// dsn is a delivery status notification as Postfix writes it
// (multipart/report; report-type=delivery-status), sent to the envelope
// sender of the email that failed.
type dsn struct {
	to, messageID  string
	action, status string // default "failed", "5.1.1"
	returnedID     string // Message-ID in the returned headers, if any
}

func (d dsn) raw() []byte {
	action, status := d.action, d.status
	if action == "" {
		action = "failed"
	}
	if status == "" {
		status = "5.1.1"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example.com (Mail Delivery System)\r\nTo: %s\r\n", d.to)
	fmt.Fprintf(&b, "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n", d.messageID)
	b.WriteString("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n")
	b.WriteString("--b\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n")
	b.WriteString("--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n")
	fmt.Fprintf(&b, "Final-Recipient: rfc822; alex@example.com\r\nAction: %s\r\nStatus: %s\r\nDiagnostic-Code: smtp; 550 %s User unknown\r\n", action, status, status)
	b.WriteString("--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Steady <steady@example.org>\r\nTo: alex@example.com\r\n")
	if d.returnedID != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\r\n", d.returnedID)
	}
	b.WriteString("--b--\r\n")
	return []byte(b.String())
}

func (b *bundle) mustProcess(t *testing.T, raw []byte) Result {
	t.Helper()
	res, err := b.proc.Process(context.Background(), raw)
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	return res
}

func bouncingAt(t *testing.T, db *store.DB, subID int64) time.Time {
	t.Helper()
	at, err := db.BouncingSince(context.Background(), subID)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// Real notifications of permanent failure, each to the bounce address of
// a different prompt, mark the address bouncing at the threshold.
func TestRealBouncesOfThreeDeliveriesMarkBouncing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, 3)
		alex, prompts := b.subscriber(t, "alex@example.com", 3)
		sam, _ := b.subscriber(t, "sam@example.net", 1)
		for i, d := range prompts {
			res := b.mustProcess(t, dsn{to: b.links.BounceAddress(d), messageID: fmt.Sprintf("dsn%d@mx.example.com", i),
				returnedID: b.links.MessageID(d)}.raw())
			if res.Outcome != Bounced || !res.Outcome.Done() || res.SubscriberID != alex.ID || res.DeliveryID != d.ID || res.Match != "address-token" {
				t.Fatalf("bounce %d = %+v", i+1, res)
			}
			if marked := !bouncingAt(t, db, alex.ID).IsZero(); marked != (i == 2) {
				t.Fatalf("after %d bounced deliveries (threshold 3), bouncing = %v", i+1, marked)
			}
		}
		if !bouncingAt(t, db, sam.ID).IsZero() {
			t.Error("another subscriber was marked bouncing")
		}
		// The bounce address may reach the mailbox lower-cased, and a
		// notification need not return any headers.
		_, more := b.subscriber(t, "kim@example.org", 1)
		res := b.mustProcess(t, dsn{to: strings.ToUpper(b.links.BounceAddress(more[0])), messageID: "dsn-kim@mx.example.com"}.raw())
		if res.Outcome != Bounced || res.DeliveryID != more[0].ID {
			t.Errorf("upper-cased bounce address without returned headers = %+v", res)
		}
	})
}

// Three notifications about one delivery (three Message-IDs, as a server
// that reports twice or a replay would send) count as one bounce.
func TestBouncesOfOneDeliveryCountOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, 3)
		alex, prompts := b.subscriber(t, "alex@example.com", 2)
		for i := range 3 {
			res := b.mustProcess(t, dsn{to: b.links.BounceAddress(prompts[0]), messageID: fmt.Sprintf("again%d@mx.example.com", i),
				returnedID: b.links.MessageID(prompts[0])}.raw())
			if res.Outcome != Bounced || res.DeliveryID != prompts[0].ID || res.Reason != "bounced deliveries: 1" {
				t.Fatalf("notification %d = %+v", i+1, res)
			}
		}
		if at := bouncingAt(t, db, alex.ID); !at.IsZero() {
			t.Errorf("one bounced delivery marked the address bouncing at %v", at)
		}
		if bs, err := db.Bounces(context.Background(), alex.ID); err != nil || len(bs) != 3 {
			t.Errorf("Bounces = %d, %v; want the three notifications kept", len(bs), err)
		}
		// The other prompt's bounce counts: two deliveries, still under 3.
		res := b.mustProcess(t, dsn{to: b.links.BounceAddress(prompts[1]), messageID: "other@mx.example.com"}.raw())
		if res.Outcome != Bounced || res.Reason != "bounced deliveries: 2" {
			t.Errorf("bounce of the other prompt = %+v", res)
		}
	})
}

// Nothing that merely looks like a bounce counts: a delay notice, a
// temporary failure, a notification to a forged, expired or misused
// address, or one whose returned headers name another prompt. None of them
// is stored as a reply either.
func TestBouncesThatDoNotCount(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, 1) // one counted bounce would mark the address
		alex, prompts := b.subscriber(t, "alex@example.com", 2)
		_, other := b.subscriber(t, "sam@example.net", 1)
		verp := b.links.BounceAddress(prompts[0])
		token := strings.TrimSuffix(strings.TrimPrefix(verp, "steady+b-"), "@example.org")
		replyToken := strings.TrimSuffix(strings.TrimPrefix(b.links.ReplyAddress(prompts[0]), "steady+r-"), "@example.org")
		tests := []struct {
			name   string
			dsn    dsn
			want   Outcome
			reason string // part of Result.Reason
		}{
			{"delayed 4.4.1", dsn{to: verp, action: "delayed", status: "4.4.1"}, AutoReply, ""},
			{"failed 4.4.7 (gave up on a temporary error)", dsn{to: verp, status: "4.4.7"}, Unmatched, "not a delivery status notification of a permanent failure"},
			{"forged token", dsn{to: "steady+b-" + token[:len(token)-2] + "aa@example.org"}, Unmatched, "token is not valid"},
			{"token of another purpose in a bounce address", dsn{to: "steady+b-" + replyToken + "@example.org"}, Unmatched, "token is not valid"},
			{"the reply address", dsn{to: b.links.ReplyAddress(prompts[0]), returnedID: b.links.MessageID(prompts[0])}, Unmatched, "not sent to a bounce address"},
			{"the plain From address with a genuine Message-ID", dsn{to: "steady@example.org", returnedID: b.links.MessageID(prompts[0])}, Unmatched, "not sent to a bounce address"},
			{"a bounce token naming no delivery", dsn{to: "steady+b-" + b.links.Token(links.PurposeBounce, 999999) + "@example.org"}, Unmatched, "names no email delivery"},
			{"another domain", dsn{to: "steady+b-" + token + "@attacker.example"}, Unmatched, "not sent to a bounce address"},
			{"returned headers name another subscriber's prompt", dsn{to: verp, returnedID: b.links.MessageID(other[0])}, Unmatched, "name another delivery"},
		}
		for i, tt := range tests {
			tt.dsn.messageID = fmt.Sprintf("no%d@mx.example.com", i)
			res := b.mustProcess(t, tt.dsn.raw())
			if res.Outcome != tt.want || !strings.Contains(res.Reason, tt.reason) || res.SubscriberID != 0 {
				t.Errorf("%s: %+v, want %s (%q)", tt.name, res, tt.want, tt.reason)
			}
		}
		// A genuine bounce address after BounceTTL: a replay, not news.
		b.clock.Set(prompts[0].CreatedAt.Add(links.BounceTTL + 2*time.Hour))
		if res := b.mustProcess(t, dsn{to: verp, messageID: "late@mx.example.com"}.raw()); res.Outcome != Unmatched || !strings.Contains(res.Reason, "expired") {
			t.Errorf("expired bounce address: %+v", res)
		}

		if at := bouncingAt(t, db, alex.ID); !at.IsZero() {
			t.Errorf("the address was marked bouncing at %v", at)
		}
		if bs, err := db.Bounces(context.Background(), alex.ID); err != nil || len(bs) != 0 {
			t.Errorf("%d bounces recorded (%v), want none", len(bs), err)
		}
		if rs := b.replies(t, alex.ID); len(rs) != 0 {
			t.Errorf("a notification was stored as a reply: %+v", rs)
		}
	})
}

// fakeBounce is the bounce of issue 10: plain text from a "mailer daemon"
// on a domain anyone can own, naming a genuine prompt's Message-ID (no
// secret: it is in the thread headers of every forwarded message), sent to
// the plain From address.
func fakeBounce(id, promptMessageID string) []byte {
	return fmt.Appendf(nil, "From: Mail Delivery System <MAILER-DAEMON@attacker.example>\r\nTo: steady@example.org\r\n"+
		"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n"+
		"This is a permanent error. The following address failed:\r\n\r\n  alex@example.com\r\n\r\n"+
		"------ This is a copy of the message, including all the headers. ------\r\n\r\n"+
		"From: Steady <steady@example.org>\r\nMessage-ID: <%s>\r\nSubject: Today's reflection\r\n", id, promptMessageID)
}

// Issue 10: three fake bounces naming one genuine prompt's Message-ID
// change nothing for the subscriber. Each is held for a person, never
// counted.
func TestFakeBouncesChangeNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		alex, prompts := b.subscriber(t, "alex@example.com", 1)
		for i := range 3 {
			res, err := b.proc.Process(ctx, fakeBounce(fmt.Sprintf("fake%d@attacker.example", i), b.links.MessageID(prompts[0])))
			if err != nil {
				t.Fatalf("fake bounce %d: %v", i+1, err)
			}
			if res.Outcome != Unmatched || res.Outcome.Done() || res.SubscriberID != 0 || res.Reason == "" {
				t.Errorf("fake bounce %d = %+v, want unmatched with a reason", i+1, res)
			}
		}
		sub, err := db.Subscriber(ctx, alex.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sub.BouncingAt.IsZero() {
			t.Errorf("after three fake bounces the address is marked bouncing (%v)", sub.BouncingAt)
		}
		if bs, err := db.Bounces(ctx, alex.ID); err != nil || len(bs) != 0 {
			t.Errorf("bounces recorded = %d, %v; want none", len(bs), err)
		}
		// And the next prompt is still queued for them.
		plan := func(s steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: steady.ChannelEmail, Slot: s.NextSlot,
				PromptID: "p-next", Theme: "honesty", PromptText: "Do you feel heard?"}, s.NextSlot.Add(24 * time.Hour), nil
		}
		if n, err := db.ClaimDue(ctx, t0.Add(24*time.Hour), 10, plan); err != nil || n != 1 {
			t.Errorf("ClaimDue the next day = %d, %v; want the subscriber's next prompt", n, err)
		}
	})
}
