package inbox

import (
	"context"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestIntakeHoldsWhatIsNotFiled(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		alex, prompts := b.subscriber(t, "alex@example.com", 1)
		in, err := NewIntake(IntakeConfig{Processor: b.proc, Holder: db, Clock: b.clock})
		if err != nil {
			t.Fatal(err)
		}
		receive := func(m mail) Result {
			t.Helper()
			res, err := in.Receive(ctx, m.raw(), "smtp")
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		held := func() []store.HeldMessage {
			t.Helper()
			hs, err := db.HeldMessages(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			return hs
		}

		// Filed: not held.
		if r := receive(mail{from: "alex@example.com", to: b.links.ReplyAddress(prompts[0]), messageID: "ok@x", body: "Filed. " + secretWords}); r.Outcome != Stored {
			t.Fatalf("token reply = %+v", r)
		}
		if len(b.replies(t, alex.ID)) != 1 || len(held()) != 0 {
			t.Fatalf("filed reply: %d replies, %d held", len(b.replies(t, alex.ID)), len(held()))
		}

		// Forged thread headers, no token, no proof of the sender: held as
		// unauthenticated, twice delivered and held once.
		forged := mail{from: "alex@example.com", to: "steady@example.org", messageID: "forged@x",
			inReplyTo: b.links.MessageID(prompts[0]), body: "Not really Alex. " + secretWords}
		for range 2 {
			if r := receive(forged); r.Outcome != Unmatched {
				t.Fatalf("forged = %+v", r)
			}
		}
		hs := held()
		if len(hs) != 1 || hs[0].Reason != HeldUnauthenticated || hs[0].Source != "smtp" || hs[0].MessageID != "<forged@x>" ||
			string(hs[0].Raw) != string(forged.raw()) || !hs[0].ReceivedAt.Equal(t0) {
			t.Fatalf("held = %+v", hs)
		}
		if len(b.replies(t, alex.ID)) != 1 {
			t.Fatal("the forged reply was stored")
		}

		// Authenticated stranger: unmatched. Unreadable: rejected.
		if r := receive(mail{from: "nobody@example.net", to: "steady@example.org", messageID: "stranger@x",
			extra: authPass("nobody@example.net"), body: "Who?"}); r.Outcome != Unmatched {
			t.Fatalf("stranger = %+v", r)
		}
		if _, err := in.Receive(ctx, []byte("no header at all"), "smtp"); err != nil {
			t.Fatal(err)
		}
		hs = held()
		if len(hs) != 3 || hs[1].Reason != HeldUnmatched || hs[0].Reason != HeldRejected {
			t.Fatalf("held = %+v", hs)
		}
	})
}

func TestIntakeDatabaseDown(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, 3)
		in, err := NewIntake(IntakeConfig{Processor: b.proc, Holder: db, Clock: b.clock})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // every database call fails
		if _, err := in.Receive(ctx, mail{from: "x@example.net", to: "steady@example.org", messageID: "m@x", body: "Hi"}.raw(), "smtp"); err == nil {
			t.Fatal("Receive with no database answered no error")
		}
	})
}

// With a hasher, held mail is filed under its From address's keyed hash,
// so erasing that subscriber erases it (store.DeleteSubscriber).
func TestIntakeFilesHeldMailUnderTheSender(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		alex, _ := b.subscriber(t, "alex@example.com", 1)
		h, err := compliance.NewHasher([]byte("inbox-test-secret-0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		in, err := NewIntake(IntakeConfig{Processor: b.proc, Holder: db, Clock: b.clock, Hasher: h})
		if err != nil {
			t.Fatal(err)
		}
		// Alex, unsubscribed or not, writes without the token: held.
		if _, err := in.Receive(ctx, mail{from: "ALEX@example.com", to: "steady@example.org", messageID: "late@x", body: "Still mine. " + secretWords}.raw(), "smtp"); err != nil {
			t.Fatal(err)
		}
		want, _ := h.HashAddress(steady.ChannelEmail, "alex@example.com")
		hs, err := db.HeldMessages(ctx, 10)
		if err != nil || len(hs) != 1 || hs[0].SenderHash != want {
			t.Fatalf("held = %+v, %v; want one under alex's hash", hs, err)
		}
		if err := db.DeleteSubscriber(ctx, alex.ID, h); err != nil {
			t.Fatal(err)
		}
		if hs, err := db.HeldMessages(ctx, 10); err != nil || len(hs) != 0 {
			t.Errorf("after alex's erasure, held = %d, %v; want none", len(hs), err)
		}
	})
}
