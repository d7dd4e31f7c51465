package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// Many batches of one tick plan each subscriber once, each with their own
// latest prompt, and a slot that exists already is skipped (the unique
// key) without losing the rest of its batch.
func TestClaimDueBatches(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n, limit = 23, 5
		var subs []steady.Subscriber
		for i := range n {
			subs = append(subs, active(t, db, addr(i), t0))
		}
		seen := map[int64]int{}
		counting := func(sub steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			seen[sub.ID]++
			return planDaily(sub, last)
		}
		for day := range 3 {
			clear(seen)
			now := t0.AddDate(0, 0, day)
			total := 0
			for {
				got, err := db.ClaimDue(ctx, now, limit, counting)
				if err != nil {
					t.Fatalf("day %d: ClaimDue: %v", day, err)
				}
				total += got
				if got < limit {
					break
				}
			}
			if total != n || len(seen) != n {
				t.Fatalf("day %d: queued %d for %d subscribers, want %d", day, total, len(seen), n)
			}
			for id, c := range seen {
				if c != 1 {
					t.Errorf("day %d: subscriber %d planned %d times", day, id, c)
				}
			}
		}
		want := "p-after-p-after-p-after-"
		for _, s := range subs {
			ps := prompts(t, db, s.ID)
			if len(ps) != 3 || ps[2].PromptID != want {
				t.Fatalf("subscriber %d: prompts %+v, want 3 ending in %q", s.ID, ps, want)
			}
		}
	})
}

// A delivery whose slot is taken is not inserted and does not become the
// subscriber's latest prompt; the next slot still moves.
func TestClaimDueTakenSlotKeepsLatest(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "taken@example.com", t0)
		if n, err := db.ClaimDue(ctx, t0, 10, planStuck); err != nil || n != 1 {
			t.Fatalf("ClaimDue = %d, %v", n, err)
		}
		other := func(s steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			d := promptFor(s, "other")
			return d, s.NextSlot.Add(24 * time.Hour), nil
		}
		if n, err := db.ClaimDue(ctx, t0, 10, other); err != nil || n != 0 {
			t.Fatalf("ClaimDue on a taken slot = %d, %v; want 0", n, err)
		}
		var lastSeen string
		record := func(s steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			lastSeen = last
			return planDaily(s, last)
		}
		if n, err := db.ClaimDue(ctx, t0.Add(24*time.Hour), 10, record); err != nil || n != 1 {
			t.Fatalf("next day ClaimDue = %d, %v", n, err)
		}
		if lastSeen != "p-after-" {
			t.Errorf("the plan saw latest prompt %q, want the delivery that was inserted, p-after-", lastSeen)
		}
		if ps := prompts(t, db, sub.ID); len(ps) != 2 {
			t.Errorf("prompts %+v", ps)
		}
	})
}

// Migration 0014 backfills each subscriber's latest prompt from their
// deliveries (by slot, whatever its status), which the next claim hands
// the plan, as the lookup it replaces did.
func TestMigrationBackfillsLatestPrompt(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.MigrateToForTest(ctx, 13); err != nil {
			t.Fatal(err)
		}
		// 101 has three prompts, the latest by slot cancelled and
		// inserted first; 102 only a confirmation.
		for _, id := range []int64{101, 102} {
			oldSubscriber(t, db, id, steady.ChannelEmail, addr(int(id)))
			if err := db.ExecForTest(ctx, `UPDATE subscribers SET status = 'active', next_slot = ? WHERE id = ?`,
				oldTime(t0), id); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range []struct {
			sub    int64
			kind   string
			slot   time.Time
			prompt string
			status string
		}{
			{101, "prompt", t0.Add(-24 * time.Hour), "p-latest", "cancelled"},
			{101, "prompt", t0.Add(-72 * time.Hour), "p-oldest", "sent"},
			{101, "prompt", t0.Add(-48 * time.Hour), "p-middle", "sent"},
			{101, "confirm", t0.Add(-12 * time.Hour), "", "sent"},
			{102, "confirm", t0.Add(-12 * time.Hour), "", "sent"},
		} {
			if err := db.ExecForTest(ctx, `INSERT INTO deliveries (subscriber_id, kind, channel, slot, prompt_id, theme,
					prompt_text, status, attempts, next_attempt_at, provider_id, last_error, created_at, updated_at)
				VALUES (?, ?, 'email', ?, ?, '', '', ?, 0, ?, '', '', ?, ?)`,
				d.sub, d.kind, oldTime(d.slot), d.prompt, d.status, oldTime(t0), oldTime(t0), oldTime(t0)); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		got := map[int64]string{}
		record := func(s steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			got[s.ID] = last
			return planDaily(s, last)
		}
		if n, err := db.ClaimDue(ctx, t0, 10, record); err != nil || n != 2 {
			t.Fatalf("ClaimDue = %d, %v; want 2", n, err)
		}
		if got[101] != "p-latest" || got[102] != "" {
			t.Errorf("latest prompts %v; want p-latest for 101 and none for 102", got)
		}
	})
}

// On a new PostgreSQL database, with empty tables never analyzed, the
// claim's statements use indexes, even after many runs of the same
// prepared statement (when the plan cache may switch to a generic plan).
// Without the claim's settings a generic plan scans subscribers whole:
// the check below sees that, so it would see the trap come back.
func TestClaimPlansUseIndexesOnAFreshDatabase(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	ctx := context.Background()
	plans, err := db.ExplainClaimForTest(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		if strings.Contains(p, "Seq Scan") {
			t.Errorf("a sequential scan in\n%s", p)
		}
	}
	if len(plans) != 3 || !strings.Contains(plans[0], "subscribers_due") ||
		!strings.Contains(plans[1], "Conflict Arbiter Indexes: deliveries_subscriber_id_kind_slot_key") ||
		!strings.Contains(plans[2], "subscribers_pkey") {
		t.Errorf("plans do not use the expected indexes:\n%s", strings.Join(plans, "\n"))
	}
	generic, err := db.ExplainClaimForTest(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(generic, "\n"), "Seq Scan on subscribers") {
		t.Errorf("generic plans on empty tables scan nothing; the check above proves little:\n%s", strings.Join(generic, "\n"))
	}
}

func addr(i int) string { return fmt.Sprintf("batch%d@example.com", i) }
