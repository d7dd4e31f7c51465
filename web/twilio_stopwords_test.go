package web_test

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// stopConfirmation is the one text a STOP is answered with.
const stopConfirmation = "Steady: you are unsubscribed and will get no more messages. Reply START to join again. Take care."

// The opt-outs of issue 9, finding 6, each texted by a prompted subscriber
// within the reply window: every one unsubscribes the number with a
// consent record of what was texted, is answered with the STOP
// confirmation once (a replay of the MessageSid does nothing), and is not
// stored as a reply.
func TestSMSStopVariantsUnsubscribe(t *testing.T) {
	variants := []string{
		"STOP!",
		"Stop.",
		"stop please",
		"Stop texting me",
		"OPT OUT",
		"ＳＴＯＰ",       // full-width
		"s\u200btop", // a zero-width space inside
		// A reflection that begins with "Stop" opts out too, and its
		// consent record keeps only its start, never the whole of it.
		"Stop. I need to think about whether I can trust him with my sister's secret",
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		sub, _ := smsPrompted(b)
		ctx := context.Background()
		for i, body := range variants {
			if i > 0 {
				smsResubscribe(b)
			}
			sid := fmt.Sprintf("SMstopvariant%019d", i)
			res := b.text(phone, body, sid)
			m := messageRE.FindStringSubmatch(res.body)
			if m == nil || html.UnescapeString(m[1]) != stopConfirmation {
				t.Errorf("%q: answered %d %s, want the STOP confirmation", body, res.status, res.body)
			}
			if s := smsSubscriber(b); s.Status != steady.StatusUnsubscribed {
				t.Errorf("%q: subscriber is %s, want unsubscribed", body, s.Status)
			}
			cs, err := b.db.Consents(ctx, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := cs[len(cs)-1]
			quoted := body
			if r := []rune(body); len(r) > 40 {
				quoted = strings.TrimSpace(string(r[:40])) + "…"
			}
			if strings.Contains(last.Wording, "secret") {
				t.Errorf("%q: the consent record keeps the whole reflection: %s", body, last.Wording)
			}
			if want := fmt.Sprintf("Texted %q", quoted); last.Action != steady.ConsentUnsubscribed || last.Method != "sms" || last.Wording != want {
				t.Errorf("%q: last consent %+v, want unsubscribed by sms, %s", body, last, want)
			}
			before := b.counts()
			if again := b.text(phone, body, sid); strings.Contains(again.body, "<Message>") {
				t.Errorf("%q replayed: answered again: %s", body, again.body)
			}
			b.unchanged(before)
		}
		if rs, err := b.db.Replies(ctx, sub.ID); err != nil || len(rs) != 0 {
			t.Errorf("opt-outs stored as replies: %+v %v", rs, err)
		}
		noLeaks(b, "texting me")
	})
}

// Texts that use a stop word in a reflection, and replies that begin with
// YES, stay replies: the subscriber stays subscribed and each is stored.
func TestSMSReflectionsWithStopWordsStayReplies(t *testing.T) {
	bodies := []string{
		"I can't stop thinking about what he said",
		"We stopped talking for two days",
		"he told me to stop overreacting",
		"End of the day he came home and we talked",
		"Quit my job today. He was proud",
		"YES. She stood up for me",
		"yes he did",
		"He said leave me alone",
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		sub, prompt := smsPrompted(b)
		for _, body := range bodies {
			if res := b.text(phone, body, ""); strings.Contains(res.body, "<Message>") {
				t.Errorf("%q answered: %s", body, res.body)
			}
		}
		if s := smsSubscriber(b); s.Status != steady.StatusActive {
			t.Fatalf("subscriber is %s, want active", s.Status)
		}
		rs, err := b.db.Replies(context.Background(), sub.ID)
		if err != nil || len(rs) != len(bodies) {
			t.Fatalf("replies %+v %v, want %d", rs, err, len(bodies))
		}
		for i, r := range rs {
			if r.Body != bodies[i] || r.DeliveryID != prompt.ID {
				t.Errorf("reply %d = %q for delivery %d, want %q for %d", i, r.Body, r.DeliveryID, bodies[i], prompt.ID)
			}
		}
	})
}

// HELP, PAUSE, RESUME and START are read with the same normalisation, as
// the whole text.
func TestSMSKeywordsNormalised(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		smsActive(b)
		for _, w := range []string{"help?", "ＨＥＬＰ", "Info."} {
			if res := b.text(phone, w, ""); !strings.Contains(res.body, "help@steady.example") {
				t.Errorf("%q: %s", w, res.body)
			}
		}
		if res := b.text(phone, "Pause!", ""); !strings.Contains(res.body, "paused until") {
			t.Errorf("Pause!: %s", res.body)
		}
		if res := b.text(phone, "\u200bresume.", ""); !strings.Contains(res.body, "start again") {
			t.Errorf("resume with a zero-width space: %s", res.body)
		}
		if res := b.text(phone, "Start 🙂", ""); !strings.Contains(res.body, "already subscribed") {
			t.Errorf("Start with an emoji: %s", res.body)
		}
		if s := smsSubscriber(b); s.Status != steady.StatusActive || !s.PausedUntil.IsZero() {
			t.Errorf("after the keywords: %+v", s)
		}
	})
}

// The join keyword is matched with the same normalisation as START.
func TestSMSJoinKeywordNormalised(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db), func(c *web.Config) { c.SMS.JoinKeyword = "Join" })
		stranger := "+447400999888"
		b.text(stranger, "ＪＯＩＮ!", "")
		sub, err := b.db.SubscriberByAddress(context.Background(), steady.ChannelSMS, stranger)
		if err != nil || sub.Status != steady.StatusPending {
			t.Fatalf("after JOIN: %+v %v", sub, err)
		}
		cs, _ := b.db.Consents(context.Background(), sub.ID)
		if len(cs) != 1 || cs[0].Wording != `Texted "ＪＯＩＮ!" to the programme number` {
			t.Errorf("consents %+v", cs)
		}
	})
}
