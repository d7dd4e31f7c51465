package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func importRow(t *testing.T, h *compliance.Hasher, ch steady.Channel, addr string) store.ImportRow {
	t.Helper()
	hash, err := h.HashAddress(ch, addr)
	if err != nil {
		t.Fatal(err)
	}
	return store.ImportRow{Channel: ch, Address: addr, TimeZone: "Europe/London", Schedule: daily(8, 0),
		AddressHash: hash, Discreet: ch == steady.ChannelSMS,
		Consent: steady.Consent{Method: "import", Wording: "Imported from list.csv by ops on 2026-03-01."}}
}

func TestImportSubscribersPendingIsIdempotentAndHonoursOptOuts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h, err := compliance.NewHasher([]byte("store-test-secret-0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		// Already there: an active subscriber (left alone), one who
		// unsubscribed, one erased after unsubscribing (only the kept
		// opt-out remains).
		kept := active(t, db, "kept@example.org", t0.Add(time.Hour))
		left := active(t, db, "left@example.org", t0.Add(time.Hour))
		if _, err := db.Unsubscribe(ctx, left.ID, steady.Consent{Method: "one-click"}, t0); err != nil {
			t.Fatal(err)
		}
		erased := active(t, db, "erased@example.org", t0.Add(time.Hour))
		if _, err := db.Unsubscribe(ctx, erased.ID, steady.Consent{Method: "one-click"}, t0); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSubscriber(ctx, erased.ID, h); err != nil {
			t.Fatal(err)
		}

		var rows []store.ImportRow
		for i := range 900 { // more than one chunk of a statement
			rows = append(rows, importRow(t, h, steady.ChannelEmail, fmt.Sprintf("new%03d@example.org", i)))
		}
		rows = append(rows, importRow(t, h, steady.ChannelSMS, "+447700900123"),
			importRow(t, h, steady.ChannelEmail, "kept@example.org"),
			importRow(t, h, steady.ChannelEmail, "left@example.org"),
			importRow(t, h, steady.ChannelEmail, "erased@example.org"))
		now := t0.Add(24 * time.Hour)
		res, err := db.ImportSubscribers(ctx, store.ImportBatch{Rows: rows, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		want := store.ImportResult{Imported: 901, AlreadyThere: 1, OptedOut: 2, ConfirmsQueued: 901}
		if res != want {
			t.Fatalf("first import %+v, want %+v", res, want)
		}
		again, err := db.ImportSubscribers(ctx, store.ImportBatch{Rows: rows, Now: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.ImportResult{AlreadyThere: 902, OptedOut: 2}); again != want {
			t.Fatalf("rerun %+v, want %+v", again, want)
		}

		sub, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, "+447700900123")
		if err != nil {
			t.Fatal(err)
		}
		if sub.Status != steady.StatusPending || !sub.NextSlot.IsZero() || !sub.Discreet ||
			!sub.ConfirmSentAt.Equal(now.Truncate(time.Microsecond)) || sub.Schedule.String() != "daily 08:00" {
			t.Errorf("imported %+v", sub)
		}
		cs, err := db.Consents(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Action != steady.ConsentRequested || cs[0].Method != "import" ||
			cs[0].Wording != "Imported from list.csv by ops on 2026-03-01." || !cs[0].At.Equal(now.Truncate(time.Microsecond)) {
			t.Errorf("consents %+v", cs)
		}
		ds, err := db.Deliveries(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Kind != steady.KindConfirm || ds[0].Status != steady.DeliveryQueued ||
			ds[0].Channel != steady.ChannelSMS || !ds[0].Slot.Equal(now.Truncate(time.Second)) {
			t.Errorf("deliveries %+v", ds)
		}
		// Left alone: still active, still one confirmation of their own.
		got, err := db.Subscriber(ctx, kept.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != steady.StatusActive || !got.NextSlot.Equal(kept.NextSlot) {
			t.Errorf("the subscriber already there became %+v", got)
		}
		if ds, err := db.Deliveries(ctx, kept.ID); err != nil || len(ds) != 1 {
			t.Errorf("deliveries of the subscriber already there: %v %+v", err, ds)
		}
		if got, err := db.Subscriber(ctx, left.ID); err != nil || got.Status != steady.StatusUnsubscribed {
			t.Errorf("the unsubscribed subscriber became %+v (%v)", got, err)
		}
		if _, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "erased@example.org"); err == nil {
			t.Error("the erased address that asked to stop was added back")
		}
	})
}

func TestImportSubscribersActiveRecordsTheConsent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h, err := compliance.NewHasher([]byte("store-test-secret-0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		r := importRow(t, h, steady.ChannelEmail, "ana@example.org")
		agreed := time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)
		r.Consent.At, r.Consent.Wording = agreed, "Yes, send me prompts.\nImported from list.csv by ops on 2026-03-01."
		next := t0.Add(20 * time.Hour)
		r.NextSlot = next
		now := t0
		if _, err := db.ImportSubscribers(ctx, store.ImportBatch{Rows: []store.ImportRow{{Channel: r.Channel, Address: r.Address,
			TimeZone: r.TimeZone, Schedule: r.Schedule}}, Active: true, Now: now}); err == nil {
			t.Fatal("an active import without a next slot was accepted")
		}
		res, err := db.ImportSubscribers(ctx, store.ImportBatch{Rows: []store.ImportRow{r}, Active: true, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if (res != store.ImportResult{Imported: 1}) {
			t.Fatalf("import %+v", res)
		}
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "ana@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if sub.Status != steady.StatusActive || !sub.NextSlot.Equal(next.Truncate(time.Microsecond)) ||
			!sub.ConfirmedAt.Equal(now.Truncate(time.Microsecond)) || !sub.ConfirmSentAt.IsZero() {
			t.Errorf("imported %+v", sub)
		}
		cs, err := db.Consents(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Action != steady.ConsentConfirmed || !cs[0].At.Equal(agreed) || cs[0].Wording != r.Consent.Wording {
			t.Errorf("consents %+v", cs)
		}
		if ds, err := db.Deliveries(ctx, sub.ID); err != nil || len(ds) != 0 {
			t.Errorf("an active import queued %+v (%v)", ds, err)
		}
		// The wording is sealed like every consent's: not in the row as
		// plaintext.
		if raw := rawConsentWording(t, db, cs[0].ID); raw == r.Consent.Wording || raw == "" {
			t.Errorf("consent wording stored as %q", raw)
		}
	})
}

// rawConsentWording is the consents.wording column as stored.
func rawConsentWording(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	raw, err := db.QueryStringForTest(context.Background(), `SELECT wording FROM consents WHERE id = ?`, id)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
